/**
 * The shapes of the JSON columns (db/schema.ts types each column with them, the query functions in db/queries parse
 * what they read with them): target specs, group definitions, export manifests, job results, and the config, metrics
 * and diagnostics of alignment runs. The domain modules (lib/targets/schema.ts, lib/groups/schema.ts,
 * lib/export/schema.ts, lib/studio/runs.ts) re-export these schemas and types, so each shape has one zod schema.
 * Imports zod only: safe for client components.
 */
import { z } from 'zod';

/**
 * Parses a stored JSON value with its schema; a value that does not fit (written by another version, or edited by
 * hand) is an error naming the table, the row and the column.
 */
export function parseStored<S extends z.ZodType>(schema: S, value: unknown, where: { table: string; id: number | string; column: string }): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new Error(`${where.table} ${where.id}: the stored ${where.column} does not have the expected shape${at}: ${issue?.message ?? 'invalid'}.`);
}

/** A number as stored: JSON has no NaN or Infinity (JSON.stringify writes null), so a stored null reads back as NaN. */
const storedNumber = z.union([z.number(), z.null().transform(() => Number.NaN)]);

// ---------------------------------------------------------------------------------------------------------------
// Targets: a reference set, filters on its respondents, an optional norms preset and per-trait slider edits.

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

// ---------------------------------------------------------------------------------------------------------------
// Groups: the reference side (a target spec) and the persona side (description, filters, how many to retrieve).

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

// ---------------------------------------------------------------------------------------------------------------
// Exports: the request and the manifest (`exports.manifest`).

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

// ---------------------------------------------------------------------------------------------------------------
// Jobs: params are the job kind's own (its handler parses them); the result is the handler's, plus the runner.

/** `jobs.params`. */
export const jobParamsSchema = z.record(z.string(), z.unknown());
export type JobParams = z.infer<typeof jobParamsSchema>;

/** The process running a job (kept in its result as `_runner` while it runs). */
export const jobRunnerSchema = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.string(), doneAtStart: z.number() });
export type JobRunner = z.infer<typeof jobRunnerSchema>;

