/** The builder's selection <-> URL query string. Pure and framework-free (server and browser). */
import { GENDERS, type Gender } from './builderCompact';
import { AGE_MAX, AGE_MIN, type BuilderSelection } from './builderSummary';

// URL: countries=DE,NL&age=50-99&gender=female&norms=mccrae:DEU

export type NormsChoice = { kind: 'none' } | { kind: 'johnson'; sex: 'Male' | 'Female'; ageGroup: '<21' | '21-40' | '41-60' | '>60' } | { kind: 'mccrae'; country: string };

export interface UrlSelection extends BuilderSelection {
  preset?: NormsChoice;
}

/** The selection as URL query parameters (empty parts left out; order: countries, age, gender, norms). */
export function selectionToQuery(sel: UrlSelection): string {
  const parts: string[] = [];
  if (sel.countries.length) parts.push(`countries=${sel.countries.map(encodeURIComponent).join(',')}`);
  if (sel.ageMin !== undefined || sel.ageMax !== undefined) parts.push(`age=${sel.ageMin ?? ''}-${sel.ageMax ?? ''}`);
  if (sel.genders.length) parts.push(`gender=${sel.genders.join(',')}`);
  if (sel.preset && sel.preset.kind === 'mccrae') parts.push(`norms=mccrae:${encodeURIComponent(sel.preset.country)}`);
  if (sel.preset && sel.preset.kind === 'johnson') parts.push(`norms=johnson:${encodeURIComponent(`${sel.preset.sex} ${sel.preset.ageGroup}`)}`);
  return parts.join('&');
}

type QueryInput = URLSearchParams | Record<string, string | string[] | undefined>;

function param(q: QueryInput, key: string): string | undefined {
  if (q instanceof URLSearchParams) return q.get(key) ?? undefined;
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
}

const JOHNSON_AGES = ['<21', '21-40', '41-60', '>60'] as const;

/**
 * The selection a URL asks for; null when the URL says nothing about it. Unknown or malformed parts are dropped
 * (codes must be two capital letters or "unknown"; ages are clamped to 13-100 and put in order).
 */
export function selectionFromQuery(q: QueryInput): UrlSelection | null {
  const countriesRaw = param(q, 'countries');
  const ageRaw = param(q, 'age');
  const genderRaw = param(q, 'gender');
  const normsRaw = param(q, 'norms');
  if (countriesRaw === undefined && ageRaw === undefined && genderRaw === undefined && normsRaw === undefined) return null;
  const countries = [
    ...new Set(
      (countriesRaw ?? '')
        .split(',')
        .map((s) => s.trim())
        .map((s) => (s.toLowerCase() === 'unknown' ? 'unknown' : s.toUpperCase()))
        .filter((s) => /^[A-Z]{2}$/.test(s) || s === 'unknown'),
    ),
  ];
  const out: UrlSelection = { countries, genders: [] };
  const m = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(ageRaw ?? '');
  if (m) {
    const clamp = (s: string) => (s === '' ? undefined : Math.max(AGE_MIN, Math.min(AGE_MAX, Number(s))));
    let lo = clamp(m[1]!);
    let hi = clamp(m[2]!);
    if (lo !== undefined && hi !== undefined && lo > hi) [lo, hi] = [hi, lo];
    if (lo !== undefined && lo > AGE_MIN) out.ageMin = lo;
    if (hi !== undefined && hi < AGE_MAX) out.ageMax = hi;
    if (lo === AGE_MIN && hi === undefined) delete out.ageMin;
  }
  out.genders = [...new Set((genderRaw ?? '').split(',').map((s) => s.trim().toLowerCase()))].filter((g): g is Gender =>
    (GENDERS as readonly string[]).includes(g),
  );
  if (normsRaw) {
    const [kind, rest = ''] = [normsRaw.slice(0, normsRaw.indexOf(':')), normsRaw.slice(normsRaw.indexOf(':') + 1)];
    if (kind === 'mccrae' && /^[A-Z]{2,3}$/.test(rest)) out.preset = { kind: 'mccrae', country: rest };
    else if (kind === 'johnson') {
      const [sex, ageGroup] = rest.split(' ');
      if ((sex === 'Male' || sex === 'Female') && (JOHNSON_AGES as readonly string[]).includes(ageGroup ?? '')) {
        out.preset = { kind: 'johnson', sex, ageGroup: ageGroup as (typeof JOHNSON_AGES)[number] };
      }
    }
  }
  return out;
}
