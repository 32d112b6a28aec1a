/**
 * Exports of persona sets: resolve what to export (a run, a group's latest run, or the pool), draw k personas when
 * asked (seeded: k distinct personas by pivotal sampling with their weights re-calibrated to the target, or k draws
 * with repeats by systematic resampling with weight = count / k, so the weight column sums to 1 over the rows either
 * way), build rows and the manifest (provenance, licences, metrics, diagnostics, review summary, the set block: rows,
 * distinct personas, draws, how the weights are normalised, the personas' demographics next to the target's filters;
 * a hash of every row and of every format's file), and store the manifest with the bytes
 * of every format's file. A download answers the stored bytes (an export is an immutable file, whatever happened to
 * its personas since); exports made before files were stored, and the CLI's --from-manifest, re-render the same
 * bytes from the manifest instead.
 */
import { getDb, type Db } from '../../db/client';
import {
  deleteExportRow,
  getExportFile,
  getExportRow,
  getReferenceWithSource,
  insertExportRow,
  listExportPersonas,
  listExportRows,
  listSourcesByIds,
  reviewSummaryFor,
} from '../../db/queries/exports';
import { getLatestGroupRun } from '../../db/queries/groups';
import { listPoolPersonas } from '../../db/queries/pool';
import { getRunById } from '../../db/queries/runs';
import type { AlignmentRun } from '../../db/schema';
import { horvitzThompsonWeights, recalibrateSet } from '../align/recalibrateSet';
import { selectPivotal } from '../align/selectPivotal';
import { selectSystematic } from '../align/selectSystematic';
import { coverageOfRun, getGroup } from '../groups/service';
import { LOCAL_ACTOR, mayDeleteOwned, requireMayDelete, type Actor } from '../audit/actor';
import { AppError } from '../http/errors';
import type { GroupDefinition, PersonaFilters } from '../groups/schema';
import { checkSetSize, MAX_SET_SIZE_ENV, maxSetSize, setSizeLimit, sizeLimitError } from '../limits/sizes';
import { AlignInputError } from '../numeric/alignInputError';
import type { Matrix } from '../numeric/matrix';
import { createRng } from '../numeric/rng';
import { runEngineConfig, STUDIO_DEFAULT_SELECTION } from '../studio/runs';
import type { TargetSpec } from '../targets/schema';
import { buildTarget, describeFilters } from '../targets/service';
import { diffManifests } from './diff';
import { CONTENT_TYPES, FILE_EXTENSIONS, renderRows, rowHash, sha256Hex } from './formats';
import type { SimulatorMeta } from './simulators';
import { weightedMoments } from '../stats/weightedMoments';
import { parseManifestText, populaceVersion, rowsDigest } from './manifest';
import {
  EXPORT_COLUMNS,
  EXPORT_FORMATS,
  exportRequestSchema,
  MANIFEST_SCHEMA,
  type ExportFormat,
  type ExportManifest,
  type ExportRequest,
  type DemographicCount,
  type ExportRow,
  type ExportSet,
  type ManifestRow,
  type SetSelection,
  type WeightNormalisation,
} from './schema';

interface Resolved {
  run: AlignmentRun | null;
  group: { id: number; name: string; definition: GroupDefinition } | null;
  personaIds: number[];
  weights: number[];
  selection: number[] | null;
}

function resolveSource(request: ExportRequest, db: Db): Resolved {
  const s = request.source;
  if (s.kind === 'pool') {
    const pool = listPoolPersonas({ db });
    if (pool.length === 0) throw new AppError('empty_pool', 'The pool is empty: measure some personas first.', 422);
    return { run: null, group: null, personaIds: pool.map((p) => p.id), weights: pool.map(() => 1 / pool.length), selection: null };
  }
  let run: AlignmentRun | undefined;
  let group: Resolved['group'] = null;
  if (s.kind === 'group') {
    const g = getGroup(s.groupId, db);
    group = { id: g.id, name: g.name, definition: g.definition };
    run = s.runId ? getRunById({ db, id: s.runId }) : getLatestGroupRun({ db, groupId: s.groupId });
    if (!run) throw new AppError('no_group_run', `Group "${g.name}" has no finished alignment yet: align it first.`, 422);
    if (run.groupId !== s.groupId) throw new AppError('run_not_in_group', `Run ${run.id} does not belong to group "${g.name}".`, 422);
  } else {
    run = getRunById({ db, id: s.runId });
    if (!run) throw new AppError('not_found', `Run ${s.runId} does not exist.`, 404);
    if (run.groupId !== null) {
      try {
        const g = getGroup(run.groupId, db);
        group = { id: g.id, name: g.name, definition: g.definition };
      } catch {
        group = null;
      }
    }
  }
  if (run.status !== 'done' || !run.personaIds || !run.weights) {
    throw new AppError('run_not_done', `Run ${run.id} is ${run.status}: only finished runs can be exported.`, 422);
  }
  return { run, group, personaIds: run.personaIds, weights: run.weights, selection: run.selection ?? [] };
}

