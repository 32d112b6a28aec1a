import { AlignInputError } from '../../numeric/alignInputError';
import type { Matrix } from '../../numeric/matrix';
import type { Rng } from '../../numeric/rng';
import { normaliseWeights } from '../../numeric/validate';
import type { WeightDiagnostics } from '../../stats/weightDiagnostics';
import type { ImportanceSamplingOptions } from '../importanceSampling';
import { TRAIT_CODES, TRAIT_RANGE, validateTraitSet } from '../traitSpace';

/** Names of the weight estimators in the registry. */
export type EstimatorName = 'calibration' | 'raking' | 'logistic' | 'kde';

/** Which moments entropy balancing matches (each level includes the previous ones). */
export type MomentSet = 'means' | 'meansAndVariances' | 'all';

/** Settings of `calibrationWeights` (entropy balancing). */
export interface CalibrationOptions {
  /** Moments to match: means, + variances, + covariances (default 'all': 2d + d(d-1)/2 constraints, 20 for d = 5). */
  moments?: MomentSet;
  /**
   * Also match each trait's marginal shares in `bins` quantile bins of the target (10 = deciles); 0 (default) = none.
   * Adds up to d (bins - 1) constraints. Integer in [2, 100] or 0.
   */
  bins?: number;
  /**
   * Ridge rho >= 0 on lambda (penalised dual, approximate balancing); default 0 = exact balancing, with an automatic
   * fall-back to `fallbackRidge` when the exact problem has no solution.
   */
  ridge?: number;
  /** Ridge used when exact balancing fails (default 0.01; 0 = no fall-back, return the last exact iterate). */
  fallbackRidge?: number;
  /** Warm start: lambda from an earlier result's `parameters` (same constraints); ignored with a warning if the length differs. */
  initialLambda?: ArrayLike<number>;
  /** Newton stops when every component of the dual gradient is below this (standardised units); default 1e-10. */
  gradientTolerance?: number;
  /**
   * Rows used for the Newton Hessian; default 32768. Above it the dual is first solved on an every-k-th-row subsample,
   * then every Newton step takes its Hessian from a weight-proportional sample of about this many rows (the gradient
   * always uses every row). The subsamples only change the path, not the solution.
   */
  hessianRows?: number;
  /** Exact balancing gives up (and falls back to the ridge) when some |lambda_j| exceeds this; default 1000. */
  lambdaLimit?: number;
}

/** Settings of `rakingWeights` (iterative proportional fitting). */
export interface RakingOptions {
  /** Quantile bins of the target per trait (default 5); integer in [2, 100]. */
  bins?: number;
}

/** Settings of `logisticWeights` (classifier density ratio). */
export interface LogisticOptions {
  /** L2 penalty alpha >= 0 on the non-intercept coefficients of the mean log-likelihood (default 1e-3). */
  penalty?: number;
  /** Feature degree: 1 = linear, 2 = linear + squares + pairwise products (default 2). */
  degree?: 1 | 2;
  /** Clip weights at this multiple of the mean weight (repeated until none exceeds it); default none. Must be > 1. */
  maxWeightRatio?: number;
  /** Newton stops when every gradient component is below this; default 1e-8. */
  gradientTolerance?: number;
  /**
   * Rows used for the Newton Hessian, half for each set: a set with more than hessianRows / 2 rows contributes every
   * k-th row (k = ceil(rows / (hessianRows / 2))); default 65536. The gradient always uses every row, so this changes
   * the path, not the solution.
   */
  hessianRows?: number;
}

/**
 * The one input of every weight estimator: a pool to weight toward a target (the reference with its weights).
 * Options for one estimator live in its own group and are ignored by the others, so one input can be handed to
 * every entry of `weightEstimators`.
 */
export interface WeightEstimatorInput {
  /** The personas' trait scores, n x d (row-major). */
  pool: Matrix;
  /** The human reference, m x d, same columns as the pool. */
  reference: Matrix;
  /** Non-negative weights of the reference rows (default uniform); together they define the target. */
  targetWeights?: ArrayLike<number>;
  /** Non-negative starting (design) weights of the pool rows (default uniform); only their ratios matter. */
  baseWeights?: ArrayLike<number>;
  /** Seeded generator for estimators that sample; the four estimators here are deterministic and do not use it. */
  rng?: Rng;
  /**
   * Largest accepted gap of a constraint, in target standard deviations of its quantity (see ConstraintReport.gap).
   * Default 1e-6 for calibration and raking (they aim at exact balance; raking iterates until it holds) and 0.1 for
   * logistic and kde (the usual balance threshold of a standardised mean difference, Stuart 2010).
   */
  tolerance?: number;
  /** Iteration cap: Newton steps (calibration default 100 per phase, logistic 100) or raking sweeps (default 1000). */
  maxIterations?: number;
  /** Column labels for constraint names and messages (default the trait codes E A C N O when d = 5, else x1, x2, ...). */
  labels?: readonly string[];
  /** Accepted value range (default [1, 5], the common trait scale). */
  range?: readonly [number, number];
  calibration?: CalibrationOptions;
  raking?: RakingOptions;
  logistic?: LogisticOptions;
  /** Settings of the KDE importance-sampling step (see importanceSampling). */
  kde?: ImportanceSamplingOptions;
  /** Called with the fraction done, in [0, 1]. */
  onProgress?: (fraction: number) => void;
}

