import { selectRows, type Matrix } from '../numeric/matrix';
import type { BandwidthSpec } from '../stats/bandwidth';
import type { Truncation } from '../stats/importanceWeights';
import { paretoSmooth } from '../stats/paretoSmooth';
import type { StandardiseMode } from '../stats/standardiser';
import { balanceReport, prepareEstimatorInput, weightEstimators, type ConstraintReport, type EstimatorName } from './estimators';
import { importanceSampling } from './importanceSampling';
import type { OtVariant } from './sinkhorn';
import { transportWeights, type TransportWeightsResult } from './transportWeights';

/**
 * One way of weighting a pool: a weight estimator, optionally followed by the entropic-OT refinement that uses the
 * estimator's weights as its source mass (the paper's step B). `paper` is KDE at bandwidth 0.2 followed by OT.
 */
export interface EstimatorSpec {
  estimator: EstimatorName;
  refine: 'none' | 'ot';
  /** KDE bandwidth (estimator 'kde' only). */
  bandwidth?: BandwidthSpec;
  /** Quantile bins per trait: calibration's extra share constraints (0 = moments only), raking's bins. */
  bins?: number;
  /** Short human label, e.g. "calibration (moments + deciles)". */
  label: string;
}

/** The settings of the fit that do not belong to one estimator (a subset of AlignConfig). */
export interface FitSettings {
  /** Seed of every random choice (selection, RandomSelect, sampled medians); default 0. */
  seed: number;
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
}

export interface FittedWeights {
  spec: EstimatorSpec;
  /** Final persona weights, length n, sum 1. */
  weights: Float64Array;
  /** The estimator's weights before any OT refinement, length n, sum 1. */
  priorWeights: Float64Array;
  /** Pool log density at each persona (KDE only; empty otherwise). */
  logPoolDensity: Float64Array;
  /** Pareto k-hat of the estimator's raw weights (NaN when the tail is too short to fit). */
  khat: number;
  /** Kish ESS of the estimator's weights (after smoothing for KDE) and of its raw weights. */
  priorEss: number;
  rawPriorEss: number;
  /** The estimator converged (and, with OT, so did the transport). */
  converged: boolean;
  iterations: number;
  /** Balance of each targeted quantity (means, variances, covariances, bin shares) after the estimator. */
  constraints: ConstraintReport[];
  warnings: string[];
  /** Personas kept as OT candidates (n without OT). */
  candidateCount: number;
  /** The OT step's summary, or null without refinement. */
  ot: Omit<TransportWeightsResult, 'weights'> | null;
}


/** Pareto k-hat of a weight vector's upper tail (zeros left out); NaN when the tail is too short to fit. */
export function khatOf(w: ArrayLike<number>): number {
  const logs: number[] = [];
  for (let i = 0; i < w.length; i++) if (w[i]! > 0) logs.push(Math.log(w[i]!));
  return paretoSmooth(logs).khat;
}

/**
 * Weights a pool toward a target with one EstimatorSpec: the estimator (`weightEstimators`, or importanceSampling for
 * KDE with the engine's truncation and KDE settings), then, with refine 'ot', the top `candidateFraction` personas by
 * weight are transported to the target with the estimator's weights as source mass and the plan's row sums become
 * the weights (see transportWeights). Deterministic for a seed.
 * Complexity: the estimator's (calibration O(iterations n p^2), p = 20 moments; KDE O(n + m) binned) plus OT's
 * O(iterations x candidates x support).
 * @example fitWeights(pool, reference, undefined, { estimator: 'calibration', refine: 'none', label: 'calibration' }, s).weights.length === pool.rows
 */
