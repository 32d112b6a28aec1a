/**
 * The visual target builder's arithmetic, pure and framework-free (it runs in the browser on every click and in
 * tests): the compact per-respondent reference (country index, age, gender, E A C N O in bytes), the selection mask
 * and one-pass summaries (respondents, per-country counts, the age-gender pyramid, trait histograms and means), the
 * persona side's faceted counts, and the selection <-> URL query string.
 *
 * Matching is the SQL's (db/queries/targets.ts): an empty list means "any"; an age bound excludes respondents whose
 * age is unknown.
 */

import { TRAITS, TRAIT_NAMES, type Trait } from '../instruments/traits';

export { TRAITS, TRAIT_NAMES, type Trait };

/** Gender codes, in the order of the compact gender column. */
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/** Fewer respondents than this is a noisy target (the same threshold as MIN_RESPONDENTS in lib/targets/service.ts). */
export const SMALL_SAMPLE = 100;

export const AGE_MIN = 13;
export const AGE_MAX = 100;

/** Age bands of the reference pyramid (inclusive bounds), youngest first. */
export const AGE_BANDS: readonly { label: string; min: number; max: number }[] = [
  { label: '13-17', min: 13, max: 17 },
  { label: '18-24', min: 18, max: 24 },
  { label: '25-29', min: 25, max: 29 },
  { label: '30-34', min: 30, max: 34 },
  { label: '35-39', min: 35, max: 39 },
  { label: '40-44', min: 40, max: 44 },
  { label: '45-49', min: 45, max: 49 },
  { label: '50-54', min: 50, max: 54 },
  { label: '55-59', min: 55, max: 59 },
  { label: '60-64', min: 60, max: 64 },
  { label: '65-69', min: 65, max: 69 },
  { label: '70+', min: 70, max: 100 },
];

/** Trait score quantum of the compact form: scores are stored as round((x - 1) * 50) in one byte (exact for 0.02 steps). */
export const TRAIT_STEPS_PER_POINT = 50;
/** Histogram bins of the trait plots: width 0.2 on 1-5 (two 0.1 steps of an IPIP-50 score per bin, so no aliasing). */
export const HIST_BINS = 20;

export interface CompactReference {
  n: number;
  /** Country codes by index (alpha-2, or the data's own codes such as 'unknown'). */
  countries: string[];
  country: Uint16Array;
  /** Age in years; 0 = unknown. */
  age: Uint8Array;
  /** Index into GENDERS. */
  gender: Uint8Array;
  /** n x 5 (E A C N O), each round((x - 1) * 50). */
  traits: Uint8Array;
}

/** The reference side of a group as the builder edits it (the same fields as ReferenceFilters). */
export interface BuilderSelection {
  countries: string[];
  ageMin?: number;
  ageMax?: number;
  genders: Gender[];
}

// ---------------------------------------------------------------------------------------------------------------
// Compact encoding: bytes = [country u16 LE x n][age x n][gender x n][traits x 5n], sent as base64.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Packs respondents into the compact byte layout. Throws on more than 65,535 countries or a trait outside 1-5. */
export function packReference(
  rows: readonly { country: string; age: number | null; gender: string; E: number; A: number; C: number; N: number; O: number }[],
): { countries: string[]; bytes: Uint8Array } {
  const n = rows.length;
  const countries: string[] = [];
  const index = new Map<string, number>();
  const bytes = new Uint8Array(9 * n);
  const view = new DataView(bytes.buffer);
  rows.forEach((r, i) => {
    let c = index.get(r.country);
    if (c === undefined) {
      c = countries.length;
      countries.push(r.country);
      index.set(r.country, c);
    }
    view.setUint16(2 * i, c, true);
    bytes[2 * n + i] = r.age === null || r.age < 1 ? 0 : Math.min(255, Math.round(r.age));
    const g = GENDERS.indexOf(r.gender as Gender);
    bytes[3 * n + i] = g < 0 ? 3 : g;
    for (let k = 0; k < 5; k++) {
      const x = r[TRAITS[k]!];
      if (!(x >= 1 && x <= 5)) throw new RangeError(`Trait ${TRAITS[k]} of respondent ${i} is ${x}, outside 1-5.`);
      bytes[4 * n + 5 * i + k] = Math.round((x - 1) * TRAIT_STEPS_PER_POINT);
    }
  });
  return { countries, bytes };
}

