/**
 * The visual target builder's counting, in one pass over the compact reference (it runs in the browser on every
 * click): the selection mask, respondents, per-country counts, the age-gender pyramid, trait histograms and means, and
 * the warnings and small helpers the builder shows with them. Pure and framework-free (server and browser).
 */
import { TRAITS, type Trait } from '../instruments/traits';
import { GENDERS, TRAIT_STEPS_PER_POINT, type CompactReference, type Gender } from './builderCompact';

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

/** Histogram bins of the trait plots: width 0.2 on 1-5 (two 0.1 steps of an IPIP-50 score per bin, so no aliasing). */
export const HIST_BINS = 20;

/** The reference side of a group as the builder edits it (the same fields as ReferenceFilters). */
export interface BuilderSelection {
  countries: string[];
  ageMin?: number;
  ageMax?: number;
  genders: Gender[];
}

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
