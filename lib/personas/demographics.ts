/** Demographic vocabularies shared by personas, reference respondents and group definitions. */

/** Age bands used across Populace (those of the BIG5 derived norms). */
export const AGE_BANDS = ['13-17', '18-24', '25-34', '35-49', '50+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number] | 'unknown';

/** The age band of an age in years; "unknown" for null or an age outside 13-100. */
export function ageBand(age: number | null | undefined): AgeBand {
  if (age === null || age === undefined || !Number.isFinite(age) || age < 13 || age > 100) return 'unknown';
  if (age < 18) return '13-17';
  if (age < 25) return '18-24';
  if (age < 35) return '25-34';
  if (age < 50) return '35-49';
  return '50+';
}

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];