/** Base64 of bytes (no Buffer or btoa needed). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    out += B64[a >> 2]! + B64[((a & 3) << 4) | (b >> 4)]!;
    out += i + 1 < bytes.length ? B64[((b & 15) << 2) | (c >> 6)]! : '=';
    out += i + 2 < bytes.length ? B64[c & 63]! : '=';
  }
  return out;
}

/** Bytes of a base64 string. */
export function fromBase64(text: string): Uint8Array {
  const lookup = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) lookup[B64.charCodeAt(i)] = i;
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const v = [0, 1, 2, 3].map((k) => (i + k < clean.length ? lookup[clean.charCodeAt(i + k)]! : 0));
    const chunk = (v[0]! << 18) | (v[1]! << 12) | (v[2]! << 6) | v[3]!;
    if (o < out.length) out[o++] = (chunk >> 16) & 255;
    if (o < out.length && i + 2 < clean.length) out[o++] = (chunk >> 8) & 255;
    if (o < out.length && i + 3 < clean.length) out[o++] = chunk & 255;
  }
  return out;
}

/** The compact reference from its wire form ({ n, countries, data: base64 of the byte layout }). */
export function decodeReference(wire: { n: number; countries: string[]; data: string }): CompactReference {
  const n = wire.n;
  const bytes = fromBase64(wire.data);
  if (bytes.length !== 9 * n) throw new RangeError(`Expected ${9 * n} bytes for ${n} respondents, got ${bytes.length}.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const country = new Uint16Array(n);
  for (let i = 0; i < n; i++) country[i] = view.getUint16(2 * i, true);
  return {
    n,
    countries: wire.countries,
    country,
    age: bytes.slice(2 * n, 3 * n),
    gender: bytes.slice(3 * n, 4 * n),
    traits: bytes.slice(4 * n, 9 * n),
  };
}

/** A trait score (1-5) back from its byte. */
export const traitValue = (byte: number) => 1 + byte / TRAIT_STEPS_PER_POINT;

// ---------------------------------------------------------------------------------------------------------------
// Counting

/** Index of the pyramid band of an age (-1 when unknown or outside 13-100). */
export function ageBandIndex(age: number): number {
  if (age < AGE_MIN || age > AGE_MAX) return -1;
  for (let b = AGE_BANDS.length - 1; b >= 0; b--) if (age >= AGE_BANDS[b]!.min) return b;
  return -1;
}

/** Respondents per country index (the whole reference). */
export function countByCountry(ref: CompactReference): Int32Array {
  const out = new Int32Array(ref.countries.length);
  for (let i = 0; i < ref.n; i++) out[ref.country[i]!]!++;
  return out;
}

function ageOk(age: number, sel: BuilderSelection): boolean {
  if (sel.ageMin === undefined && sel.ageMax === undefined) return true;
  if (age === 0) return false;
  return (sel.ageMin === undefined || age >= sel.ageMin) && (sel.ageMax === undefined || age <= sel.ageMax);
}

/** 1 where a respondent matches the selection (countries, age bounds, genders), else 0. */
export function selectionMask(ref: CompactReference, sel: BuilderSelection): Uint8Array {
  const countryOn = countryFlags(ref, sel);
  const genderOn = genderFlags(sel);
  const mask = new Uint8Array(ref.n);
  for (let i = 0; i < ref.n; i++) mask[i] = countryOn[ref.country[i]!] && genderOn[ref.gender[i]!] && ageOk(ref.age[i]!, sel) ? 1 : 0;
  return mask;
}

function countryFlags(ref: CompactReference, sel: BuilderSelection): Uint8Array {
  const on = new Uint8Array(ref.countries.length);
  if (sel.countries.length === 0) on.fill(1);
  else {
    const wanted = new Set(sel.countries);
    ref.countries.forEach((c, k) => (on[k] = wanted.has(c) ? 1 : 0));
  }
  return on;
}

function genderFlags(sel: BuilderSelection): Uint8Array {
  const on = new Uint8Array(GENDERS.length);
  if (sel.genders.length === 0) on.fill(1);
  else GENDERS.forEach((g, k) => (on[k] = sel.genders.includes(g) ? 1 : 0));
  return on;
}

export interface PyramidRow {
  label: string;
  min: number;
  max: number;
  /** Respondents of this band in the selected countries, by gender (female, male, other, unknown). */
  all: [number, number, number, number];
  /** Of those, the ones inside the selection (age and gender too). */
  selected: [number, number, number, number];
}

export interface SelectionSummary {
  /** Respondents in the selection. */
  n: number;
  /** Per country index: respondents of that country matching the age and gender choices (whether or not the country is selected). */
  perCountry: Int32Array;
  /** The selection's countries with their counts, largest first. */
  selectedCountries: { code: string; n: number }[];
  /** Age bands x gender in the selected countries (all, and inside the selection), youngest first. */
  pyramid: PyramidRow[];
  /** Respondents of the selected countries whose age is unknown. */
  unknownAge: number;
  /** Per trait: share of the selection in each of HIST_BINS bins on 1-5 (zeros when the selection is empty). */
  hist: Record<Trait, Float64Array>;
  /** Per trait: mean of the selection (NaN when empty). */
  mean: Record<Trait, number>;
}

/** Everything the builder shows for a selection, in one pass over the respondents: O(n). */
export function summarize(ref: CompactReference, sel: BuilderSelection): SelectionSummary {
  const countryOn = countryFlags(ref, sel);
  const genderOn = genderFlags(sel);
  const perCountry = new Int32Array(ref.countries.length);
  const pyramid: PyramidRow[] = AGE_BANDS.map((b) => ({ label: b.label, min: b.min, max: b.max, all: [0, 0, 0, 0], selected: [0, 0, 0, 0] }));
  const bandOf = new Int8Array(256).fill(-1);
  for (let a = 0; a < 256; a++) bandOf[a] = ageBandIndex(a);
  const histCounts = new Float64Array(5 * HIST_BINS);
  const sums = new Float64Array(5);
  let n = 0;
  let unknownAge = 0;
  const { country, age, gender, traits } = ref;
  const binOf = (byte: number) => Math.min(HIST_BINS - 1, Math.floor((byte * HIST_BINS) / (4 * TRAIT_STEPS_PER_POINT)));
  for (let i = 0; i < ref.n; i++) {
    const c = country[i]!;
    const g = gender[i]!;
    const a = age[i]!;
    const demoOk = genderOn[g] === 1 && ageOk(a, sel);
    if (demoOk) perCountry[c]!++;
    if (!countryOn[c]) continue;
    const b = bandOf[a]!;
    if (b >= 0) pyramid[b]!.all[g as 0]++;
    else unknownAge++;
    if (!demoOk) continue;
    n++;
    if (b >= 0) pyramid[b]!.selected[g as 0]++;
    for (let k = 0; k < 5; k++) {
      const v = traits[5 * i + k]!;
      sums[k]! += v;
      histCounts[k * HIST_BINS + binOf(v)]!++;
    }
  }
  const hist = {} as Record<Trait, Float64Array>;
  const mean = {} as Record<Trait, number>;
  TRAITS.forEach((t, k) => {
    const h = histCounts.slice(k * HIST_BINS, (k + 1) * HIST_BINS);
    if (n > 0) for (let j = 0; j < HIST_BINS; j++) h[j]! /= n;
    hist[t] = h;
    mean[t] = n > 0 ? 1 + sums[k]! / n / TRAIT_STEPS_PER_POINT : Number.NaN;
  });
  const selectedCountries = sel.countries
    .map((code) => ({ code, n: countryIndexOf(ref, code) >= 0 ? perCountry[countryIndexOf(ref, code)]! : 0 }))
    .sort((a, b) => b.n - a.n || a.code.localeCompare(b.code));
  return { n, perCountry, selectedCountries, pyramid, unknownAge, hist, mean };
}

function countryIndexOf(ref: CompactReference, code: string): number {
  return ref.countries.indexOf(code);
}

/** Lower edge of histogram bin j on 1-5. */
export const histBinStart = (j: number) => 1 + (4 * j) / HIST_BINS;

/** Mean differences of the selection from the whole reference, in trait points (selection - all). */
export function meanShifts(selection: SelectionSummary, all: SelectionSummary): Record<Trait, number> {
  const out = {} as Record<Trait, number>;
  for (const t of TRAITS) out[t] = selection.mean[t] - all.mean[t];
  return out;
}

/** "+0.12" / "-0.05" / "±0.00" for a trait-point difference. */
export function formatShift(d: number): string {
  if (!Number.isFinite(d)) return '—';
  const r = Math.round(d * 100) / 100;
  return r === 0 ? '±0.00' : `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(2)}`;
}

/** The warnings a selection deserves: too few respondents overall, and thinly represented countries. */
export function selectionWarnings(summary: SelectionSummary, countryName: (code: string) => string): string[] {
  const out: string[] = [];
  if (summary.n === 0) out.push('No respondent matches this selection: widen the countries, ages or genders.');
  else if (summary.n < SMALL_SAMPLE) {
    out.push(`Only ${summary.n} respondents match: the target distribution is noisy (fewer than ${SMALL_SAMPLE}). Widen the selection or use a published norms preset.`);
  }
  const thin = summary.selectedCountries.filter((c) => c.n < SMALL_SAMPLE);
  if (summary.selectedCountries.length > 1 && thin.length && summary.n > 0) {
    out.push(
      `Few respondents (under ${SMALL_SAMPLE}) in ${thin.map((c) => `${countryName(c.code)} (${c.n})`).join(', ')}: ${
        thin.length === summary.selectedCountries.length ? 'every country is' : 'these countries are'
      } thinly represented.`,
    );
  }
  return out;
}

/** Toggles a value in a list (keeps order; appends when absent). */
export function toggleIn<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((x) => x !== value) : [...list, value];
}

/** The age bounds covered by pyramid bands from..to (either order); the whole range clears the bounds. */
export function bandsToAges(from: number, to: number): { ageMin?: number; ageMax?: number } {
  const lo = AGE_BANDS[Math.max(0, Math.min(from, to))]!;
  const hi = AGE_BANDS[Math.min(AGE_BANDS.length - 1, Math.max(from, to))]!;
  return { ageMin: lo.min === AGE_MIN ? undefined : lo.min, ageMax: hi.max === AGE_MAX ? undefined : hi.max };
}

// ---------------------------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------------------------
// Persona side

/** Personas' demographics as the persona-side filters see them (one row per retrieval candidate). */
export interface PersonaDemographics {
  ageBands: string[];
  genders: string[];
  /** Countries as stored, with their alpha-2 code when one is known. */
  countries: { value: string; code: string | null }[];
  sources: string[];
  /** [ageBand, gender, country, source] indices, and the lower-cased occupation. */
  rows: { a: number; g: number; c: number; s: number; occupation: string }[];
}

export interface PersonaFilterChoice {
  ageBands: string[];
  genders: string[];
  countries: string[];
  occupationContains?: string;
  sources: string[];
}

export interface PersonaCounts {
  /** Personas matching every filter. */
  matching: number;
  total: number;
  /** For each option of a dimension: personas left if the dimension were that option alone (the other filters kept). */
  ageBands: Record<string, number>;
  genders: Record<string, number>;
  countries: Record<string, number>;
  sources: Record<string, number>;
  /** Age band x gender counts of the matching personas. */
  pyramid: Record<string, Record<string, number>>;
  /** Matching personas per alpha-2 code (personas with an unmapped country are left out). */
  perCode: Record<string, number>;
  /** Why the result is empty, in words (null when something matches). */
  emptyReason: string | null;
}

/** Faceted counts of the persona-side filters: how many personas each choice leaves. O(rows x dimensions). */
export function countPersonas(demo: PersonaDemographics, f: PersonaFilterChoice): PersonaCounts {
  const wantA = new Set(f.ageBands);
  const wantG = new Set(f.genders);
  const wantC = new Set(f.countries.map((c) => c.toLowerCase()));
  const wantS = new Set(f.sources);
  const occ = f.occupationContains?.trim().toLowerCase() ?? '';
  const out: PersonaCounts = { matching: 0, total: demo.rows.length, ageBands: {}, genders: {}, countries: {}, sources: {}, pyramid: {}, perCode: {}, emptyReason: null };
  for (const a of demo.ageBands) out.ageBands[a] = 0;
  for (const g of demo.genders) out.genders[g] = 0;
  for (const c of demo.countries) out.countries[c.value] = 0;
  for (const s of demo.sources) out.sources[s] = 0;
  for (const a of demo.ageBands) out.pyramid[a] = Object.fromEntries(demo.genders.map((g) => [g, 0]));
  for (const r of demo.rows) {
    const age = demo.ageBands[r.a]!;
    const gender = demo.genders[r.g]!;
    const country = demo.countries[r.c]!;
    const source = demo.sources[r.s]!;
    const okA = wantA.size === 0 || wantA.has(age);
    const okG = wantG.size === 0 || wantG.has(gender);
    const okC = wantC.size === 0 || wantC.has(country.value.toLowerCase());
    const okS = wantS.size === 0 || wantS.has(source);
    const okO = occ === '' || r.occupation.includes(occ);
    if (okG && okC && okS && okO) out.ageBands[age]!++;
    if (okA && okC && okS && okO) out.genders[gender]!++;
    if (okA && okG && okS && okO) out.countries[country.value]!++;
    if (okA && okG && okC && okO) out.sources[source]!++;
    if (okA && okG && okC && okS && okO) {
      out.matching++;
      out.pyramid[age]![gender]!++;
      if (country.code) out.perCode[country.code] = (out.perCode[country.code] ?? 0) + 1;
    }
  }
  if (out.matching === 0) out.emptyReason = explainEmpty(demo, f);
  return out;
}

function describeValues(counts: Record<string, number>): string[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([v]) => v);
}

/** Why no persona matches: the first filter that alone leaves nobody, in the analyst's words. */
function explainEmpty(demo: PersonaDemographics, f: PersonaFilterChoice): string {
  if (demo.rows.length === 0) return '0 personas: the pool is empty (import or generate personas first).';
  const all: PersonaFilterChoice = { ageBands: [], genders: [], countries: [], sources: [] };
  const alone = (part: Partial<PersonaFilterChoice>) => matchFacets(demo, { ...all, ...part }).n;
  const dims: [keyof PersonaFilterChoice, string, string[]][] = [
    ['genders', 'gender', f.genders],
    ['ageBands', 'age band', f.ageBands],
    ['countries', 'country', f.countries],
    ['sources', 'source', f.sources],
  ];
  for (const [key, noun, chosen] of dims) {
    if (chosen.length === 0 || alone({ [key]: chosen }) > 0) continue;
    const present = describeValues(matchFacets(demo, all).facets[key] ?? {});
    if (present.length === 1) return `0 personas: every persona's ${noun} is ${present[0]}.`;
    return `0 personas: no persona has ${noun} ${chosen.join(' or ')} (present: ${present.slice(0, 8).join(', ')}${present.length > 8 ? ', …' : ''}).`;
  }
  if (f.occupationContains?.trim() && alone({ occupationContains: f.occupationContains }) === 0) {
    return `0 personas: no persona's occupation contains "${f.occupationContains.trim()}".`;
  }
  return '0 personas: each filter alone leaves some personas, but no persona matches all of them together; drop one filter.';
}

