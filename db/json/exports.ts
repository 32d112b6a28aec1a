/** Exports: the request and the manifest (`exports.manifest`). */
import { z } from 'zod';

/**
 * Tables (jsonl, csv, parquet) and simulator formats (lib/export/simulators.ts): TinyTroupe agent specifications (zip),
 * OASIS Twitter user CSV, OASIS Reddit user JSON, agent system prompts (JSONL), a Hugging Face dataset folder (zip).
 */
export const EXPORT_FORMATS = ['jsonl', 'csv', 'parquet', 'tinytroupe', 'oasis-twitter', 'oasis-reddit', 'prompts', 'hf-dataset'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), runId: z.number().int().positive() }),
  /** A group's set: its latest finished alignment run unless runId names one of its runs. */
  z.object({ kind: z.literal('group'), groupId: z.number().int().positive(), runId: z.number().int().positive().optional() }),
  /** The current pool (measured, not rejected), uniform weights. */
  z.object({ kind: z.literal('pool') }),
]);
export type ExportSource = z.infer<typeof exportSourceSchema>;

export const exportRequestSchema = z.object({
  source: exportSourceSchema,
  /**
   * 'selection': k personas (the run's stored selection, or a fresh seeded draw when size or unique is given);
   * 'weights': every persona of the run's pool (or of the pool) with its weight and its count in the selection.
   */
  set: z.enum(['selection', 'weights']).default('selection'),
  /**
   * k; default the run's selection size (pool: every persona). Bounded by the service (lib/limits/sizes.ts): at most
   * POPULACE_MAX_SET_SIZE, the pool size for a unique set, 10 times the pool size for a draw with replacement.
   */
  size: z.number().int().min(1).optional(),
  /**
   * Draw k distinct personas (pivotal sampling with inclusion probabilities min(1, c w); the set's weights are then
   * re-calibrated to the target's moments) instead of k draws with repeats (systematic resampling, with counts).
   */
  unique: z.boolean().default(false),
  /** Seed of a fresh draw. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  format: z.enum(EXPORT_FORMATS).default('jsonl'),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;
export type ExportRequestInput = z.input<typeof exportRequestSchema>;

const sha = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex (64 characters 0-9a-f)');

export const manifestRowSchema = z.object({
  personaId: z.number().int().positive(),
  weight: z.number().min(0),
  count: z.number().int().min(0),
  /** sha256 of the row's canonical JSON (keys in column order). */
  sha256: sha,
});
export type ManifestRow = z.infer<typeof manifestRowSchema>;

export const MANIFEST_SCHEMA = 'populace-export-manifest/1';

/** How the `weight` column of an export is normalised (see the manifest's set.weights.statement). */
export const WEIGHT_NORMALISATIONS = ['draws', 'recalibrated', 'horvitz-thompson', 'pool'] as const;
export type WeightNormalisation = (typeof WEIGHT_NORMALISATIONS)[number];

/** How the set's personas were chosen. */
export const SET_SELECTIONS = ['stored', 'systematic', 'pivotal', 'whole-pool'] as const;
export type SetSelection = (typeof SET_SELECTIONS)[number];

const demographicCountSchema = z.object({ value: z.string(), personas: z.number().int(), weight: z.number() });
export type DemographicCount = z.infer<typeof demographicCountSchema>;

/** One balanced quantity of a re-calibration: target, achieved with the set weights, and before (HT weights). */
const recalibrationConstraintSchema = z.object({
  name: z.string(),
  target: z.number(),
  achieved: z.number(),
  before: z.number(),
  gap: z.number(),
  holds: z.boolean(),
});

/**
 * What the exported set is: rows, distinct personas, draws, how the personas were chosen, how the weights are
 * normalised (with the re-calibration report of a unique set), and the personas' own demographics next to the
 * target's filters. Added to manifests after schema 1 was published, so older manifests may lack it.
 */
