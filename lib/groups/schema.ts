/**
 * A group (target subpopulation): a name, the reference side (a target spec: countries, age, gender, norms preset)
 * and the persona side (a natural-language description and / or demographic filters, and how many to retrieve).
 * The one zod schema of the domain: used by the routes, the forms, the `groups.definition` JSON column and exports.
 * The definition is a stored shape, so its schema lives in db/json.ts (zod only) and is re-exported here.
 * Safe for client components (zod only).
 */
import { z } from 'zod';
import { groupDefinitionSchema } from '../../db/json';
import { ESTIMATOR_CHOICES } from '../align/alignPool';
import { selectionMethods, type SelectionMethod } from '../align/selectionMethods';

export {
  customRegionSchema,
  groupDefinitionSchema,
  PERSONA_AGE_BANDS,
  PERSONA_GENDERS,
  personaFiltersSchema,
  personaSideSchema,
  type CustomRegion,
  type GroupDefinition,
  type PersonaFilters,
  type PersonaSide,
} from '../../db/json';

export const groupInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  definition: groupDefinitionSchema,
});
export type GroupInput = z.infer<typeof groupInputSchema>;

/** Options of a group alignment (defaults: seed 1, size = set size, systematic selection, bandwidth 0.5). */
export const groupAlignRequestSchema = z.object({
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** Set size; bounded when the run starts (POPULACE_MAX_SET_SIZE and the group set's size, lib/limits/sizes.ts). */
  size: z.number().int().min(1).optional(),
  selection: z.enum(Object.keys(selectionMethods) as [SelectionMethod, ...SelectionMethod[]]).optional(),
  /** Weight estimator (default auto: chosen on held-out reference rows). */
  estimator: z.enum(ESTIMATOR_CHOICES).optional(),
  bandwidth: z.union([z.number().positive().max(5), z.enum(['scott', 'silverman'])]).optional(),
});
export type GroupAlignRequest = z.infer<typeof groupAlignRequestSchema>;

export const reviseRequestSchema = z.object({
  personaIds: z.array(z.number().int().positive()).min(1).max(200),
  /** Instrument of the re-measurement. */
  instrumentId: z.enum(['ipip50', 'ipip-neo-120']).default('ipip50'),
});
export type ReviseRequest = z.infer<typeof reviseRequestSchema>;

/** The LLM's light revision of a persona (place and culture details only). */
export const revisionOutputSchema = z.object({
  narrative: z.string().min(20).describe('The persona narrative, adapted to the group in place and culture details only.'),
  country: z.string().describe('The country the revised persona lives in, or "unknown".'),
  changes: z.string().describe('One sentence listing what was changed.'),
});
export type RevisionOutput = z.infer<typeof revisionOutputSchema>;

/** A trait moving more than this (1-5 scale) between a persona and its revision is flagged as drift. */
export const TRAIT_DRIFT_LIMIT = 0.5;
