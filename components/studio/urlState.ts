/**
 * The studio's state in the address, so that a view can be reloaded and shared:
 *
 *   /studio?target=europe&age=18-40&gender=female&preset=johnson:Female:21-40&E=+0.2x1.1&N=-0.3
 *          &live=kde&bandwidth=0.35&estimator=raking&selection=pivotal&scatter=E,N
 *
 * - target: whose respondents: `all` (default), a region id (`europe`, `east-asia`, `north-america`) or ISO country
 *   codes separated by commas (`DE,NL`).
 * - age: `18-40`, `18-` or `-40`; gender: `female,male,other`.
 * - preset: `johnson:<Female|Male>:<group>` or `mccrae:<code>` (published norms).
 * - E A C N O: a slider edit, `<shift>x<spread>`: `+0.2x1.1`, `-0.3` (spread 1), `x0.8` (shift 0); shift in points of the
 *   1-5 scale (-1 to +1), spread an SD multiplier (0.5 to 1.5). A `+` may arrive as a space (form encoding).
 * - live: the live weights (`calibration`, `kde`); bandwidth: the KDE bandwidth (`0.2`, `0.35`, `0.5`, `0.75`, `scott`,
 *   `silverman`); estimator and selection: the next full run's; scatter: the scatter's two traits (`E,N`).
 *
 * Defaults are left out of the address. A value that is not understood is reported by name (a visible message), and the
 * default is used instead. Pure: used by the server page (first render) and the client (writing the address).
 */
import type { EstimatorChoice } from '@/lib/align/alignPool';
import { DEFAULT_ESTIMATOR, DEFAULT_LIVE_METHOD, DEFAULT_SELECTION, STUDIO_KDE_BANDWIDTH } from '@/lib/core/defaults';
import { TRAITS, type Trait } from '@/lib/core/traits';
import type { KdeBandwidth, LiveMethod } from '@/lib/studio/liveTypes';
import type { NormsPreset, ReferenceFilters, TraitEdits } from '@/lib/targets/schema';

export const ESTIMATOR_VALUES: readonly EstimatorChoice[] = ['auto', 'calibration', 'raking', 'logistic', 'kde', 'paper'];
export const SELECTION_VALUES = ['systematic', 'multinomial', 'pivotal', 'topFraction'] as const;
export const BANDWIDTH_VALUES: readonly KdeBandwidth[] = [0.5, 0.35, 0.2, 0.75, 'scott', 'silverman'];
const GENDERS = ['female', 'male', 'other'] as const;

export interface StudioUrlState {
  filters: ReferenceFilters;
  preset: NormsPreset;
  edits: TraitEdits;
  method: LiveMethod;
  bandwidth: KdeBandwidth;
  estimator: EstimatorChoice;
  selection: string;
  scatterTraits: [number, number];
}

/** A parameter of the address that was not understood, and what the studio shows instead. */
export interface UrlProblem {
  param: string;
  value: string;
  message: string;
}

/** What the address may name: the target pickers' choices. */
export interface UrlOptions {
  countries: { code: string }[];
  regions: { id: string; countries: string[] }[];
  johnsonGroups: string[];
  mccraeCountries: { code: string }[];
}

const neutral = () => ({ shift: 0, spread: 1 });