export const exportSetSchema = z.object({
  /** Rows in the file (one per persona). */
  rows: z.number().int(),
  /** Personas in the selection (rows with count > 0). */
  distinct: z.number().int(),
  /** Draws in the selection: the sum of the count column (k). */
  draws: z.number().int(),
  selection: z.object({ method: z.enum(SET_SELECTIONS), statement: z.string() }),
  weights: z.object({
    normalisation: z.enum(WEIGHT_NORMALISATIONS),
    /** Sum of the weight column over the rows. */
    sum: z.number(),
    statement: z.string(),
    /** A unique set's re-calibration to the target (null when none was made; `reason` says why). */
    recalibration: z
      .object({
        method: z.string(),
        moments: z.string(),
        converged: z.boolean(),
        /** Kish effective sample size of the set weights. */
        ess: z.number(),
        constraints: z.array(recalibrationConstraintSchema),
        warnings: z.array(z.string()),
      })
      .nullable(),
    reason: z.string().nullable(),
  }),
  demographics: z.object({
    /** The target's reference filters (run or group), with a description; null for a pool export. */
    target: z
      .object({
        filters: z.record(z.string(), z.unknown()),
        description: z.string(),
        /** A group's persona-side filters (which personas retrieval could return). */
        personaFilters: z.record(z.string(), z.unknown()).nullable(),
      })
      .nullable(),
    /** The exported personas (rows with count > 0), counted and summed by weight. */
    personas: z.object({
      gender: z.array(demographicCountSchema),
      ageBand: z.array(demographicCountSchema),
      /** The 10 most frequent countries. */
      country: z.array(demographicCountSchema),
      /** The other countries together. */
      otherCountries: z.object({ values: z.number().int(), personas: z.number().int(), weight: z.number() }),
    }),
    statement: z.string(),
  }),
});
export type ExportSet = z.infer<typeof exportSetSchema>;

/** `exports.manifest`, and the manifest file of every export. */
export const manifestSchema = z.object({
  schema: z.literal(MANIFEST_SCHEMA),
  populaceVersion: z.string(),
  request: exportRequestSchema,
  source: z.object({
    kind: z.enum(['run', 'group', 'pool']),
    run: z
      .object({ id: z.number().int(), name: z.string(), seed: z.number().int(), status: z.string() })
      .nullable(),
    group: z.object({ id: z.number().int(), name: z.string(), definition: z.record(z.string(), z.unknown()) }).nullable(),
    target: z.object({ spec: z.record(z.string(), z.unknown()), description: z.string().nullable(), n: z.number().nullable() }).nullable(),
  }),
  engine: z.object({ config: z.record(z.string(), z.unknown()).nullable(), seed: z.number().int().nullable() }),
  reference: z
    .object({ id: z.string(), name: z.string(), sourceId: z.string(), licence: z.string(), citation: z.string() })
    .nullable(),
  personaSources: z.array(z.object({ id: z.string(), name: z.string(), licence: z.string(), citation: z.string(), personas: z.number().int() })),
  metrics: z.record(z.string(), z.unknown()).nullable(),
  diagnostics: z.record(z.string(), z.unknown()).nullable(),
  coverage: z.record(z.string(), z.unknown()).nullable(),
  review: z.object({
    byStatus: z.record(z.string(), z.number()),
    accepted: z.number().int(),
    rejected: z.number().int(),
    reviewers: z.number().int(),
    decisions: z.number().int(),
  }),
  selection: z.object({ k: z.number().int(), distinct: z.number().int(), unique: z.boolean(), seed: z.number().int().nullable(), method: z.string() }),
  set: exportSetSchema.optional(),
  columns: z.array(z.string()),
  rows: z.array(manifestRowSchema),
  /** sha256 of the row hashes joined by newlines, in row order. */
  rowsSha256: sha,
  /**
   * The population the trait words of the simulator formats are relative to (the target's trait means and SDs), or
   * null (the 1-5 scale's midpoint). Added after schema 1 was published.
   */
  traitNorms: z.object({ population: z.string(), mean: z.array(z.number()).length(5), sd: z.array(z.number()).length(5) }).nullable().optional(),
  /** Path of the run's methods report on the server (HTML, printable to PDF), or null for a pool export. */
  methodsReport: z.string().nullable().optional(),
  /** How to load the set with its weights in Python and R, and how to use the weights or counts. */
  usage: z.object({ python: z.string(), r: z.string(), weights: z.string() }).optional(),
  /** sha256 and size of the file in each format (the bytes a re-export must reproduce); older exports lack the newer formats. */
  files: z.partialRecord(z.enum(EXPORT_FORMATS), z.object({ sha256: sha, bytes: z.number().int() })),
});
export type ExportManifest = z.infer<typeof manifestSchema>;
