import { AlignInputError } from '../numeric/alignInputError';
import { selectRows, type Matrix } from '../numeric/matrix';
import { createRng } from '../numeric/rng';
import { normaliseWeights } from '../numeric/validate';
import type { BandwidthSpec } from '../stats/bandwidth';
import type { MetricInput } from '../stats/metricInput';
import { paperMetricsBatchDetailed, type MetricsEstimation, type PaperMetrics } from '../stats/metrics';
import { asmd } from '../stats/asmd';
import { ksStatistic } from '../stats/ksStatistic';
import { energyDistance } from '../stats/energyDistance';
import type { StandardiseMode } from '../stats/standardiser';
import type { Truncation } from '../stats/importanceWeights';
import { weightDiagnostics } from '../stats/weightDiagnostics';
import { chooseEstimator, type CandidateScore } from './chooseEstimator';
import type { ConstraintReport, EstimatorName } from './estimators';
import { fitWeights, type EstimatorSpec, type FitSettings } from './fitWeights';
import type { OtVariant } from './sinkhorn';
import { selectionMethods, UNIQUE_SELECTION_METHODS, type SelectionMethod } from './selectionMethods';
import { TRAIT_RANGE, validateTraitSet } from './traitSpace';
import type { TransportWeightsResult } from './transportWeights';

/** How the pool is weighted: `auto` (chosen by held-out divergence), `paper` (KDE + OT, the paper's pipeline) or one estimator. */
export type EstimatorChoice = 'auto' | 'paper' | EstimatorName;
export const ESTIMATOR_CHOICES = ['auto', 'paper', 'calibration', 'raking', 'logistic', 'kde'] as const satisfies readonly EstimatorChoice[];

/** Every setting of the global alignment, with Populace's defaults. The resolved copy is returned in the result. */
export interface AlignConfig extends FitSettings {
  /** Weight estimator; default 'auto' (see chooseEstimator). 'paper' = KDE at `bandwidth` + OT. */
  estimator: EstimatorChoice;
  /** OT refinement after a named estimator ('paper' always refines; 'auto' chooses); default 'none'. */
  refine: 'none' | 'ot';
  /** Quantile bins per trait for calibration (extra share constraints; 0 = moments only) and raking; default 0 (raking: 5). */
  bins: number;
  /** Share of the reference `auto` holds out to measure candidates; default 0.5. */
  heldOutShare: number;
  /** Size k of the selected set; default min(1000, pool size). */
  size: number;
  /** KDE bandwidth; default 0.2 (trait points on the 1-5 scale, standardise 'none'). */
  bandwidth: BandwidthSpec;
  /** Selection method for the final set; default 'systematic' (draws with repeats keep the weights; the set carries counts). */
  selection: SelectionMethod;
  /** Sliced-Wasserstein directions; default 100 (seeded by metricsSeed). */
  projections: number;
  /** Seed of the metrics' random directions and subsamples; default 0 (fixed so runs compare). */
  metricsSeed: number;
  /** Accepted value range; default [1, 5]. */
  range: [number, number];
}

export const DEFAULT_ALIGN_CONFIG: Omit<AlignConfig, 'size'> & { size: number | null } = {
  estimator: 'auto',
  refine: 'none',
  bins: 0,
  heldOutShare: 0.5,
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
  selection: 'systematic',
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
  onProgress?: (stage: 'validate' | 'choose' | 'importance' | 'transport' | 'selection' | 'metrics', fraction: number) => void;
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
  /**
   * How each set's metrics (AlignResult.metrics) were obtained: per set, only the metrics estimated on a subsample,
   * as { subsample: draws per side, se: standard error of the reported value }; {} = every metric exact. AMW, FD, SW
   * (100 seeded directions) and MAEcorr are always exact; MMD is exact on the distinct rows up to MMD_EXACT_LIMIT
   * (lattice scores, 40,000 distinct rows; other points 12,649) and estimated above (lib/stats/mmd.ts).
   * @example { raw: {}, randomSelect: {}, resample: {}, weighted: { mmd: { subsample: 5000, se: 0.002 } } }
   */
  metricsEstimation: Record<'raw' | 'randomSelect' | 'resample' | 'weighted', MetricsEstimation>;
}