export function defaultStudioState(): StudioUrlState {
  return {
    filters: { countries: [], genders: [] },
    preset: { kind: 'none' },
    edits: { E: neutral(), A: neutral(), C: neutral(), N: neutral(), O: neutral() },
    method: DEFAULT_LIVE_METHOD,
    bandwidth: STUDIO_KDE_BANDWIDTH,
    estimator: DEFAULT_ESTIMATOR,
    selection: DEFAULT_SELECTION,
    scatterTraits: [0, 3],
  };
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function entries(params: Params): [string, string][] {
  if (params instanceof URLSearchParams) return [...params.entries()];
  return Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** One slider edit: `+0.2x1.1`, `-0.3`, `x0.8`; a sentence saying why when not understood or out of the sliders' ranges. */
export function parseEdit(raw: string): { shift: number; spread: number } | string {
  // Form encoding turns a literal "+" into a space: trimmed, the number reads as positive.
  const v = raw.trim();
  const m = /^([^xX]*)(?:[xX](.*))?$/.exec(v);
  const shiftText = m?.[1] ?? '';
  const spreadText = m?.[2];
  if (shiftText !== '' && !NUMBER.test(shiftText)) return 'the mean shift is not a number';
  if (spreadText !== undefined && !NUMBER.test(spreadText)) return 'the spread after "x" is not a number';
  if (shiftText === '' && spreadText === undefined) return 'it is empty';
  const shift = shiftText === '' ? 0 : Number(shiftText);
  const spread = spreadText === undefined ? 1 : Number(spreadText);
  if (shift < -1 || shift > 1) return 'the mean shift must be between -1 and +1 points';
  if (spread < 0.5 || spread > 1.5) return 'the spread must be between 0.5 and 1.5 times the SD';
  return { shift: Math.round(shift * 100) / 100, spread: Math.round(spread * 100) / 100 };
}

/** A slider edit as written in the address ('' for no edit). */
export function formatEdit(e: { shift: number; spread: number }): string {
  const shift = e.shift === 0 ? '' : `${e.shift > 0 ? '+' : ''}${Number(e.shift.toFixed(2))}`;
  const spread = e.spread === 1 ? '' : `x${Number(e.spread.toFixed(2))}`;
  return shift + spread;
}

function presetText(p: NormsPreset): string {
  if (p.kind === 'johnson') return `johnson:${p.sex}:${p.ageGroup}`;
  if (p.kind === 'mccrae') return `mccrae:${p.country}`;
  return '';
}

/** Reads the studio's state from the address; every parameter it cannot use is named in `problems`. */
export function parseStudioUrl(params: Params, options: UrlOptions): { state: StudioUrlState; problems: UrlProblem[] } {
  const state = defaultStudioState();
  const problems: UrlProblem[] = [];
  const problem = (param: string, value: string, why: string, instead: string) =>
    problems.push({ param, value, message: `The address parameter ${param}=${value} was not understood (${why}); the studio shows ${instead} instead.` });
  const countryCodes = new Set(options.countries.map((c) => c.code));
  for (const [key, given] of entries(params)) {
    // A "+" sent unencoded arrives as a space: shown as written.
    const raw = given.replace(/^ /, '+');
    const value = given.trim();
    switch (key) {
      case 'target': {
        if (value === '' || value === 'all') break;
        const region = options.regions.find((r) => r.id === value);
        if (region) {
          state.filters.countries = [...region.countries];
          break;
        }
        const codes = value.split(',').map((c) => (c.trim().toLowerCase() === 'unknown' ? 'unknown' : c.trim().toUpperCase()));
        const unknown = codes.filter((c) => !countryCodes.has(c));
        if (unknown.length) {
          problem(
            'target',
            raw,
            `expected "all", a region (${options.regions.map((r) => r.id).join(', ')}) or country codes such as DE,NL; unknown: ${unknown.slice(0, 5).join(', ')}`,
            'respondents from all countries',
          );
        } else state.filters.countries = [...new Set(codes)];
        break;
      }
      case 'age': {
        const m = /^(\d{2,3})?-(\d{2,3})?$/.exec(value);
        const lo = m?.[1] ? Number(m[1]) : undefined;
        const hi = m?.[2] ? Number(m[2]) : undefined;
        if (!m || (lo === undefined && hi === undefined) || [lo, hi].some((a) => a !== undefined && (a < 13 || a > 100)) || (lo !== undefined && hi !== undefined && lo > hi)) {
          problem('age', raw, 'expected an age range within 13-100 such as 18-40, 18- or -40', 'every age');
        } else {
          if (lo !== undefined) state.filters.ageMin = lo;
          if (hi !== undefined) state.filters.ageMax = hi;
        }
        break;
      }
      case 'gender': {
        const gs = value.split(',').map((g) => g.trim().toLowerCase());
        const bad = gs.filter((g) => !(GENDERS as readonly string[]).includes(g));
        if (bad.length) problem('gender', raw, 'expected female, male or other, separated by commas', 'every gender');
        else state.filters.genders = [...new Set(gs)] as ReferenceFilters['genders'];
        break;
      }
      case 'preset': {
        if (value === '' || value === 'none') break;
        const [kind, ...rest] = value.split(':');
        if (kind === 'johnson' && rest.length === 2 && options.johnsonGroups.includes(`${rest[0]} ${rest[1]}`)) {
          state.preset = { kind: 'johnson', sex: rest[0] as 'Male' | 'Female', ageGroup: rest[1] as '<21' | '21-40' | '41-60' | '>60' };
        } else if (kind === 'mccrae' && rest.length === 1 && options.mccraeCountries.some((c) => c.code === rest[0])) {
          state.preset = { kind: 'mccrae', country: rest[0]! };
        } else problem('preset', raw, 'expected johnson:<Female|Male>:<age group> or mccrae:<country> from the preset list', 'no norms preset');
        break;
      }
      case 'E':
      case 'A':
      case 'C':
      case 'N':
      case 'O': {
        const e = parseEdit(raw);
        if (typeof e === 'string') problem(key, raw, `${e}; write e.g. ${key}=+0.2x1.1`, `no edit of ${key}`);
        else state.edits[key] = e;
        break;
      }
      case 'live':
        if (value === 'calibration' || value === 'kde') state.method = value;
        else problem('live', raw, 'expected calibration or kde', `${DEFAULT_LIVE_METHOD} weights`);
        break;
      case 'bandwidth': {
        const b = BANDWIDTH_VALUES.find((x) => String(x) === value);
        if (b === undefined) problem('bandwidth', raw, `expected one of ${BANDWIDTH_VALUES.join(', ')}`, `a bandwidth of ${STUDIO_KDE_BANDWIDTH} trait points`);
        else state.bandwidth = b;
        break;
      }
      case 'estimator': {
        const e = ESTIMATOR_VALUES.find((x) => x === value);
        if (!e) problem('estimator', raw, `expected one of ${ESTIMATOR_VALUES.join(', ')}`, DEFAULT_ESTIMATOR);
        else state.estimator = e;
        break;
      }
      case 'selection':
        if ((SELECTION_VALUES as readonly string[]).includes(value)) state.selection = value;
        else problem('selection', raw, `expected one of ${SELECTION_VALUES.join(', ')}`, `${DEFAULT_SELECTION} draws`);
        break;
      case 'scatter': {
        const ks = value.split(',').map((c) => TRAITS.indexOf(c.trim().toUpperCase() as Trait));
        if (ks.length !== 2 || ks.some((k) => k < 0)) problem('scatter', raw, 'expected two trait codes such as E,N', 'E against N');
        else state.scatterTraits = [ks[0]!, ks[1]!];
        break;
      }
      default:
        problems.push({ param: key, value: raw, message: `The address parameter ${key} is not one the studio knows; it was ignored.` });
    }
  }
  return { state, problems };
}

/** Encodes a value for the query, keeping + , : readable (a "+" read back as a space is understood). */
function enc(v: string): string {
  return encodeURIComponent(v).replace(/%2B/g, '+').replace(/%2C/g, ',').replace(/%3A/g, ':');
}

/** The query string (without "?") of a studio state; defaults are left out, so the plain studio is "". */
export function studioUrlQuery(s: StudioUrlState, options: Pick<UrlOptions, 'regions'>): string {
  const parts: [string, string][] = [];
  const cs = s.filters.countries;
  if (cs.length) {
    const region = options.regions.find((r) => r.countries.length === cs.length && r.countries.every((c) => cs.includes(c)));
    parts.push(['target', region ? region.id : cs.join(',')]);
  }
  if (s.filters.ageMin !== undefined || s.filters.ageMax !== undefined) parts.push(['age', `${s.filters.ageMin ?? ''}-${s.filters.ageMax ?? ''}`]);
  if (s.filters.genders.length) parts.push(['gender', s.filters.genders.join(',')]);
  if (s.preset.kind !== 'none') parts.push(['preset', presetText(s.preset)]);
  for (const k of TRAITS) {
    const e = formatEdit(s.edits[k]);
    if (e) parts.push([k, e]);
  }
  if (s.method !== DEFAULT_LIVE_METHOD) parts.push(['live', s.method]);
  if (s.bandwidth !== STUDIO_KDE_BANDWIDTH) parts.push(['bandwidth', String(s.bandwidth)]);
  if (s.estimator !== DEFAULT_ESTIMATOR) parts.push(['estimator', s.estimator]);
  if (s.selection !== DEFAULT_SELECTION) parts.push(['selection', s.selection]);
  if (s.scatterTraits[0] !== 0 || s.scatterTraits[1] !== 3) parts.push(['scatter', `${TRAITS[s.scatterTraits[0]]},${TRAITS[s.scatterTraits[1]]}`]);
  return parts.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}
