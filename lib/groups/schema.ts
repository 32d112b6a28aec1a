/**
 * A group (target subpopulation): a name, the reference side (a target spec: countries, age, gender, norms preset)
 * and the persona side (a natural-language description and / or demographic filters, and how many to retrieve).
 * The one zod schema of the domain: used by the routes, the forms, the `groups.definition` JSON column and exports.
 * Safe for client components (zod only).
 */
import { z } from 'zod';
import { ESTIMATOR_CHOICES } from '../align/alignPool';
import { selectionMethods, type SelectionMethod } from '../align/selectionMethods';
import { targetSpecSchema } from '../targets/schema';

export const PERSONA_AGE_BANDS = ['13-17', '18-24', '25-34', '35-49', '50+', 'unknown'] as const;
export const PERSONA_GENDERS = ['female', 'male', 'other', 'unknown'] as const;

/** Demographic filters on personas; applied before ranking. Empty lists mean "any". */
export const personaFiltersSchema = z.object({
  ageBands: z.array(z.enum(PERSONA_AGE_BANDS)).max(6).default([]),
  genders: z.array(z.enum(PERSONA_GENDERS)).max(4).default([]),
  /** Persona country as stored (free text, compared case-insensitively). */
  countries: z.array(z.string().trim().min(1).max(80)).max(100).default([]),
  /** Substring of the occupation (case-insensitive). */
  occupationContains: z.string().trim().max(80).optional(),
  /** Persona sources (ids); empty = every source. */
  sources: z.array(z.string().min(1).max(120)).max(50).default([]),
});
export type PersonaFilters = z.infer<typeof personaFiltersSchema>;

export const personaSideSchema = z.object({
  /** The group in words ("young adults in Seoul who study engineering"); the retrieval query. */
  description: z.string().trim().max(2000).optional(),
  filters: personaFiltersSchema.default({ ageBands: [], genders: [], countries: [], sources: [] }),
  /**
   * How many personas retrieval returns (the group set is built from them). Bounded by the service
   * (lib/limits/sizes.ts): at most 5,000 and at most POPULACE_MAX_SET_SIZE.
   */
  retrieveCount: z.number().int().min(2).default(200),
});
export type PersonaSide = z.infer<typeof personaSideSchema>;

/** A named list of countries saved with a group (a custom region). */
export const customRegionSchema = z.object({
  name: z.string().trim().min(1).max(80),
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1).max(300),
});
export type CustomRegion = z.infer<typeof customRegionSchema>;

export const groupDefinitionSchema = z.object({
  reference: targetSpecSchema,
  personas: personaSideSchema.default({ filters: { ageBands: [], genders: [], countries: [], sources: [] }, retrieveCount: 200 }),
  /** The custom region the reference countries came from, when the user named one. */
  region: customRegionSchema.optional(),
});
export type GroupDefinition = z.infer<typeof groupDefinitionSchema>;

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