/** Which estimator weighted the pool, and why. */
export interface EstimatorReport {
  /** What was asked for. */
  choice: EstimatorChoice;
  /** What weighted the pool (for auto: the winner). */
  used: EstimatorSpec;
  /** auto's candidate table (null when an estimator was named). */
  candidates: CandidateScore[] | null;
  /** auto: the whole pool's metrics against the held-out part, and the sizes of the two parts. */
  heldOut: { raw: PaperMetrics; fitRows: number; heldOutRows: number } | null;
  /** Balance of each targeted quantity after the estimator (before OT). */
  constraints: ConstraintReport[];
}

export interface AlignResult {
  /** Final persona weights (the estimator's, or the plan row sums after OT; zero outside the candidates), length n, sum 1. */
  weights: Float64Array;
  /** The estimator's weights before any OT refinement, length n. */
  importanceWeights: Float64Array;
  /** Pool log density (leave-one-out) at each persona when the estimator is KDE (reuse for live updates); else empty. */
  logPoolDensity: Float64Array;
  /** Indices of the selected personas (the Resample set). */
  selection: Uint32Array;
  /** Indices of the RandomSelect baseline (same size, uniform without replacement). */
  randomSelection: Uint32Array;
  diagnostics: AlignDiagnostics;
  /** The OT step's result without its weights (those are `weights` above), or null without OT refinement. */
  ot: Omit<TransportWeightsResult, 'weights'> | null;
  estimator: EstimatorReport;
  /** The paper's Table 1 rows (plus the weighted pool before resampling). */
  metrics: { raw: PaperMetrics; randomSelect: PaperMetrics; resample: PaperMetrics; weighted: PaperMetrics };
  balance: { raw: BalanceReport; randomSelect: BalanceReport; resample: BalanceReport };
  config: AlignConfig;
}

