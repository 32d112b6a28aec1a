/** A group's human target in numbers (respondents, per-country counts, warnings), and whether a URL selection names it. */
import { getDb, type Db } from '../../db/client';
import { countRespondentsByCountry } from '../../db/queries/targets';
import { AppError } from '../http/errors';
import { countryName } from '../targets/countries';
import type { TargetSpec } from '../targets/schema';
import { buildTarget } from '../targets/service';

export interface GroupTargetSummary {
  n: number;
  warnings: string[];
  description: string;
  /** Respondents per selected country (all countries: not listed). */
  perCountry: { code: string; name: string; n: number }[];
  error: string | null;
}

/** The group's human target in numbers: respondents, per-country counts and warnings (never throws). */
export function previewGroupTarget(spec: unknown, db: Db = getDb()): GroupTargetSummary {
  try {
    const t = buildTarget(spec, db);
    const countries = t.spec.filters.countries;
    const counts = countries.length ? countRespondentsByCountry({ db, referenceSetId: t.spec.referenceSetId }) : [];
    const perCountry = countries.map((c) => ({ code: c, name: countryName(c), n: counts.find((x) => x.country === c)?.n ?? 0 }));
    const warnings = [...t.warnings];
    const thin = perCountry.filter((c) => c.n < 100);
    if (countries.length > 1 && thin.length) {
      warnings.push(
        `Few respondents in ${thin.map((c) => `${c.name} (${c.n})`).join(', ')}: ${thin.length === countries.length ? 'every country is' : 'these countries are'} thinly represented${
          t.spec.preset.kind === 'none' ? '; consider a McCrae & Terracciano country norms preset' : ''
        }.`,
      );
    }
    return { n: t.n, warnings, description: t.description, perCountry, error: null };
  } catch (e) {
    if (e instanceof AppError) return { n: 0, warnings: [e.message], description: '', perCountry: [], error: e.message };
    throw e;
  }
}

/** True when a URL selection names the same reference side as a saved target spec (order of lists ignored). */
export function sameReferenceSelection(
  sel: { countries: string[]; ageMin?: number; ageMax?: number; genders: string[]; preset?: TargetSpec['preset'] },
  spec: TargetSpec,
): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  return (
    same(sel.countries, spec.filters.countries) &&
    same(sel.genders, spec.filters.genders) &&
    sel.ageMin === spec.filters.ageMin &&
    sel.ageMax === spec.filters.ageMax &&
    JSON.stringify(sel.preset ?? { kind: 'none' }) === JSON.stringify(spec.preset)
  );
}