/** What the balance of one targeted quantity is before and after weighting. */
export interface ConstraintReport {
  /** e.g. 'mean E', 'variance A', 'covariance E-N', 'share O bin 3/5 (3.1, 3.5]'. */
  name: string;
  kind: 'mean' | 'variance' | 'covariance' | 'share';
  /** Column indices involved (one, or two for a covariance). */
  traits: number[];
  /** The target's value (weighted reference). */
  target: number;
  /** The weighted pool's value. */
  achieved: number;
  /**
   * (achieved - target) / s, where s is the target's standard deviation of the quantity's per-row term: x_k for a
   * mean, (x_k - mu_k)^2 for a variance, (x_k - mu_k)(x_l - mu_l) for a covariance (mu = target mean),
   * the bin indicator for a share (sqrt(t (1 - t))). The pool's SD is used when the target has none.
   */
  gap: number;
  /** |gap| <= tolerance. */
  holds: boolean;
}

/** The one result of every weight estimator. The shape never depends on options. */
export interface WeightEstimatorResult {
  method: EstimatorName;
  /** Weights of the pool rows, length n, non-negative, summing to 1. */
  weights: Float64Array;
  /** The estimator reached its aim (see each estimator: solver converged and every constraint within tolerance). */
  converged: boolean;
  /** Newton steps, raking sweeps, or 0 for a direct method. */
  iterations: number;
  /** Kish ESS, design effect, largest weight share, positive count of `weights`. */
  diagnostics: WeightDiagnostics;
  /** One entry per targeted quantity (for logistic and kde: checks of means, variances, covariances, not imposed). */
  constraints: ConstraintReport[];
  /** Plain-English sentences about anything a user should know (failed constraints, merged bins, heavy tails). */
  warnings: string[];
  /**
   * Fitted parameters: calibration lambda (one per constraint in `constraints` order, standardised features; pass back
   * as `calibration.initialLambda` to warm-start), logistic coefficients (intercept first), empty for raking and kde.
   */
  parameters: Float64Array;
}

/** Validated input with both weight vectors normalised to sum 1. */
export interface PreparedEstimatorInput {
  pool: Matrix;
  reference: Matrix;
  /** Normalised base weights of the pool, length n. */
  base: Float64Array;
  /** Normalised target weights of the reference, length m. */
  target: Float64Array;
  /** Short column names used in constraint names. */
  names: string[];
  /** Long labels for messages (undefined: validateTraitSet's defaults). */
  labels: readonly string[] | undefined;
}

/**
 * Validates a WeightEstimatorInput: both sets non-empty with at least 2 rows, the same columns, every value finite and
 * on the scale, no constant trait, weights finite and non-negative with a positive sum. Throws AlignInputError with a
 * sentence naming the set, row and trait. O((n + m) d).
 * @example prepareEstimatorInput({ pool, reference }).base sums to 1
 */
export function prepareEstimatorInput(input: WeightEstimatorInput): PreparedEstimatorInput {
  const { pool, reference } = input;
  const range = input.range ?? TRAIT_RANGE;
  if (input.labels && input.labels.length !== pool.cols) {
    throw new AlignInputError('DIMENSION_MISMATCH', `${input.labels.length} column labels were given for ${pool.cols} columns; give one label per column.`);
  }
  validateTraitSet(pool, 'pool', { labels: input.labels, range });
  validateTraitSet(reference, 'reference', { labels: input.labels, range });
  if (pool.cols !== reference.cols) {
    throw new AlignInputError(
      'DIMENSION_MISMATCH',
      `The pool has ${pool.cols} columns but the reference has ${reference.cols}; both must describe the same traits in the same order.`,
    );
  }
  if (input.tolerance !== undefined && !(input.tolerance > 0 && Number.isFinite(input.tolerance))) {
    throw new AlignInputError('BAD_PARAMETER', `The tolerance must be a positive number, got ${input.tolerance}.`);
  }
  if (input.maxIterations !== undefined && !(Number.isInteger(input.maxIterations) && input.maxIterations >= 1)) {
    throw new AlignInputError('BAD_PARAMETER', `The iteration limit must be a whole number of at least 1, got ${input.maxIterations}.`);
  }
  const base = normaliseWeights(input.baseWeights, pool.rows, 'pool base');
  const target = normaliseWeights(input.targetWeights, reference.rows, 'target');
  const d = pool.cols;
  const names = input.labels ? [...input.labels] : d === TRAIT_CODES.length ? [...TRAIT_CODES] : Array.from({ length: d }, (_, k) => `x${k + 1}`);
  return { pool, reference, base, target, names, labels: input.labels };
}

/**
 * Checks an optional numeric option and returns it or its default; throws BAD_PARAMETER with the option's name.
 * @example numberOption(undefined, 5, 'bins', { integer: true, min: 2 }) === 5
 */
export function numberOption(
  value: number | undefined,
  fallback: number,
  name: string,
  rule: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  const ok =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || (rule.exclusiveMin ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) {
    const parts: string[] = [];
    if (rule.integer) parts.push('a whole number');
    else parts.push('a number');
    if (rule.min !== undefined) parts.push(`${rule.exclusiveMin ? 'above' : 'at least'} ${rule.min}`);
    if (rule.max !== undefined) parts.push(`at most ${rule.max}`);
    throw new AlignInputError('BAD_PARAMETER', `The option ${name} must be ${parts.join(', ')}; got ${value}.`);
  }
  return value;
}
