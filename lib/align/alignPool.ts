import { AlignInputError } from '../numeric/alignInputError';
import { selectRows, type Matrix } from '../numeric/matrix';
import { createRng } from '../numeric/rng';
import { normaliseWeights } from '../numeric/validate';
import type { BandwidthSpec } from '../stats/bandwidth';
import type { MetricInput } from '../stats/metricInput';
import { paperMetricsBatch, type PaperMetrics } from '../stats/metrics';
import { asmd } from '../stats/asmd';
import { ksStatistic } from '../stats/ksStatistic';
import { energyDistance } from '../stats/energyDistance';
import type { StandardiseMode } from '../stats/standardiser';
import type { Truncation } from '../stats/importanceWeights';
import { weightDiagnostics } from '../stats/weightDiagnostics';
import { importanceSampling } from './importanceSampling';
import type { OtVariant } from './sinkhorn';
import { selectionMethods, type SelectionMethod } from './selectionMethods';
import { TRAIT_RANGE, validateTraitSet } from './traitSpace';
import { transportWeights, type TransportWeightsResult } from './transportWeights';

/** Every setting of the global alignment, with Populace's defaults. The resolved copy is returned in the result. */
export interface AlignConfig {
  /** Seed of every random choice (selection, RandomSelect, sampled medians); default 0. */
  seed: number;
  /** Size k of the selected set; default min(1000, pool size). */
  size: number;
  /** KDE bandwidth; default 0.2 (trait points on the 1-5 scale, standardise 'none'). */
  bandwidth: BandwidthSpec;
  /** Scale of the KDE; default 'none'. */
  standardise: StandardiseMode;
  /** Importance-weight tail treatment; default 'psis'. */
  truncation: Truncation;
  /** Cap for truncation 'cap' (multiple of the mean weight); default sqrt(n). */
  cap: number | null;
  /** KDE path; default 'auto'. */
  kdeMethod: 'exact' | 'binned' | 'auto';
  /** Fraction of personas kept as OT candidates, by importance weight (the paper's 70% cut); default 0.7. */
  candidateFraction: number;
  /** Source mass of the OT step: the importance weights (default) or uniform over candidates. */
  otSourceMass: 'importance' | 'uniform';
  /** OT variant; default 'semiRelaxed' (see sinkhorn's doc and the bench's variant table). */
  variant: OtVariant;
  /** Absolute epsilon, or null for epsilonFactor x median cost. */
  epsilon: number | null;
  /** Default 0.08 (the paper). */
  epsilonFactor: number;
  /** KL strength of relaxed marginals, or null for tau = epsilon. */
  tau: number | null;
  /** Default 250. */
  maxIterations: number;
  /** Default 1e-6 (L1 marginal error). */
  tolerance: number;
  /** Per-trait cost weights omega (default all 1). */
  costWeights: number[] | null;
  /** Target batch size of a streamed solve; default 10,000. */
  batchSize: number;
  /** Reference support points for the OT solve; default 300 (personas are quantised only above a 2^25-entry kernel). */
  maxSupport: number;
  /** Selection method for the final set; default 'withoutReplacement'. */
  selection: SelectionMethod;
  /** Sliced-Wasserstein directions; default 100 (seeded by metricsSeed). */
  projections: number;
  /** Seed of the metrics' random directions and subsamples; default 0 (fixed so runs compare). */
  metricsSeed: number;
  /** Accepted value range; default [1, 5]. */
  range: [number, number];
}

export const DEFAULT_ALIGN_CONFIG: Omit<AlignConfig, 'size'> & { size: number | null } = {
  seed: 0,
  size: null,
  bandwidth: 0.2,
  standardise: 'none',
  truncation: 'psis',
  cap: null,
  kdeMethod: 'auto',
  candidateFraction: 0.7,
  otSourceMass: 'importance',
  variant: 'semiRelaxed',
  epsilon: null,
  epsilonFactor: 0.08,
  tau: null,
  maxIterations: 250,
  tolerance: 1e-6,
  costWeights: null,
  batchSize: 10_000,
  maxSupport: 300,
  selection: 'withoutReplacement',
  projections: 100,
  metricsSeed: 0,
  range: [TRAIT_RANGE[0], TRAIT_RANGE[1]],
};

export interface AlignPoolInput {
  /** Persona trait scores, n x d (d = 5: E A C N O). */
  pool: Matrix;
  /** Human reference scores, m x d. */
  reference: Matrix;
  /** Optional weights of the reference rows (the target after filters / edits); default uniform. */
  targetWeights?: ArrayLike<number>;
  config?: Partial<AlignConfig>;
  /** Column labels for messages (default trait codes). */
  labels?: readonly string[];
  /** Progress: stage name and overall fraction in [0, 1]. */
  onProgress?: (stage: 'validate' | 'importance' | 'transport' | 'selection' | 'metrics', fraction: number) => void;
}

