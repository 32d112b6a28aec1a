/**
 * Zod schemas of the persona pipeline: LLM outputs, job parameters (shared by the API, the CLI and the UI forms)
 * and import rows.
 */
import { z } from 'zod';

// ---------- LLM outputs ----------

export const postCleanupSchema = z.object({
  text: z.string().describe('The post rewritten without noise (links, markup, signatures, spam), same meaning, same voice.'),
});

export const postQualitySchema = z.object({
  quality: z.enum(['high', 'medium', 'low']),
  harmful: z.boolean(),
  reason: z.string(),
});

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;

export const personaOutputSchema = z.object({
  name: z.string().nullable().describe('A name only when the posts state one; otherwise null.'),
  narrative: z.string().min(20),
  age: z.number().int().min(10).max(110).nullable(),
  gender: z.enum(GENDERS),
  country: z.string(),
  occupation: z.string(),
});
export type PersonaOutput = z.infer<typeof personaOutputSchema>;

const scored = z.object({ score: z.number().int().min(1).max(10), reason: z.string() });
export const CRITIC_DIMENSIONS = ['hallucination', 'comprehensiveness', 'conciseness', 'relevance', 'overall'] as const;
export const critiqueSchema = z.object({
  hallucination: scored.describe('10 = nothing unsupported by the posts, 1 = mostly invented'),
  comprehensiveness: scored,
  conciseness: scored,
  relevance: scored,
  overall: scored,
});
export type Critique = z.infer<typeof critiqueSchema>;

export const privacyOutputSchema = z.object({
  containsPersonalInfo: z.boolean(),
  items: z.array(z.object({ kind: z.string(), text: z.string() })),
  reason: z.string(),
});

export const privacyRewriteSchema = z.object({ narrative: z.string().min(20) });

export const itemAnswerSchema = z.object({ answer: z.number().int().min(1).max(5) });
export const itemAnswersSchema = z.object({
  answers: z.array(z.object({ id: z.string(), answer: z.number().int().min(1).max(5) })),
});

// ---------- job parameters ----------

const unit = z.number().min(0).max(2);

export const generateParamsSchema = z.object({
  /** The posts source to mine. */
  sourceId: z.string().min(1),
  minTokens: z.number().int().min(0).default(30),
  requireFirstPerson: z.boolean().default(true),
  /** LLM denoising rewrite of each post. */
  denoise: z.boolean().default(true),
  /** Quality labels that keep a post. */
  keepQualities: z.array(z.enum(['high', 'medium', 'low'])).min(1).default(['high']),
  minPostsPerAuthor: z.number().int().min(1).default(6),
  /** At most this many posts go into one persona prompt. */
  maxPostsPerPersona: z.number().int().min(1).default(20),
  generatorTemperature: unit.default(0.7),
  /** Keep when overall > overallAbove and every other score > othersAbove. */
  criticOverallAbove: z.number().min(0).max(10).default(8),
  criticOthersAbove: z.number().min(0).max(10).default(7),
  privacyLlm: z.boolean().default(true),
  privacyRewrite: z.boolean().default(true),
  /** Estimated Jaccard similarity of word shingles at or above which two personas are near-duplicates. */
  duplicateThreshold: z.number().min(0).max(1).default(0.8),
  concurrency: z.number().int().min(1).max(64).default(4),
});
export type GenerateParams = z.infer<typeof generateParamsSchema>;

export const INSTRUMENT_CHOICES = ['ipip50', 'ipip-neo-120'] as const;

export const measureParamsSchema = z.object({
  /** Personas to measure; or all personas of `sourceId`; or, with neither, every unmeasured persona. */
  personaIds: z.array(z.number().int().positive()).optional(),
  sourceId: z.string().min(1).optional(),
  instrumentId: z.enum(INSTRUMENT_CHOICES).default('ipip50'),
  /** One item per call (as the paper does) or several items per call. */
  mode: z.enum(['single', 'batch']).default('single'),
  batchSize: z.number().int().min(2).max(120).default(10),
  temperature: unit.default(0.7),
  repetitions: z.number().int().min(1).max(20).default(1),
  /** Skip personas that already have trait scores for the instrument. */
  onlyUnmeasured: z.boolean().default(true),
  /** Flag when |mean(+ items) - mean(reverse-scored - items)| of a trait exceeds this (1-5 scale). */
  consistencyMaxGap: z.number().min(0).max(4).default(1.5),
  /** Flag when the mean SD of repeated answers to one item exceeds this. */
  consistencyMaxSpread: z.number().min(0).max(4).default(1),
  concurrency: z.number().int().min(1).max(64).default(4),
});
export type MeasureParams = z.infer<typeof measureParamsSchema>;

export const baselineParamsSchema = z.object({
  instrumentId: z.enum(INSTRUMENT_CHOICES).default('ipip50'),
  temperatures: z.array(unit).min(1).default([0, 0.7, 1]),
  /** Independent runs per temperature. */
  runs: z.number().int().min(1).max(50).default(1),
  mode: z.enum(['single', 'batch']).default('single'),
  batchSize: z.number().int().min(2).max(120).default(10),
  concurrency: z.number().int().min(1).max(64).default(4),
});
export type BaselineParams = z.infer<typeof baselineParamsSchema>;

export const demographicsParamsSchema = z.object({
  /** Personas to read; or the personas of `sourceId`; or, with neither, every persona with a value not given by its source. */
  personaIds: z.array(z.number().int().positive()).optional(),
  sourceId: z.string().min(1).optional(),
  /** Accepted for older requests and ignored: each persona's reading is its own unit, stored in its own transaction. */
  batchSize: z.number().int().min(1).max(500).default(50),
  concurrency: z.number().int().min(1).max(64).default(4),
});
export type DemographicsParams = z.infer<typeof demographicsParamsSchema>;

// ---------- imports ----------

export const importPostsOptionsSchema = z.object({
  /** Source id for the posts; default derived from the file name. */
  sourceId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dot, dash or underscore')
    .optional(),
  name: z.string().optional(),
  licence: z.string().optional(),
});

export const importedPersonaSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String).optional(),
  name: z.string().nullable().optional(),
  narrative: z.string().min(1, 'the narrative is empty'),
  demographics: z
    .object({
      age: z.number().int().min(0).max(120).nullable().optional(),
      gender: z.enum(GENDERS).optional(),
      country: z.string().optional(),
      occupation: z.string().optional(),
    })
    .optional(),
  instrument: z.string().optional(),
  answers: z.record(z.string(), z.number()).optional(),
  model: z.string().optional(),
  temperature: z.number().optional(),
});
export type ImportedPersona = z.infer<typeof importedPersonaSchema>;

export interface BadRow {
  line: number;
  field: string | null;
  reason: string;
}

export interface ImportReport {
  file: string;
  sourceId: string;
  rows: number;
  imported: number;
  skipped: number;
  bad: BadRow[];
  /** Bad rows beyond the first 1000 are counted but not listed. */
  badCount: number;
  /** True when the whole input was read; a failed import answers an error whose details hold this report. */
  complete?: boolean;
  /** Personas import: how many of the source's personas are flagged as exact or near duplicates after the import. */
  duplicates?: number;
  /** Personas import: the job that reads the source's demographics with the LLM (null when no LLM is configured). */
  demographicsJob?: number | null;
}

export const importQuerySchema = z.object({
  kind: z.enum(['posts', 'personas']),
  filename: z.string().min(1),
  sourceId: importPostsOptionsSchema.shape.sourceId,
  name: z.string().optional(),
  licence: z.string().optional(),
});