/** `jobs.result`: the handler's result, or `{ _runner }` while the job runs. */
export const jobResultSchema = z.record(z.string(), z.unknown());
export type JobResult = z.infer<typeof jobResultSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Alignment runs: config (the request as run), metrics and diagnostics (what executeRun in lib/studio/runs.ts
// stores). Objects keep fields this file does not name (loose), and blocks added after the first runs are optional.

/** The five headline metrics of a set against the target (lib/stats/metrics.ts PaperMetrics). */
export const paperMetricsSchema = z.object({ amw: storedNumber, fd: storedNumber, sw: storedNumber, mmd: storedNumber, maecorr: storedNumber });
export type StoredPaperMetrics = z.infer<typeof paperMetricsSchema>;

/** `alignment_runs.metrics`: rows raw (whole pool), randomSelect, resample (the set), weighted (the weighted pool). */
export const runMetricsSchema = z.looseObject({
  raw: paperMetricsSchema.optional(),
  randomSelect: paperMetricsSchema.optional(),
  resample: paperMetricsSchema.optional(),
  weighted: paperMetricsSchema.optional(),
});
export type RunMetrics = z.infer<typeof runMetricsSchema>;

/** The five headline metrics as plain arrays, one entry per frontier size. */
const frontierColumnsSchema = z.object({
  amw: z.array(storedNumber),
  fd: z.array(storedNumber),
  sw: z.array(storedNumber),
  mmd: z.array(storedNumber),
  maecorr: z.array(storedNumber),
});
export type FrontierColumns = z.infer<typeof frontierColumnsSchema>;

/** One row of a run's stored candidate table (auto's held-out measurement of one estimator). */
export const storedCandidateSchema = z.object({
  label: z.string(),
  /** Mean over AMW, FD, SW, MMD, MAEcorr of (the candidate's k-set) / (the whole pool), both against the held-out rows. */
  score: storedNumber,
  heldOut: paperMetricsSchema,
  ess: storedNumber,
  distinct: z.number(),
  converged: z.boolean(),
  error: z.string().nullable(),
});
export type StoredCandidate = z.infer<typeof storedCandidateSchema>;

/** Which estimator weighted a run's pool, as stored in its diagnostics. */
export const storedEstimatorSchema = z.object({
  /** What was asked for ('auto' = chosen on held-out rows; lib/align ESTIMATOR_CHOICES). */
  choice: z.string(),
  /** The label of the estimator that weighted the pool (auto's winner). */
  used: z.string(),
  /** Whether OT refined the estimator's weights. */
  refine: z.enum(['none', 'ot']),
  /** auto's candidate table, or null when an estimator was named. */
  candidates: z.array(storedCandidateSchema).nullable(),
  /** auto: the whole pool's metrics against the held-out rows (the denominators of the scores) and the split sizes. */
  heldOut: z.object({ raw: paperMetricsSchema, fitRows: z.number(), heldOutRows: z.number() }).nullable(),
});
export type StoredEstimator = z.infer<typeof storedEstimatorSchema>;

/**
 * A run's diversity-fidelity frontier (plain arrays, one entry per size): distinct sets chosen by pivotal sampling
 * (inclusion probabilities proportional to the weights, capped at 1) beside systematic draws with repeats of the same
 * sizes, each measured against the whole target. `ratioToRaw` is the mean over the five metrics of the set's value
 * divided by the whole pool's value (computed with the same metric seed): below 1 the set is closer to the target
 * than the unweighted pool, the same scale as the candidate table's score.
 */
export const storedFrontierSchema = z.object({
  method: z.literal('pivotal'),
  /** Set sizes k: the default log-spaced sizes plus the run's own size when that many personas have a positive weight. */
  sizes: z.array(z.number()),
  /** Seed of the frontier's draws and metrics: the run's metric seed (config.metricsSeed). */
  seed: z.number(),
  /** Draws per size (1). */
  replicates: z.number(),
  distinct: frontierColumnsSchema,
  ratioToRaw: z.array(storedNumber),
  systematic: frontierColumnsSchema,
  systematicRatioToRaw: z.array(storedNumber),
  /** Distinct personas among the k systematic draws. */
  systematicDistinct: z.array(z.number()),
  /** The whole pool (equal weights) against the target: the run's Raw row (same metric seed and projections). */
  raw: paperMetricsSchema,
  /** The whole pool under the run's weights against the target. */
  weighted: paperMetricsSchema,
  /** The largest k whose ratioToRaw is within 10% of the smallest one (the most distinct personas at near-best fidelity). */
  recommendedSize: z.number(),
  /** Personas with a positive weight: the largest possible distinct set. */
  positiveCount: z.number(),
  /** The run's own set: its size, distinct personas and ratio to Raw (from the run's metrics). */
  run: z.object({ size: z.number(), distinct: z.number(), repeats: z.boolean(), ratioToRaw: storedNumber, amw: storedNumber }),
  seconds: z.number(),
});
export type StoredFrontier = z.infer<typeof storedFrontierSchema>;

/** `alignment_runs.diagnostics`: the weights' diagnostics (lib/align AlignDiagnostics), the OT step, the estimator, the frontier. */
export const runDiagnosticsSchema = z.looseObject({
  /** Kish ESS of the final persona weights. */
  ess: storedNumber,
  designEffect: storedNumber,
  maxWeightShare: storedNumber,
  /** Pareto k-hat of the raw importance weights. */
  khat: storedNumber,
  khatWarning: z.boolean().optional(),
  importanceEss: storedNumber.optional(),
  rawImportanceEss: storedNumber.optional(),
  converged: z.boolean(),
  iterations: z.number(),
  candidateCount: z.number(),
  selectionSize: z.number(),
  /** Plain-English notes (heavy tails, capped size, non-convergence). */
  warnings: z.array(z.string()),
  /** Per set, the metrics estimated on a subsample: { subsample: draws per side, se }. */
  metricsEstimation: z.record(z.string(), z.record(z.string(), z.looseObject({ subsample: z.number(), se: storedNumber }))).optional(),
  /** The OT step without its weights and marginal errors (those are the run's weights and trace), or null without OT. */
  ot: z
    .looseObject({
      variant: z.string(),
      epsilon: storedNumber,
      tau: storedNumber,
      converged: z.boolean(),
      iterations: z.number(),
      cost: storedNumber,
      sourceSupport: z.number(),
      targetSupport: z.number(),
      compressed: z.boolean(),
    })
    .nullable()
    .optional(),
  estimator: storedEstimatorSchema.optional(),
  /** The frontier, or why it could not be measured. */
  frontier: z.union([storedFrontierSchema, z.object({ error: z.string() })]).optional(),
});
export type RunDiagnostics = z.infer<typeof runDiagnosticsSchema>;

/** The alignment settings a run asked for (lib/studio/runs.ts runRequestSchema's config; defaults not filled in). */
export const runRequestConfigSchema = z.looseObject({
  variant: z.string().optional(),
  estimator: z.string().optional(),
  selection: z.string().optional(),
  epsilonFactor: z.number().optional(),
  maxIterations: z.number().optional(),
  bandwidth: z.union([z.number(), z.string()]).optional(),
});

/** `alignment_runs.config`: the request as run, the target in words and its size, and (group runs) the group as aligned. */
export const runConfigSchema = z.looseObject({
  request: z.looseObject({
    name: z.string(),
    seed: z.number(),
    size: z.number().optional(),
    spec: targetSpecSchema,
    config: runRequestConfigSchema.default({}),
  }),
  targetDescription: z.string().optional(),
  targetN: z.number().optional(),
  /** A group run: the group's definition when the run started (the run is stale once the definition changes). */
  group: z.looseObject({ definition: z.unknown() }).optional(),
});
export type RunConfig = z.infer<typeof runConfigSchema>;