/** Per-trait balance of one set against the target. */
export interface BalanceReport {
  /** Absolute standardised mean difference per trait. */
  asmd: Float64Array;
  /** Kolmogorov-Smirnov statistic per trait. */
  ks: Float64Array;
  /** Energy distance (Szekely & Rizzo). */
  energy: number;
}

export interface AlignDiagnostics {
  /** Kish ESS of the final persona weights. */
  ess: number;
  designEffect: number;
  maxWeightShare: number;
  /** Pareto k-hat of the raw importance weights. */
  khat: number;
  /** khat > 0.7. */
  khatWarning: boolean;
  /** ESS of the importance weights (after smoothing) and of the raw ones. */
  importanceEss: number;
  rawImportanceEss: number;
  converged: boolean;
  iterations: number;
  candidateCount: number;
  selectionSize: number;
  /** Plain-English notes (heavy tails, capped size, non-convergence). */
  warnings: string[];
}

export interface AlignResult {
  /** Final persona weights (plan row sums; zero outside the candidates), length n, sum 1. */
  weights: Float64Array;
  /** Self-normalised importance weights of step A, length n. */
  importanceWeights: Float64Array;
  /** Cached pool log density (leave-one-out) at each persona: reuse it for live updates. */
  logPoolDensity: Float64Array;
  /** Indices of the selected personas (the Resample set). */
  selection: Uint32Array;
  /** Indices of the RandomSelect baseline (same size, uniform without replacement). */
  randomSelection: Uint32Array;
  diagnostics: AlignDiagnostics;
  /** The OT step's result without its weights (those are `weights` above). */
  ot: Omit<TransportWeightsResult, 'weights'>;
  /** The paper's Table 1 rows (plus the weighted pool before resampling). */
  metrics: { raw: PaperMetrics; randomSelect: PaperMetrics; resample: PaperMetrics; weighted: PaperMetrics };
  balance: { raw: BalanceReport; randomSelect: BalanceReport; resample: BalanceReport };
  config: AlignConfig;
}

/**
 * Global alignment of a persona pool to a human target: importance weights (step A), the top-fraction candidate
 * cut, entropic OT (step B), selection of a set of size k, and the paper's Table 1 comparison.
 *
 * Steps: (1) validate (1-5 range, finite, >= 2 rows, no constant trait); (2) w = p_target / q_pool by KDE
 * (bandwidth 0.2 trait points, PSIS); (3) candidates = the top candidateFraction by w; (4) OT from candidates
 * (mass w) to the target (mass targetWeights), variant semiRelaxed with tau = epsilon = 0.08 x median cost;
 * persona weights = plan row sums; (5) select k personas (without replacement by default); (6) metrics AMW, FD,
 * SW, MMD, MAEcorr for Raw (whole pool), RandomSelect (random k) and Resample (the selection), plus per-trait
 * ASMD / KS and energy distance. Deterministic for a seed. Non-convergence is reported, not thrown.
 * Complexity at default settings: O(n + m) binned KDE, O(iterations n 300) OT (personas quantised to 2^25 / 300 points above that),
 * O(100 (n + m) log(n + m)) metrics; the bench prints measured times at three sizes.
 * Reference: Hu et al. (2025) arXiv 2509.10127, stage 3; see /docs for where Populace departs from it.
 * @example alignPool({ pool, reference, config: { seed: 1, size: 200 } }).selection.length === 200
 */