const fmt = new Intl.NumberFormat('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${fmt.format(n)} ${n === 1 ? one : many}`;

/** What the set is drawn from, for messages: "run 3's pool" or "the pool". */
function poolLabel(r: Resolved): string {
  return r.run ? `run ${r.run.id}'s pool` : 'the pool';
}

/**
 * The one rule for a set of k distinct personas that cannot be given: 422 `too_few_distinct` naming how many personas
 * are available (a positive weight) and, when the size allows it, suggesting k draws with repeats instead. A size over
 * POPULACE_MAX_SET_SIZE is refused first (size_limit), as for every set.
 */
export function checkDistinctSize(k: number, available: number, poolSize: number, label: string): void {
  const ceiling = maxSetSize();
  if (k > ceiling) throw sizeLimitError('size', k, ceiling, MAX_SET_SIZE_ENV);
  if (k <= available) return;
  const repeats = k <= setSizeLimit({ poolSize, distinct: false, poolLabel: label }).limit;
  throw new AppError(
    'too_few_distinct',
    `Cannot give ${plural(k, 'distinct persona')}: ${label} has ${fmt.format(available)} with a positive weight. ` +
      (repeats ? `Ask for at most ${fmt.format(available)}, or turn off "unique" to draw ${fmt.format(k)} with repeats.` : `Ask for at most ${fmt.format(available)}.`),
    422,
    { field: 'size', value: k, available, limit: available, repeats },
  );
}

interface DrawnSet {
  /** Times each persona id is in the selection. */
  counts: Map<number, number>;
  /** Draws: the sum of the counts. */
  k: number;
  /** The manifest's selection.method sentence (kept from schema 1). */
  method: string;
  selection: SetSelection;
  selectionStatement: string;
  seed: number | null;
  /** Set weights of a unique draw by persona id (sum 1), else null. */
  setWeights: Map<number, number> | null;
  recalibration: ExportSet['weights']['recalibration'];
  /** Why a unique set was not re-calibrated. */
  reason: string | null;
}

/** Trait scores of personas as a k x 5 matrix, or null when one has no scores. */
function traitMatrix(db: Db, ids: number[]): Matrix | null {
  const byId = new Map(listExportPersonas({ db, ids }).map((p) => [p.id, p]));
  const data = new Float64Array(ids.length * 5);
  for (let r = 0; r < ids.length; r++) {
    const p = byId.get(ids[r]!);
    if (!p || p.E === null || p.A === null || p.C === null || p.N === null || p.O === null) return null;
    data.set([p.E, p.A, p.C, p.N, p.O], r * 5);
  }
  return { data, rows: ids.length, cols: 5 };
}

/**
 * k distinct personas by pivotal sampling on the run's weights, with set weights: the Horvitz-Thompson weights
 * w_i / pi_i re-calibrated to the target's moments (recalibrateSet), or the Horvitz-Thompson weights normalised when
 * there is no target, one persona, or the re-calibration refuses the set (the reason is kept).
 */
function drawUnique(request: ExportRequest, r: Resolved, k: number, spec: TargetSpec | null, db: Db): DrawnSet {
  // An export of every persona carries the run's weights: the set's weights are not needed.
  const weigh = request.set === 'selection';
  const res = selectPivotal({ weights: r.weights, size: k, rng: createRng(request.seed) });
  const ids = Array.from(res.indices, (i) => r.personaIds[i]!);
  const counts = new Map(ids.map((id) => [id, 1]));
  const ht = horvitzThompsonWeights(r.weights, res.inclusionProbabilities!, res.indices);
  let weights: Float64Array | null = null;
  let recalibration: DrawnSet['recalibration'] = null;
  let reason: string | null = null;
  if (!weigh) reason = null;
  else if (!spec) reason = 'a pool export has no target to re-calibrate to (every persona weighs the same).';
  else if (k < 2) reason = 'a set of one persona has weight 1; there is nothing to re-calibrate.';
  else {
    const set = traitMatrix(db, ids);
    if (!set) reason = 'a persona of the set has no trait scores any more, so the set cannot be compared with the target.';
    else {
      const target = buildTarget(spec, db);
      try {
        const rc = recalibrateSet({
          pool: set,
          indices: Uint32Array.from({ length: k }, (_, i) => i),
          baseWeights: ht,
          reference: { data: target.data, rows: target.n, cols: 5 },
        });
        weights = rc.weights;
        recalibration = {
          method: 'entropy balancing (calibration) from the Horvitz-Thompson weights',
          moments: rc.moments,
          converged: rc.converged,
          ess: rc.diagnostics.ess,
          constraints: rc.constraints.map((c, i) => ({ name: c.name, target: c.target, achieved: c.achieved, before: rc.baseConstraints[i]?.achieved ?? c.achieved, gap: c.gap, holds: c.holds })),
          warnings: rc.warnings,
        };
      } catch (e) {
        if (!(e instanceof AlignInputError)) throw e;
        reason = `the re-calibration refused the set: ${e.message}`;
      }
    }
  }
  if (!weights) {
    let total = 0;
    for (const b of ht) total += b;
    weights = Float64Array.from(ht, (b) => b / total);
  }
  const setWeights = new Map(ids.map((id, i) => [id, weights![i]!]));
  return {
    counts,
    k,
    method: !weigh
      ? 'pivotal sampling (Deville-Tille)'
      : recalibration
        ? 'pivotal sampling (Deville-Tille), weights re-calibrated to the target'
        : 'pivotal sampling (Deville-Tille), Horvitz-Thompson weights',
    selection: 'pivotal',
    selectionStatement: `${plural(k, 'distinct persona')} drawn from ${poolLabel(r)} by pivotal sampling (seed ${request.seed}): persona i is in the set with probability min(1, c w_i), so personas with large weights are always in it and the rest in proportion to their weight.`,
    seed: request.seed,
    setWeights,
    recalibration,
    reason,
  };
}

/** The set to export (stored selection, a fresh seeded draw, or the whole pool): counts per persona and how it was made. */
function drawSet(request: ExportRequest, r: Resolved, spec: TargetSpec | null, db: Db): DrawnSet {
  const counts = new Map<number, number>();
  const fresh = request.size !== undefined || request.unique;
  const none = { setWeights: null, recalibration: null, reason: null };
  if (!fresh && r.selection) {
    for (const id of r.selection) counts.set(id, (counts.get(id) ?? 0) + 1);
    const k = r.selection.length;
    const used = r.run!.config.request.config.selection ?? STUDIO_DEFAULT_SELECTION;
    return {
      ...none,
      counts,
      k,
      method: `stored selection of run ${r.run!.id}`,
      selection: 'stored',
      selectionStatement: `The stored selection of run ${r.run!.id}: ${plural(k, 'draw')} (${used}, seed ${r.run!.seed}) of ${plural(counts.size, 'distinct persona')}.`,
      seed: r.run!.seed,
    };
  }
  if (!fresh) {
    for (const id of r.personaIds) counts.set(id, 1);
    return {
      ...none,
      counts,
      k: r.personaIds.length,
      method: 'whole pool',
      selection: 'whole-pool',
      selectionStatement: `Every persona of the pool once (${plural(r.personaIds.length, 'persona')}).`,
      seed: null,
    };
  }
  const k = request.size ?? (r.selection?.length || r.personaIds.length);
  // AlignInputError from the draw is answered 422 by route() (lib/errors.ts).
  if (request.unique) return drawUnique(request, r, k, spec, db);
  // The pool's trait scores order the draw along the trait-space curve and balance its moments, as a run's own draw.
  const points = traitMatrix(db, r.personaIds) ?? undefined;
  const res = selectSystematic({ weights: r.weights, size: k, rng: createRng(request.seed), points });
  for (const i of res.indices) {
    const id = r.personaIds[i]!;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return {
    ...none,
    counts,
    k,
    method: 'systematic resampling (with replacement)',
    selection: 'systematic',
    selectionStatement: `${plural(k, 'draw')} with repeats from ${poolLabel(r)} by systematic resampling (seed ${request.seed}): ${plural(counts.size, 'distinct persona')}, each drawn about k w_i times.`,
    seed: request.seed,
  };
}

/** Counts and weight sums of the rows by a demographic field, most frequent first (ties by value). */
function tally(rows: ExportRow[], field: 'gender' | 'ageBand' | 'country'): DemographicCount[] {
  const m = new Map<string, DemographicCount>();
  for (const row of rows) {
    const value = row[field] || 'unknown';
    const e = m.get(value) ?? { value, personas: 0, weight: 0 };
    e.personas++;
    e.weight += row.weight;
    m.set(value, e);
  }
  return [...m.values()].sort((a, b) => b.personas - a.personas || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** A group's persona filters in words, or null when it sets none. */
function describePersonaFilters(f: Partial<PersonaFilters> | undefined): string | null {
  if (!f) return null;
  const parts: string[] = [];
  if (f.countries?.length) parts.push(`countries ${f.countries.join(', ')}`);
  if (f.ageBands?.length) parts.push(`age bands ${f.ageBands.join(', ')}`);
  if (f.genders?.length) parts.push(`genders ${f.genders.join(', ')}`);
  if (f.occupationContains) parts.push(`occupation containing "${f.occupationContains}"`);
  if (f.sources?.length) parts.push(`sources ${f.sources.join(', ')}`);
  return parts.length ? parts.join('; ') : null;
}

/** The manifest's set block: what the rows are, how the weights are normalised, and whose demographics they carry. */
function setBlock(request: ExportRequest, r: Resolved, draw: DrawnSet, rows: ExportRow[], spec: TargetSpec | null): ExportSet {
  const selected = rows.filter((x) => x.count > 0);
  let sum = 0;
  for (const row of rows) sum += row.weight;
  const n = rows.length;
  let normalisation: WeightNormalisation;
  let statement: string;
  if (request.set === 'weights') {
    normalisation = 'pool';
    statement = r.run
      ? `weight = the persona's weight in run ${r.run.id}, summing to 1 over its pool of ${plural(n, 'persona')} (every row is exported); count = times in the selection (${draw.selectionStatement.replace(/\.$/, '')}).`
      : `weight = 1/${fmt.format(n)}: every persona of the pool weighs the same, summing to 1 over the ${plural(n, 'row')}.`;
  } else if (draw.setWeights) {
    normalisation = draw.recalibration ? 'recalibrated' : 'horvitz-thompson';
    statement = draw.recalibration
      ? `weight = the set weight of each of the ${plural(draw.k, 'distinct persona')}: the Horvitz-Thompson weights w_i / pi_i re-calibrated by entropy balancing to the target's ${
          draw.recalibration.moments === 'all' ? 'means, variances and covariances' : draw.recalibration.moments === 'meansAndVariances' ? 'means and variances' : 'means'
        }${draw.recalibration.converged ? '' : ' (approximately: see recalibration.warnings)'}; they sum to 1 over the ${plural(n, 'row')}.`
      : `weight = the Horvitz-Thompson weight w_i / pi_i, normalised to sum to 1 over the ${plural(n, 'row')}; not re-calibrated: ${draw.reason}`;
  } else {
    normalisation = 'draws';
    statement =
      draw.selection === 'whole-pool'
        ? `weight = 1/${fmt.format(n)}: every persona of the pool once, summing to 1 over the ${plural(n, 'row')}.`
        : `weight = count / ${fmt.format(draw.k)} draws: each draw counts 1/${fmt.format(draw.k)}, so the weights sum to 1 over the ${plural(n, 'row')}. Weighting the rows by weight and repeating each row count times describe the same set: use one, not both.`;
  }
  const countries = tally(selected, 'country');
  const others = countries.slice(10);
  const group = r.group?.definition;
  const targetDescription = spec ? describeFilters(spec) : '';
  const demographicsStatement = spec
    ? `The target (${targetDescription}) shapes the personas' Big Five traits through the weights; it does not select or balance the personas' own gender, age or country, which are counted here as they are.` +
      (r.group
        ? ((f) => (f ? ` The group's persona filters (${f}) decided which personas retrieval could return.` : ' The group sets no persona filters, so retrieval could return any persona.'))(
            describePersonaFilters(group?.personas?.filters),
          )
        : '')
    : 'A pool export has no target: these are the personas\' own demographics.';
  return {
    rows: n,
    distinct: selected.length,
    draws: draw.k,
    selection: { method: draw.selection, statement: draw.selectionStatement },
    weights: { normalisation, sum, statement, recalibration: request.set === 'weights' ? null : draw.recalibration, reason: request.set === 'weights' ? null : draw.reason },
    demographics: {
      target: spec
        ? {
            filters: spec.filters,
            description: targetDescription,
            personaFilters: r.group ? (group?.personas.filters ?? null) : null,
          }
        : null,
      personas: {
        gender: tally(selected, 'gender'),
        ageBand: tally(selected, 'ageBand'),
        country: countries.slice(0, 10),
        otherCountries: { values: others.length, personas: others.reduce((a, c) => a + c.personas, 0), weight: others.reduce((a, c) => a + c.weight, 0) },
      },
      statement: demographicsStatement,
    },
  };
}

/** Rows for persona ids with their weights and counts, in the given order; every id must exist. */
function buildRows(db: Db, entries: { personaId: number; weight: number; count: number }[]): ExportRow[] {
  const personas = new Map(listExportPersonas({ db, ids: entries.map((e) => e.personaId) }).map((p) => [p.id, p]));
  return entries.map((e) => {
    const p = personas.get(e.personaId);
    if (!p) throw new AppError('missing_persona', `Persona ${e.personaId} no longer exists, so the export cannot be rebuilt.`, 409);
    return {
      personaId: p.id,
      sourceId: p.sourceId,
      externalId: p.externalId,
      parentId: p.parentId,
      name: p.name,
      narrative: p.narrative,
      age: p.age,
      ageBand: p.ageBand,
      gender: p.gender,
      country: p.country,
      occupation: p.occupation,
      E: p.E,
      A: p.A,
      C: p.C,
      N: p.N,
      O: p.O,
      weight: e.weight,
      count: e.count,
      instrument: p.instrumentId,
      model: p.model,
      status: p.status,
    };
  });
}

/**
 * What the simulator formats and the dataset card need besides the rows, read from the manifest only (so that a file
 * rebuilt from a manifest has the same bytes): trait norms, title, provenance, licences and citations.
 */
export function simulatorMeta(m: Omit<ExportManifest, 'files'>, version: string = m.populaceVersion): SimulatorMeta {
  const run = m.source.run;
  const group = m.source.group;
  const title = group ? `Persona set of group "${group.name}"` : run ? `Persona set of run ${run.id} (${run.name})` : 'Persona pool';
  const summary = [
    group ? `Group "${group.name}", aligned by run ${run?.id ?? '?'}.` : run ? `Alignment run ${run.id} "${run.name}" (seed ${run.seed}).` : 'Every measured, non-rejected persona of the pool.',
    ...(m.source.target?.description ? [`Target population: ${m.source.target.description}.`] : []),
    ...(m.set ? [m.set.selection.statement, m.set.weights.statement, m.set.demographics.statement] : []),
  ];
  return {
    version,
    rowsSha256: m.rowsSha256,
    norms: m.traitNorms ?? null,
    description: {
      title,
      summary,
      reference: m.reference ? { name: m.reference.name, licence: m.reference.licence, citation: m.reference.citation } : null,
      personaSources: m.personaSources,
      methodsReport: m.methodsReport ?? null,
    },
  };
}

function filesFor(rows: ExportRow[], manifest: Omit<ExportManifest, 'files'>) {
  const meta = simulatorMeta(manifest, populaceVersion());
  const files = {} as ExportManifest['files'];
  const bytes = {} as Record<ExportFormat, Uint8Array>;
  for (const f of EXPORT_FORMATS) {
    bytes[f] = renderRows(rows, f, meta);
    files[f] = { sha256: sha256Hex(bytes[f]), bytes: bytes[f].length };
  }
  return { files, bytes };
}

/** The target's trait means and SDs, the population the simulator formats' trait words compare with. */
function traitNormsOf(spec: TargetSpec, db: Db): NonNullable<ExportManifest['traitNorms']> {
  const t = buildTarget(spec, db);
  const m = weightedMoments({ data: t.data, rows: t.n, cols: 5 });
  return { population: `the target (${describeFilters(spec)}, ${t.n.toLocaleString('en-US')} respondents)`, mean: Array.from(m.mean), sd: Array.from(m.sd) };
}

/** How to load a set with its weights (Python and R), stored in every manifest and shown in the README. */
export function usageSnippets(id: number | string): NonNullable<ExportManifest['usage']> {
  return {
    python: [
      'import pandas as pd',
      `df = pd.read_parquet("${exportFilename(id, 'parquet')}")  # pyarrow`,
      'weighted_means = df[["E", "A", "C", "N", "O"]].mul(df.weight, axis=0).sum() / df.weight.sum()',
      'population = df.loc[df.index.repeat(df["count"])].reset_index(drop=True)  # one row per draw',
    ].join('\n'),
    r: [
      'library(arrow)',
      `df <- read_parquet("${exportFilename(id, 'parquet')}")`,
      'weighted_means <- sapply(df[c("E", "A", "C", "N", "O")], weighted.mean, w = df$weight)',
      'population <- df[rep(seq_len(nrow(df)), df$count), ]  # one row per draw',
    ].join('\n'),
    weights:
      'Estimate population quantities with the weight column (weighted means, or survey::svydesign(weights = ~weight)), or instantiate each persona count times in a simulation: use one, not both. A set of distinct personas has count 1 for every row and carries its information in the weights.',
  };
}

/** The persona sources named in a count by source id, with their licence, citation and count. */
export function personaSourcesWithCounts(db: Db, counts: Map<string, number>): ExportManifest['personaSources'] {
  return listSourcesByIds({ db, ids: [...counts.keys()] }).map((s) => ({ id: s.id, name: s.name, licence: s.licence, citation: s.citation, personas: counts.get(s.id) ?? 0 }));
}

/** Resolves a request into rows and its manifest (nothing stored). */
export function prepareExport(input: unknown, db: Db = getDb()): { rows: ExportRow[]; manifest: ExportManifest; bytes: Record<ExportFormat, Uint8Array> } {
  const request = exportRequestSchema.parse(input);
  if (request.source.kind === 'pool' && request.set === 'weights' && (request.size !== undefined || request.unique)) {
    throw new AppError('bad_request', 'An export of every persona with its weight takes no size or unique option.', 400);
  }
  const r = resolveSource(request, db);
  const cfg = r.run?.config ?? null;
  const spec = cfg?.request.spec ?? null;
  if (request.unique) {
    const k = request.size ?? (r.selection?.length || r.personaIds.length);
    const available = r.weights.filter((w) => w > 0).length;
    checkDistinctSize(k, available, r.personaIds.length, poolLabel(r));
  } else if (request.size !== undefined) {
    checkSetSize({ field: 'size', value: request.size, poolSize: r.personaIds.length, distinct: false, poolLabel: poolLabel(r) });
  }
  const draw = drawSet(request, r, spec, db);
  const entries =
    request.set === 'weights'
      ? r.personaIds.map((id, i) => ({ personaId: id, weight: r.weights[i]!, count: draw.counts.get(id) ?? 0 }))
      : r.personaIds
          .filter((id) => (draw.counts.get(id) ?? 0) > 0)
          .map((id) => {
            const count = draw.counts.get(id)!;
            return { personaId: id, weight: draw.setWeights ? draw.setWeights.get(id)! : count / draw.k, count };
          });
  const rows = buildRows(db, entries);
  const hashes = rows.map(rowHash);
  const rowsSha256 = rowsDigest(hashes);

  const ref = spec ? getReferenceWithSource({ db, referenceSetId: spec.referenceSetId }) : undefined;
  const sourceCounts = new Map<string, number>();
  for (const row of rows) sourceCounts.set(row.sourceId, (sourceCounts.get(row.sourceId) ?? 0) + 1);
  const byStatus: Record<string, number> = {};
  for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  let coverage: Record<string, unknown> | null = null;
  if (r.run && r.group && spec) {
    const c = coverageOfRun(r.run, spec, db);
    coverage = c ? { ok: c.ok, statement: c.statement, uncoveredShare: c.uncoveredShare, gaps: c.gaps.map((g) => ({ label: g.label, missing: g.missing, share: g.share })) } : null;
  }
  const manifest: ExportManifest = {
    schema: MANIFEST_SCHEMA,
    populaceVersion: populaceVersion(),
    request,
    source: {
      kind: request.source.kind,
      run: r.run ? { id: r.run.id, name: r.run.name, seed: r.run.seed, status: r.run.status } : null,
      group: r.group,
      target: spec ? { spec, description: cfg?.targetDescription ?? null, n: cfg?.targetN ?? null } : null,
    },
    engine: {
      config: r.run ? runEngineConfig(r.run) : null,
      seed: r.run?.seed ?? null,
    },
    reference: ref ? { id: ref.id, name: ref.name, sourceId: ref.sourceId, licence: ref.licence, citation: ref.citation } : null,
    personaSources: personaSourcesWithCounts(db, sourceCounts),
    metrics: r.run?.metrics ?? null,
    diagnostics: r.run?.diagnostics ?? null,
    coverage,
    review: { byStatus, ...reviewSummaryFor({ db, ids: rows.map((x) => x.personaId) }) },
    selection: { k: draw.k, distinct: rows.filter((x) => x.count > 0).length, unique: request.unique, seed: draw.seed, method: draw.method },
    set: setBlock(request, r, draw, rows, spec),
    traitNorms: spec ? traitNormsOf(spec, db) : null,
    methodsReport: r.run ? methodsReportPath(r.run.id) : null,
    usage: usageSnippets('<id>'),
    columns: [...EXPORT_COLUMNS],
    rows: rows.map((x, i) => ({ personaId: x.personaId, weight: x.weight, count: x.count, sha256: hashes[i]! })),
    rowsSha256,
    files: {} as ExportManifest['files'],
  };
  const { files, bytes } = filesFor(rows, manifest);
  manifest.files = files;
  return { rows, manifest, bytes };
}

/**
 * Creates an export: stores its manifest and the bytes of its file in every format (with their sha256, equal to the
 * manifest's file hashes) in one transaction, owned by the actor. { id, createdAt, createdBy, manifest }.
 */
export function createExport(input: unknown, db: Db = getDb(), actor: Actor = LOCAL_ACTOR) {
  const { manifest, bytes } = prepareExport(input, db);
  const row = insertExportRow({
    db,
    runId: manifest.source.run?.id ?? null,
    format: manifest.request.format,
    manifest,
    createdBy: actor.username,
    files: EXPORT_FORMATS.map((f) => ({ format: f, sha256: manifest.files[f]!.sha256, bytes: bytes[f] })),
  });
  return { id: row.id, createdAt: row.createdAt, createdBy: row.createdBy, manifest };
}

/**
 * Rebuilds the file of a manifest in a format from the database: the rows listed in the manifest (persona, weight,
 * count) with the personas' current data. Each row must hash to the manifest's row hash and the file to the
 * manifest's file hash, so the bytes are the same as when the export was made (or the error says which row changed).
 */
export function renderFromManifest(manifest: ExportManifest, format: ExportFormat, db: Db = getDb()): Uint8Array {
  const rows = buildRows(db, manifest.rows);
  rows.forEach((row, i) => {
    const want: ManifestRow = manifest.rows[i]!;
    if (rowHash(row) !== want.sha256) {
      throw new AppError(
        'row_changed',
        `Row ${i + 1} (persona ${want.personaId}) no longer matches its hash in the manifest: the persona changed since the export (status, text or scores).`,
        409,
        { row: i + 1, personaId: want.personaId },
      );
    }
  });
  const bytes = renderRows(rows, format, simulatorMeta(manifest));
  const expected = manifest.files[format]?.sha256;
  if (expected && sha256Hex(bytes) !== expected) {
    throw new AppError('file_changed', `The ${format} file no longer hashes to the manifest's sha256 (the writer changed?).`, 409);
  }
  return bytes;
}

export function exportFilename(id: number | string, format: ExportFormat | 'manifest'): string {
  return `populace-export-${id}.${format === 'manifest' ? 'manifest.json' : FILE_EXTENSIONS[format]}`;
}

/** Where a run's methods report is served (HTML, printable to PDF). */
export function methodsReportPath(runId: number): string {
  return `/studio/runs/${runId}/methods`;
}

export function getExport(id: number, db: Db = getDb()) {
  const row = getExportRow({ db, id });
  if (!row) throw new AppError('not_found', `Export ${id} does not exist.`, 404);
  return { id: row.id, runId: row.runId, format: row.format, createdAt: row.createdAt, createdBy: row.createdBy, manifest: row.manifest };
}

export interface ExportDownload {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
  /** sha256 (hex) of the bytes; for a file, the manifest's file hash. */
  sha256: string;
  /** 'stored': the bytes written when the export was made; 'rebuilt': rendered again from the manifest (older exports). */
  origin: 'stored' | 'rebuilt' | 'manifest';
}

/**
 * The file of a stored export in a format (default the export's own), or its manifest as JSON. A file is the bytes
 * stored when the export was made (checked against the manifest's hash); an export made before files were stored
 * is rebuilt from its manifest (409 when a persona in it changed since).
 */
export function downloadExport(id: number, format: ExportFormat | 'manifest' | undefined, db: Db = getDb()): ExportDownload {
  const e = getExport(id, db);
  if (format === 'manifest') {
    const bytes = new TextEncoder().encode(JSON.stringify(e.manifest, null, 2) + '\n');
    return { bytes, filename: exportFilename(id, 'manifest'), contentType: 'application/json; charset=utf-8', sha256: sha256Hex(bytes), origin: 'manifest' };
  }
  const f = format ?? e.format;
  const expected = e.manifest.files[f]?.sha256;
  const stored = getExportFile({ db, exportId: id, format: f });
  if (stored) {
    const bytes = new Uint8Array(stored.bytes.buffer, stored.bytes.byteOffset, stored.bytes.byteLength);
    const actual = sha256Hex(bytes);
    if (actual !== stored.sha256 || (expected && actual !== expected)) {
      throw new AppError('file_corrupt', `The stored ${f} file of export ${id} no longer hashes to the manifest's sha256: the database copy is damaged.`, 500);
    }
    return { bytes, filename: exportFilename(id, f), contentType: CONTENT_TYPES[f], sha256: actual, origin: 'stored' };
  }
  const bytes = renderFromManifest(e.manifest, f, db);
  return { bytes, filename: exportFilename(id, f), contentType: CONTENT_TYPES[f], sha256: sha256Hex(bytes), origin: 'rebuilt' };
}

/** Exports for the list (without the per-row hashes), with whether the actor may delete each. */
export function listExports(db: Db = getDb(), actor: Actor = LOCAL_ACTOR) {
  return listExportRows({ db }).map((row) => {
    const m = row.manifest;
    return {
      id: row.id,
      runId: row.runId,
      format: row.format,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      mayDelete: mayDeleteOwned(actor, row.createdBy),
      source: m.source,
      set: m.request.set,
      selection: m.selection,
      /** Rows, distinct personas, draws, selection and weight normalisation (null for exports made before the set block). */
      summary: m.set
        ? { rows: m.set.rows, distinct: m.set.distinct, draws: m.set.draws, selection: m.set.selection.method, normalisation: m.set.weights.normalisation, statement: m.set.weights.statement }
        : null,
      rows: m.rows.length,
      rowsSha256: m.rowsSha256,
      files: m.files,
      methodsReport: m.methodsReport ?? null,
    };
  });
}

/**
 * Deletes an export and its stored files, and writes an audit entry, in one transaction. Allowed to its owner or an
 * admin when sign-in is required (403 otherwise), to anyone on a loopback server.
 */
export function deleteExport(id: number, actor: Actor = LOCAL_ACTOR, db: Db = getDb()) {
  const e = getExport(id, db);
  requireMayDelete(actor, e.createdBy, `export ${id}`);
  const deleted = deleteExportRow({
    db,
    id,
    audit: {
      actor: actor.username,
      action: 'delete',
      entity: 'export',
      entityId: id,
      details: {
        runId: e.runId,
        format: e.format,
        createdAt: e.createdAt,
        createdBy: e.createdBy,
        source: e.manifest.source.kind,
        rows: e.manifest.rows.length,
        rowsSha256: e.manifest.rowsSha256,
        files: e.manifest.files,
      },
    },
  });
  if (!deleted) throw new AppError('not_found', `Export ${id} does not exist.`, 404);
  return { deleted: id };
}

/** Added, removed and reweighted personas between two stored exports. */
export function diffStoredExports(a: number, b: number, db: Db = getDb()) {
  return { a, b, ...diffManifests(getExport(a, db).manifest, getExport(b, db).manifest) };
}

/** Re-export from a manifest file's text (CLI --from-manifest). */
export function reExportFromManifestText(text: string, file: string, format: ExportFormat | undefined, db: Db = getDb()) {
  const manifest = parseManifestText(text, file);
  const f = format ?? manifest.request.format;
  return { manifest, format: f, bytes: renderFromManifest(manifest, f, db) };
}
