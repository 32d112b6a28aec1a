/** What the visual target builder's sections share: norms country codes, norms groups, gender options, pyramid bands, age bands. */
import { AGE_MAX, AGE_MIN, ageBandIndex, type SelectionSummary } from '@/lib/groups/builder';
import { MCCRAE_TO_ALPHA2 } from '@/lib/targets/countries';
import type { PyramidBand } from './AgePyramid';

export const ALPHA2_TO_MCCRAE = Object.fromEntries(Object.entries(MCCRAE_TO_ALPHA2).map(([k, v]) => [v, k]));
export const JOHNSON_GROUPS = ['Female <21', 'Female 21-40', 'Female 41-60', 'Female >60', 'Male <21', 'Male 21-40', 'Male 41-60', 'Male >60'];
export const GENDER_OPTIONS = [
  { value: 'female', label: 'female' },
  { value: 'male', label: 'male' },
  { value: 'other', label: 'other' },
];

/** Pyramid bands of a summary: [female, male, other + unknown]. */
export function pyramidBands(s: SelectionSummary): PyramidBand[] {
  return s.pyramid.map((r) => ({
    label: r.label,
    all: [r.all[0], r.all[1], r.all[2] + r.all[3]],
    selected: [r.selected[0], r.selected[1], r.selected[2] + r.selected[3]],
  }));
}

/** The band range a selection's age bounds cover (null when there is no bound). */
export function bandRange(f: { ageMin?: number; ageMax?: number }): [number, number] | null {
  if (f.ageMin === undefined && f.ageMax === undefined) return null;
  return [Math.max(0, ageBandIndex(f.ageMin ?? AGE_MIN)), Math.max(0, ageBandIndex(f.ageMax ?? AGE_MAX))];
}

export const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
