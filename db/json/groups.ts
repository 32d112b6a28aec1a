/** `groups.definition`: the reference side (a target spec) and the persona side (description, filters, how many to retrieve). */
import { z } from 'zod';
import { targetSpecSchema } from './targets';

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

/** `groups.definition`. */
export const groupDefinitionSchema = z.object({
  reference: targetSpecSchema,
  personas: personaSideSchema.default({ filters: { ageBands: [], genders: [], countries: [], sources: [] }, retrieveCount: 200 }),
  /** The custom region the reference countries came from, when the user named one. */
  region: customRegionSchema.optional(),
});
export type GroupDefinition = z.infer<typeof groupDefinitionSchema>;
