import { AlignInputError } from '../numeric/alignInputError';
import { selectRows } from '../numeric/matrix';
import { createRng } from '../numeric/rng';
import { normaliseWeights } from '../numeric/validate';
import type { MetricInput } from '../stats/metricInput';
import { paperMetricsBatchDetailed } from '../stats/metrics';
import { asmd } from '../stats/asmd';
import { ksStatistic } from '../stats/ksStatistic';
import { energyDistance } from '../stats/energyDistance';
import { weightDiagnostics } from '../stats/weightDiagnostics';
import { DEFAULT_ALIGN_CONFIG, type AlignConfig } from './alignConfig';
import type { AlignPoolInput, AlignResult, BalanceReport, EstimatorReport } from './alignResult';
import type { CandidateScore } from './candidateTable';
import { chooseEstimator } from './chooseEstimator';
import { fitWeights, type EstimatorSpec } from './fitWeights';
import { selectionMethods, UNIQUE_SELECTION_METHODS } from './selectionMethods';
import { validateTraitSet } from './traitSpace';

export { DEFAULT_ALIGN_CONFIG, ESTIMATOR_CHOICES, type AlignConfig, type EstimatorChoice } from './alignConfig';
export type { AlignDiagnostics, AlignPoolInput, AlignResult, BalanceReport, EstimatorReport } from './alignResult';

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
    if (c.fallback) warnings.push(c.fallback);
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
