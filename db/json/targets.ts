/** Target specs (`targets.filters`, `targets.edits`, a run's or group's target): a reference set, filters on its respondents, an optional norms preset and per-trait slider edits. */
import { z } from 'zod';

export const traitEditSchema = z.object({
  /** Added to the trait's mean, in points of the 1-5 scale. */
  shift: z.number().min(-2).max(2).default(0),
  /** Multiplies the trait's spread around its mean (1 = unchanged). */
  spread: z.number().min(0.25).max(2).default(1),
});
export type TraitEdit = z.infer<typeof traitEditSchema>;

const neutral = { shift: 0, spread: 1 };
export const traitEditsSchema = z.object({
  E: traitEditSchema.default(neutral),
  A: traitEditSchema.default(neutral),
  C: traitEditSchema.default(neutral),
  N: traitEditSchema.default(neutral),
  O: traitEditSchema.default(neutral),
});
export type TraitEdits = z.infer<typeof traitEditsSchema>;

export const referenceFiltersSchema = z.object({
  /** ISO 3166-1 alpha-2 codes; empty = every country. */
  countries: z.array(z.string().regex(/^[A-Z]{2}$|^unknown$/)).max(300).default([]),
  ageMin: z.number().int().min(13).max(100).optional(),
  ageMax: z.number().int().min(13).max(100).optional(),
  genders: z.array(z.enum(['female', 'male', 'other', 'unknown'])).max(4).default([]),
});
export type ReferenceFilters = z.infer<typeof referenceFiltersSchema>;

export const normsPresetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('johnson'),
    sex: z.enum(['Male', 'Female']),
    ageGroup: z.enum(['<21', '21-40', '41-60', '>60']),
  }),
  z.object({ kind: z.literal('mccrae'), country: z.string().min(2).max(3) }),
]);
export type NormsPreset = z.infer<typeof normsPresetSchema>;

export const targetSpecSchema = z.object({
  referenceSetId: z.string().min(1).default('big5'),
  filters: referenceFiltersSchema.default({ countries: [], genders: [] }),
  preset: normsPresetSchema.default({ kind: 'none' }),
  edits: traitEditsSchema.default({ E: neutral, A: neutral, C: neutral, N: neutral, O: neutral }),
});
export type TargetSpec = z.infer<typeof targetSpecSchema>;

/** `targets.filters`: the reference filters with the norms preset (absent: none). */
export const storedTargetFiltersSchema = z.object({ ...referenceFiltersSchema.shape, preset: normsPresetSchema.optional() });
export type StoredTargetFilters = z.infer<typeof storedTargetFiltersSchema>;