export function alignPool(input: AlignPoolInput): AlignResult {
  const { pool, reference } = input;
  const progress = input.onProgress ?? (() => undefined);
  progress('validate', 0);
  const c0 = { ...DEFAULT_ALIGN_CONFIG, ...stripUndefined(input.config ?? {}) };
  validateTraitSet(pool, 'pool', { labels: input.labels, range: c0.range });
  validateTraitSet(reference, 'reference', { labels: input.labels, range: c0.range });
  if (pool.cols !== reference.cols) {
    throw new AlignInputError('DIMENSION_MISMATCH', `The pool has ${pool.cols} traits and the reference ${reference.cols}; both must have the same traits in the same order.`);
  }
  const n = pool.rows;
  const targetWeights = input.targetWeights ? normaliseWeights(input.targetWeights, reference.rows, 'reference') : undefined;
  const config: AlignConfig = { ...c0, size: c0.size ?? Math.min(1000, n) };
  if (!(config.candidateFraction > 0 && config.candidateFraction <= 1)) {
    throw new AlignInputError('BAD_PARAMETER', `The candidate fraction must be in (0, 1], got ${config.candidateFraction}.`);
  }
  if (!Number.isInteger(config.size) || config.size < 1) {
    throw new AlignInputError('BAD_PARAMETER', `The set size must be a whole number of at least 1, got ${config.size}.`);
  }
  const warnings: string[] = [];
  const rng = createRng(config.seed);
  const selectRng = rng.fork();
  const randomRng = rng.fork();

  // Step A: importance weights.
  const is = importanceSampling(
    pool,
    reference,
    targetWeights,
    { bandwidth: config.bandwidth, standardise: config.standardise, truncation: config.truncation, cap: config.cap ?? undefined, kdeMethod: config.kdeMethod },
    (f) => progress('importance', 0.05 + 0.25 * f),
  );
  if (is.khatWarning) {
    warnings.push(
      `The importance weights have a heavy tail (Pareto k-hat ${is.khat.toFixed(2)} > 0.7): a few personas would dominate, so the raw weights were Pareto-smoothed and the OT step does the fine alignment.`,
    );
  }

  // Candidate cut.
  const candCount = Math.max(1, Math.round(config.candidateFraction * n));
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => is.weights[y]! - is.weights[x]! || x - y);
  const candidates = Uint32Array.from(order.slice(0, candCount)).sort();
  const candPoints = selectRows(pool, candidates);
  const candMass = new Float64Array(candCount);
  for (let t = 0; t < candCount; t++) candMass[t] = config.otSourceMass === 'uniform' ? 1 : is.weights[candidates[t]!]!;
  let mass = 0;
  for (let t = 0; t < candCount; t++) mass += candMass[t]!;
  if (!(mass > 0)) candMass.fill(1);

  // Step B: OT.
  progress('transport', 0.3);
  const ot = transportWeights(candPoints, candMass, reference, targetWeights, {
    variant: config.variant,
    epsilon: config.epsilon ?? undefined,
    epsilonFactor: config.epsilonFactor,
    tau: config.tau ?? undefined,
    maxIterations: config.maxIterations,
    tolerance: config.tolerance,
    costWeights: config.costWeights ?? undefined,
    batchSize: config.batchSize,
    maxSupport: config.maxSupport,
    seed: config.seed,
    onProgress: (f) => progress('transport', 0.3 + 0.4 * f),
  });
  if (!ot.converged) {
    warnings.push(
      `The transport solver stopped after ${ot.iterations} iterations without reaching the tolerance ${config.tolerance} (last marginal error ${(ot.marginalError[ot.marginalError.length - 1] ?? NaN).toExponential(2)}); the weights are usable but not exact. Raise maxIterations or epsilon.`,
    );
  }
  const weights = new Float64Array(n);
  for (let t = 0; t < candCount; t++) weights[candidates[t]!] = ot.weights[t]!;

  // Selection.
  progress('selection', 0.7);
  const wd = weightDiagnostics(weights);
  let size = config.size;
  const unique = config.selection === 'withoutReplacement' || config.selection === 'topFraction';
  if (unique && size > wd.positiveCount) {
    warnings.push(`Only ${wd.positiveCount} personas have a positive weight, so the set has ${wd.positiveCount} personas instead of ${size}.`);
    size = wd.positiveCount;
  }
  const selection = selectionMethods[config.selection]({ weights, size, rng: selectRng }).indices;
  const randomSelection = selectionMethods.withoutReplacement({ weights: new Float64Array(n).fill(1), size: Math.min(size, n), rng: randomRng }).indices;

  // Metrics (Table 1).
  progress('metrics', 0.75);
  const base = { b: reference, bWeights: targetWeights, seed: config.metricsSeed, projections: config.projections };
  const rawIn: MetricInput = { a: pool, ...base };
  const randIn: MetricInput = { a: selectRows(pool, randomSelection), ...base };
  const resIn: MetricInput = { a: selectRows(pool, selection), ...base };
  const [mRaw, mRand, mRes, mW] = paperMetricsBatch(
    [{ a: pool }, { a: randIn.a }, { a: resIn.a }, { a: pool, aWeights: weights }],
    reference,
    targetWeights,
    { seed: config.metricsSeed, projections: config.projections },
  );
  const metrics = { raw: mRaw!, randomSelect: mRand!, resample: mRes!, weighted: mW! };
  progress('metrics', 0.95);
  const balanceOf = (m: MetricInput): BalanceReport => ({
    asmd: asmd(m).perDimension!,
    ks: ksStatistic(m).perDimension!,
    energy: energyDistance(m).value,
  });
  const balance = { raw: balanceOf(rawIn), randomSelect: balanceOf(randIn), resample: balanceOf(resIn) };
  progress('metrics', 1);
  return {
    weights,
    importanceWeights: is.weights,
    logPoolDensity: is.logPoolDensity,
    selection,
    randomSelection,
    diagnostics: {
      ess: wd.ess,
      designEffect: wd.designEffect,
      maxWeightShare: wd.maxWeightShare,
      khat: is.khat,
      khatWarning: is.khatWarning,
      importanceEss: is.ess,
      rawImportanceEss: is.raw.ess,
      converged: ot.converged,
      iterations: ot.iterations,
      candidateCount: candCount,
      selectionSize: selection.length,
      warnings,
    },
    ot: {
      variant: ot.variant,
      epsilon: ot.epsilon,
      tau: ot.tau,
      converged: ot.converged,
      iterations: ot.iterations,
      marginalError: ot.marginalError,
      cost: ot.cost,
      sourceSupport: ot.sourceSupport,
      targetSupport: ot.targetSupport,
      compressed: ot.compressed,
    },
    metrics,
    balance,
    config: { ...config, size },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
