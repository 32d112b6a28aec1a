/**
 * The target: a reference set, filters on its respondents, an optional norms preset, and per-trait slider edits. The
 * spec's schema is stored in target, run and group rows, so it lives with the other stored shapes in db/json.ts
 * (zod only) and is re-exported here.
 */
import { z } from 'zod';
import { targetSpecSchema, type NormsPreset } from '../../db/json';

export {
  normsPresetSchema,
  referenceFiltersSchema,
  targetSpecSchema,
  traitEditSchema,
  traitEditsSchema,
  type NormsPreset,
  type ReferenceFilters,
  type TargetSpec,
  type TraitEdit,
  type TraitEdits,
} from '../../db/json';

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
