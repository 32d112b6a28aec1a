/** The target: a reference set, filters on its respondents, an optional norms preset, and per-trait slider edits. */
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

export const savedTargetSchema = z.object({
  name: z.string().trim().min(1).max(120),
  spec: targetSpecSchema,
});

/** A norms preset as one select value: "none", "johnson:<Sex> <age group>" or "mccrae:<country>" (presetFromValue reads it back). */
export function presetToValue(p: NormsPreset): string {
  return p.kind === 'johnson' ? `johnson:${p.sex} ${p.ageGroup}` : p.kind === 'mccrae' ? `mccrae:${p.country}` : 'none';
}

/** The preset a select value names (see presetToValue). */
export function presetFromValue(v: string): NormsPreset {
  if (v.startsWith('johnson:')) {
    const [sex, ageGroup] = v.slice(8).split(' ') as ['Male' | 'Female', '<21' | '21-40' | '41-60' | '>60'];
    return { kind: 'johnson', sex, ageGroup };
  }
  if (v.startsWith('mccrae:')) return { kind: 'mccrae', country: v.slice(7) };
  return { kind: 'none' };
}