/** Personas matching every filter, and their values per dimension. */
function matchFacets(demo: PersonaDemographics, f: PersonaFilterChoice): { n: number; facets: Record<string, Record<string, number>> } {
  const wantA = new Set(f.ageBands);
  const wantG = new Set(f.genders);
  const wantC = new Set(f.countries.map((x) => x.toLowerCase()));
  const wantS = new Set(f.sources);
  const occ = f.occupationContains?.trim().toLowerCase() ?? '';
  let n = 0;
  const facets: Record<string, Record<string, number>> = { ageBands: {}, genders: {}, countries: {}, sources: {} };
  for (const r of demo.rows) {
    const v = { ageBands: demo.ageBands[r.a]!, genders: demo.genders[r.g]!, countries: demo.countries[r.c]!.value, sources: demo.sources[r.s]! };
    const ok =
      (wantA.size === 0 || wantA.has(v.ageBands)) &&
      (wantG.size === 0 || wantG.has(v.genders)) &&
      (wantC.size === 0 || wantC.has(v.countries.toLowerCase())) &&
      (wantS.size === 0 || wantS.has(v.sources)) &&
      (occ === '' || r.occupation.includes(occ));
    if (!ok) continue;
    n++;
    for (const k of Object.keys(facets)) facets[k]![v[k as keyof typeof v]] = (facets[k]![v[k as keyof typeof v]] ?? 0) + 1;
  }
  return { n, facets };
}