export function fitWeights(
  pool: Matrix,
  reference: Matrix,
  targetWeights: Float64Array | undefined,
  spec: EstimatorSpec,
  s: FitSettings,
  onProgress: (fraction: number) => void = () => undefined,
): FittedWeights {
  const n = pool.rows;
  const warnings: string[] = [];
  let prior: Float64Array;
  let logPoolDensity: Float64Array = new Float64Array(0);
  let khat: number;
  let priorEss: number;
  let rawPriorEss: number;
  let converged = true;
  let iterations = 0;
  let constraints: ConstraintReport[] = [];
  if (spec.estimator === 'kde') {
    const is = importanceSampling(
      pool,
      reference,
      targetWeights,
      { bandwidth: spec.bandwidth ?? 0.2, standardise: s.standardise, truncation: s.truncation, cap: s.cap ?? undefined, kdeMethod: s.kdeMethod },
      (f) => onProgress(0.5 * f),
    );
    prior = Float64Array.from(is.weights);
    logPoolDensity = is.logPoolDensity;
    khat = is.khat;
    priorEss = is.ess;
    rawPriorEss = is.raw.ess;
    if (is.khatWarning) {
      warnings.push(
        `The importance weights have a heavy tail (Pareto k-hat ${is.khat.toFixed(2)} > 0.7): a few personas would dominate, so the raw weights were Pareto-smoothed${spec.refine === 'ot' ? ' and the OT step does the fine alignment' : ''}.`,
      );
    }
    constraints = constraintsFor(pool, reference, targetWeights, prior);
  } else {
    const r = weightEstimators[spec.estimator]({
      pool,
      reference,
      targetWeights,
      calibration: { moments: 'all', bins: spec.bins ?? 0 },
      raking: { bins: spec.bins || 5 },
      onProgress: (f) => onProgress(0.5 * f),
    });
    prior = r.weights;
    converged = r.converged;
    iterations = r.iterations;
    constraints = r.constraints;
    warnings.push(...r.warnings);
    khat = khatOf(prior);
    priorEss = r.diagnostics.ess;
    rawPriorEss = r.diagnostics.ess;
  }
  if (spec.refine === 'none') {
    onProgress(1);
    return { spec, weights: prior, priorWeights: prior, logPoolDensity, khat, priorEss, rawPriorEss, converged, iterations, constraints, warnings, candidateCount: n, ot: null };
  }

  // OT refinement from the top candidateFraction personas, with the estimator's weights as source mass.
  const candCount = Math.max(1, Math.round(s.candidateFraction * n));
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => prior[y]! - prior[x]! || x - y);
  const candidates = Uint32Array.from(order.slice(0, candCount)).sort();
  const candMass = new Float64Array(candCount);
  let mass = 0;
  for (let t = 0; t < candCount; t++) mass += candMass[t] = s.otSourceMass === 'uniform' ? 1 : prior[candidates[t]!]!;
  if (!(mass > 0)) candMass.fill(1);
  const ot = transportWeights(selectRows(pool, candidates), candMass, reference, targetWeights, {
    variant: s.variant,
    epsilon: s.epsilon ?? undefined,
    epsilonFactor: s.epsilonFactor,
    tau: s.tau ?? undefined,
    maxIterations: s.maxIterations,
    tolerance: s.tolerance,
    costWeights: s.costWeights ?? undefined,
    batchSize: s.batchSize,
    maxSupport: s.maxSupport,
    seed: s.seed,
    onProgress: (f) => onProgress(0.5 + 0.5 * f),
  });
  if (!ot.converged) {
    warnings.push(
      `The transport solver stopped after ${ot.iterations} iterations without reaching the tolerance ${s.tolerance} (last marginal error ${(ot.marginalError[ot.marginalError.length - 1] ?? NaN).toExponential(2)}); the weights are usable but not exact. Raise maxIterations or epsilon.`,
    );
  }
  const weights = new Float64Array(n);
  for (let t = 0; t < candCount; t++) weights[candidates[t]!] = ot.weights[t]!;
  const { weights: _omit, ...otSummary } = ot;
  void _omit;
  return {
    spec,
    weights,
    priorWeights: prior,
    logPoolDensity,
    khat,
    priorEss,
    rawPriorEss,
    converged: converged && ot.converged,
    iterations: iterations + ot.iterations,
    constraints,
    warnings,
    candidateCount: candCount,
    ot: otSummary,
  };
}

/** Balance checks (means, variances, covariances; 0.1 target SDs) of given weights, as the KDE estimator reports them. */
function constraintsFor(pool: Matrix, reference: Matrix, targetWeights: Float64Array | undefined, weights: Float64Array): ConstraintReport[] {
  const prep = prepareEstimatorInput({ pool, reference, targetWeights });
  return balanceReport(pool, weights, reference, prep.target, prep.base, prep.names, { moments: 'all' }, 0.1);
}
