/** Builds a target (reference respondents after filters, norms preset and slider edits) and stores named targets. */
import { getDb, type Db } from '../../db/client';
import type { Target } from '../../db/schema';
import {
  countReferenceRespondents,
  countRespondentsByCountry,
  getReferenceSet,
  getTargetByName,
  listNormGroups,
  listNormRows,
  listReferenceTraits,
  listTargets,
  saveTarget,
} from '../../db/queries/targets';
import { TRAITS, type Trait } from '../core/traits';
import { AppError } from '../http/errors';
import { countryName, MCCRAE_TO_ALPHA2, REGION_PRESETS } from './countries';
import { targetSpecSchema, type NormsPreset, type TargetSpec } from './schema';
import { applyTransforms, combineTransforms, describePreset, traitMoments, type PresetTargets } from './transform';

/** Fewer respondents than this makes a noisy target; the UI warns. */
export const MIN_RESPONDENTS = 100;

/**
 * The trait means and SDs (common 1-5 scale) a norms preset asks for.
 * - Johnson IPIP-NEO-120: domain raw sums over 24 items (24-120) divided by 24 give item means on 1-5; SD likewise.
 * - McCrae & Terracciano: country T-scores (50 = pooled mean, 10 = individual SD) shift each trait by
 *   (T - 50) / 10 standard deviations of the filtered reference; the SD is kept.
 */
export function resolvePreset(db: Db, preset: NormsPreset, moments: { mean: Float64Array; sd: Float64Array }): PresetTargets | null {
  if (preset.kind === 'none') return null;
  const out = { E: null, A: null, C: null, N: null, O: null } as PresetTargets;
  if (preset.kind === 'johnson') {
    const rows = listNormRows({ db, table: 'johnson-ipip-neo-120', group: `${preset.sex} ${preset.ageGroup}` });
    for (const r of rows) {
      if (r.level !== 'domain') continue;
      const t = r.scale as keyof PresetTargets;
      if (t in out) out[t] = { mean: r.mean / 24, sd: (r.sd ?? 0) / 24 };
    }
  } else {
    const rows = listNormRows({ db, table: 'mccrae-terracciano-2005', group: preset.country });
    if (rows.length === 0) throw new AppError('unknown_country', `No McCrae & Terracciano profile for "${preset.country}".`, 404);
    for (const r of rows) {
      const k = TRAITS.indexOf(r.scale as Trait);
      if (k < 0) continue;
      out[TRAITS[k]!] = { mean: moments.mean[k]! + ((r.mean - 50) / 10) * moments.sd[k]!, sd: moments.sd[k]! };
    }
  }
  return out;
}

export interface BuiltTarget {
  spec: TargetSpec;
  /** Respondents behind the target. */
  n: number;
  /** Raw trait scores of the matching respondents, row-major n x 5 (E, A, C, N, O). */
  reference: Float64Array;
  /** The target sample: the reference after the preset and the slider edits. */
  data: Float64Array;
  presetTargets: PresetTargets | null;
  description: string;
  warnings: string[];
}

export function describeFilters(spec: TargetSpec): string {
  const f = spec.filters;
  const parts: string[] = [];
  if (f.countries.length) {
    const region = Object.values(REGION_PRESETS).find(
      (r) => r.countries.length === f.countries.length && r.countries.every((c) => f.countries.includes(c)),
    );
    parts.push(region ? region.label : f.countries.map(countryName).join(', '));
  } else parts.push('all countries');
  if (f.ageMin !== undefined || f.ageMax !== undefined) parts.push(`age ${f.ageMin ?? 13}-${f.ageMax ?? 100}`);
  if (f.genders.length) parts.push(f.genders.join(' or '));
  return parts.join(', ');
}

/** Resolves a target spec into its sample. Throws AppError when no respondent matches. */
export function buildTarget(input: unknown, db: Db = getDb()): BuiltTarget {
  const spec = targetSpecSchema.parse(input);
  if (!getReferenceSet({ db, id: spec.referenceSetId })) {
    throw new AppError('unknown_reference', `There is no reference set "${spec.referenceSetId}".`, 404);
  }
  const rows = listReferenceTraits({ db, referenceSetId: spec.referenceSetId, filters: spec.filters });
  if (rows.length === 0) {
    throw new AppError('empty_target', `No respondent matches ${describeFilters(spec)}: widen the filters.`, 422);
  }
  const n = rows.length;
  const reference = new Float64Array(n * 5);
  rows.forEach((r, i) => {
    reference[i * 5] = r.E;
    reference[i * 5 + 1] = r.A;
    reference[i * 5 + 2] = r.C;
    reference[i * 5 + 3] = r.N;
    reference[i * 5 + 4] = r.O;
  });
  const moments = traitMoments(reference, n);
  const presetTargets = resolvePreset(db, spec.preset, moments);
  const data = applyTransforms(reference, n, combineTransforms(moments, presetTargets, spec.edits), moments);
  const warnings: string[] = [];
  if (n < MIN_RESPONDENTS) {
    warnings.push(
      `Only ${n} respondents match: the target distribution is noisy. Widen the filters or use a published norms preset.`,
    );
  }
  const description = `${describeFilters(spec)} · ${n.toLocaleString('en-US')} respondents · ${describePreset(spec.preset)}`;
  return { spec, n, reference, data, presetTargets, description, warnings };
}

/** What the target pickers offer: countries with respondent counts, regions, norms groups. */
export function targetOptions(db: Db = getDb(), referenceSetId = 'big5') {
  const countries = countRespondentsByCountry({ db, referenceSetId }).map((c) => ({
    code: c.country,
    name: c.country === 'unknown' ? 'Unknown country' : countryName(c.country),
    n: c.n,
  }));
  return {
    countries,
    regions: Object.entries(REGION_PRESETS).map(([id, r]) => ({
      id,
      label: r.label,
      countries: r.countries,
      n: countReferenceRespondents({ db, referenceSetId, filters: { countries: r.countries } }),
    })),
    johnsonGroups: listNormGroups({ db, table: 'johnson-ipip-neo-120' }).map((g) => g.group),
    mccraeCountries: listNormGroups({ db, table: 'mccrae-terracciano-2005' }).map((g) => ({
      code: g.group,
      name: countryName(MCCRAE_TO_ALPHA2[g.group] ?? g.group),
    })),
  };
}

export function saveNamedTarget(name: string, input: unknown, db: Db = getDb()) {
  const spec = targetSpecSchema.parse(input);
  buildTarget(spec, db); // refuse to save a target that matches nobody
  const row = saveTarget({
    db,
    name,
    referenceSetId: spec.referenceSetId,
    filters: { ...spec.filters, preset: spec.preset },
    edits: spec.edits,
  });
  return { id: row.id, name: row.name, spec };
}

function rowToSpec(row: Pick<Target, 'referenceSetId' | 'filters' | 'edits'>): TargetSpec {
  const { preset, ...filters } = row.filters;
  return { referenceSetId: row.referenceSetId, filters, preset: preset ?? { kind: 'none' }, edits: row.edits };
}

export function listNamedTargets(db: Db = getDb()) {
  return listTargets({ db }).map((t) => ({ id: t.id, name: t.name, updatedAt: t.updatedAt, spec: rowToSpec(t) }));
}

export function getNamedTarget(name: string, db: Db = getDb()) {
  const row = getTargetByName({ db, name });
  if (!row) throw new AppError('not_found', `There is no saved target named "${name}".`, 404);
  return { id: row.id, name: row.name, spec: rowToSpec(row) };
}