/**
 * Global alignment of a persona pool to a human target: weights from an estimator (chosen by held-out divergence by
 * default), an optional OT refinement, selection of a set of size k, and the paper's Table 1 comparison.
 *
 * Steps: (1) validate (1-5 range, finite, >= 2 rows, no constant trait); (2) weights: with estimator 'auto' every
 * candidate of AUTO_CANDIDATES (entropy balancing, raking, logistic odds, KDE, the paper's KDE + OT) is cross-fitted
 * over two folds (the reference split in seeded halves; each half fits once and is held out once, its k-set measured
 * against the held-out half); among the candidates no worse than Raw, the lowest fold-mean ratio to Raw wins and is
 * fitted to the whole target. 'paper' reproduces the paper: KDE importance weights (bandwidth 0.2, PSIS), the top
 * candidateFraction by weight, OT (semiRelaxed, tau = epsilon = 0.08 x median cost) with plan row sums as weights;
 * (3) select k personas (systematic draws with repeats by default: the set keeps the weights and carries counts);
 * (4) metrics AMW, FD, SW, MMD, MAEcorr for Raw (whole pool), RandomSelect (random k) and Resample (the selection),
 * plus per-trait ASMD / KS and energy distance. Deterministic for a seed. Non-convergence is reported, not thrown.
 * Complexity at default settings: 'auto' adds 2 x 6 fits and k-set measurements on capped halves (2 x 4 above 5,000
 * personas, where the KDE candidates are left out); calibration is O(iterations n p^2) with p = 20 moments; KDE
 * O(n + m) binned; OT O(iterations n 300); metrics O(100 (u_a + u_b) log(u_a + u_b)) on the u distinct rows, MMD exact
 * up to 8,000 distinct rows and a subsample estimate with its standard error above. The bench prints measured times.
 * Reference: Hu et al. (2025) arXiv 2509.10127, stage 3; Hainmueller (2012) for entropy balancing; Deming & Stephan
 * (1940) for raking; chooseEstimator.ts for the choice by measurement.
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

  // Weights: auto chooses the estimator on a held-out split of the reference, then it is fitted to the whole target.
  let spec: EstimatorSpec;
  let candidates: CandidateScore[] | null = null;
  let heldOut: EstimatorReport['heldOut'] = null;
  if (config.estimator === 'auto' && reference.rows < 8) {
    spec = { estimator: 'calibration', refine: 'none', bins: 0, label: 'calibration (moments)' };
    warnings.push(`There are too few reference rows (${reference.rows}) to hold some out and choose an estimator, so calibration was used.`);
  } else if (config.estimator === 'auto') {
    progress('choose', 0.02);
    const c = chooseEstimator({
      pool,
      reference,
      targetWeights,
      size: config.size,
      selection: config.selection,
      settings: config,
      heldOutShare: config.heldOutShare,
      metricsSeed: config.metricsSeed,
      projections: config.projections,
      onProgress: (f) => progress('choose', 0.02 + 0.38 * f),
    });
    spec = c.best;
    candidates = c.table;
    heldOut = { raw: c.raw, fitRows: c.fitRows, heldOutRows: c.heldOutRows };
  } else if (config.estimator === 'paper') {
    spec = { estimator: 'kde', refine: 'ot', bandwidth: config.bandwidth, label: `paper (kde ${typeof config.bandwidth === 'number' ? config.bandwidth : 'rule'} + OT)` };
  } else {
    spec = {
      estimator: config.estimator,
      refine: config.refine,
      bandwidth: config.bandwidth,
      bins: config.bins,
      label: `${config.estimator}${config.refine === 'ot' ? ' + OT' : ''}`,
    };
  }
  const base0 = config.estimator === 'auto' ? 0.4 : 0.05;
  const fit = fitWeights(pool, reference, targetWeights, spec, config, (f) => progress(f < 0.5 ? 'importance' : 'transport', base0 + (0.7 - base0) * f));
  warnings.push(...fit.warnings);
  const weights = fit.weights;
  const ot = fit.ot;
  const candCount = fit.candidateCount;

  // Selection.
  progress('selection', 0.7);
  const wd = weightDiagnostics(weights);
  let size = config.size;
  const unique = UNIQUE_SELECTION_METHODS.has(config.selection);
  if (unique && size > wd.positiveCount) {
    warnings.push(`Only ${wd.positiveCount} personas have a positive weight, so the set has ${wd.positiveCount} personas instead of ${size}.`);
    size = wd.positiveCount;
  }
  const selection = selectionMethods[config.selection]({ weights, size, rng: selectRng, points: pool }).indices;
  const randomSelection = selectionMethods.withoutReplacement({ weights: new Float64Array(n).fill(1), size: Math.min(size, n), rng: randomRng }).indices;

  // Metrics (Table 1).
  progress('metrics', 0.75);
  const base = { b: reference, bWeights: targetWeights, seed: config.metricsSeed, projections: config.projections };
  const rawIn: MetricInput = { a: pool, ...base };
  const randIn: MetricInput = { a: selectRows(pool, randomSelection), ...base };
  const resIn: MetricInput = { a: selectRows(pool, selection), ...base };
  const batch = paperMetricsBatchDetailed(
    [{ a: pool }, { a: randIn.a }, { a: resIn.a }, { a: pool, aWeights: weights }],
    reference,
    targetWeights,
    { seed: config.metricsSeed, projections: config.projections },
  );
  const [mRaw, mRand, mRes, mW] = batch.metrics;
  const [eRaw, eRand, eRes, eW] = batch.estimation;
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
    importanceWeights: fit.priorWeights,
    logPoolDensity: fit.logPoolDensity,
    selection,
    randomSelection,
    diagnostics: {
      ess: wd.ess,
      designEffect: wd.designEffect,
      maxWeightShare: wd.maxWeightShare,
      khat: Number.isFinite(fit.khat) ? fit.khat : 0,
      khatWarning: fit.khat > 0.7,
      importanceEss: fit.priorEss,
      rawImportanceEss: fit.rawPriorEss,
      converged: fit.converged,
      iterations: fit.iterations,
      candidateCount: candCount,
      selectionSize: selection.length,
      warnings,
      metricsEstimation: { raw: eRaw!, randomSelect: eRand!, resample: eRes!, weighted: eW! },
    },
    ot,
    estimator: { choice: config.estimator, used: spec, candidates, heldOut, constraints: fit.constraints },
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
