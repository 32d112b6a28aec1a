/**
 * Alignment runs: config (the request as run), metrics and diagnostics (what executeRun in lib/studio/executeRun.ts
 * stores). Objects keep fields this file does not name (loose), and blocks added after the first runs are optional.
 */
import { z } from 'zod';
import { targetSpecSchema } from './targets';

/** A number as stored: JSON has no NaN or Infinity (JSON.stringify writes null), so a stored null reads back as NaN. */
const storedNumber = z.union([z.number(), z.null().transform(() => Number.NaN)]);

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

/** The alignment settings a run asked for (lib/studio/runRequest.ts runRequestSchema's config; defaults not filled in). */
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
