import { createRng } from '../numeric/rng';
import { sampleIndices } from '../numeric/sampleIndices';
import { selectRows, type Matrix } from '../numeric/matrix';
import { normaliseWeights } from '../numeric/validate';
import { weightDiagnostics } from '../stats/weightDiagnostics';
import { weightedMoments, type WeightedMoments } from '../stats/weightedMoments';
import { dot, dualGradient, featureCovariance, maxScaled, sigmaPoints, tilt } from './calibrationTilt';
import { balanceReport, calibrationWeights, failedConstraintsSentence, momentFeatures, pseudoSolve, type ConstraintReport } from './estimators';
import { khatOf } from './fitWeights';
import { cachedOrderAmw, sortTarget, type LiveReweightResult, type PoolOrder } from './liveReweight';

/** A live calibration update: the live reweight's figures, the dual to warm-start the next edit, and the balance. */
export interface LiveCalibrateResult extends LiveReweightResult {
  /**
   * The dual parameters (one per constraint); pass them back as `initialLambda` after the next edit when `converged`
   * (after an unreachable target they are the ridge fallback's, a poor start: start the next edit from zero).
   */
  lambda: Float64Array;
  /** The dual solver converged on the solved rows (exact balance there, or the ridge fallback's optimum). */
  converged: boolean;
  iterations: number;
  /** Pool rows the dual was solved on: a fixed seeded subsample, or every row when the pool has no more than `rows`. */
  solvedRows: number;
  /** Weighted moments of the whole pool under `weights`, and the target's. */
  moments: { pool: WeightedMoments; target: WeightedMoments };
  /** Balance of the WHOLE weighted pool's means, variances and covariances against the target (gaps in target SDs). */
  constraints: ConstraintReport[];
  /** Largest |gap| over `constraints`: how far the whole pool's weighted moments are from the target, in target SDs. */
  maxGap: number;
  warnings: string[];
}

/**
 * Pool rows the live dual is solved on. Measured on a 100,000-persona pool tilted toward agreeable, conscientious,
 * stable people (npm run bench:live, ESS about 10% of the pool): with one whole-pool Newton step the whole pool's
 * largest moment gap is about 0.03 target SDs at 4,096 rows (0.04 at 8,192, 0.07-0.08 without the step) and the
 * weighted AMW that of the exact whole-pool calibration; the step costs less than doubling the rows.
 */
export const LIVE_CALIBRATION_ROWS = 4096;
/** Newton stops when every dual gradient component (standardised moment gap) is below this: invisible in any chart, and far below the subsample's own error. */
export const LIVE_GRADIENT_TOLERANCE = 1e-4;
/** A constraint "holds" in the live report when the whole pool misses it by at most this many target SDs. */
export const LIVE_GAP_TOLERANCE = 0.05;
/** Whole-pool Newton steps after the extension (see liveCalibrate; a second one gained little for its cost). */
export const LIVE_POOL_STEPS = 1;
const SUBSAMPLE_SEED = 7;

const subsamples = new WeakMap<Matrix, Map<number, Matrix>>();

/** The fixed seeded subsample of `rows` pool rows (sorted row order), cached per pool matrix; the pool itself when small. */
function solveSet(pool: Matrix, rows: number): Matrix {
  if (pool.rows <= rows) return pool;
  let byRows = subsamples.get(pool);
  const hit = byRows?.get(rows);
  if (hit) return hit;
  const sub = selectRows(pool, sampleIndices(pool.rows, rows, createRng(SUBSAMPLE_SEED)).slice().sort());
  if (!byRows) {
    byRows = new Map();
    subsamples.set(pool, byRows);
  }
  byRows.set(rows, sub);
  return sub;
}

/**
 * Calibration weights for a studio edit: entropy balancing (calibrationWeights, moments 'all') of a fixed seeded
 * subsample of the pool to the new target's means, variances and covariances, warm-started from the previous edit's
 * dual, then extended to every persona by the same exponential tilt, and measured on the whole pool.
 *
 * The solution on the subsample S is w_i = exp(lambda . f~(x_i)) / Z with f~ the moment features standardised on S
 * (centred at the target mean). Every feature is a monomial of degree <= 2 in u = x - mu_target, so the tilt is a
 * quadratic form s(x) = b . u + u' A u; the whole pool gets w_i proportional to exp(s(x_i)) (one O(n d^2) pass). Then
 * LIVE_POOL_STEPS Newton steps on the whole pool's dual (exact gradient from its weighted moments, Hessian estimated
 * on the subsample, step halved until the dual decreases) shrink what the subsample missed. The whole pool's weighted
 * moments still match the target only approximately: `constraints` and `maxGap` report the whole pool's balance, so
 * the approximation is visible. With `rows` >= n the dual is solved on every row and the balance is exact.
 * An edit only moves the target moments a little, so a warm start needs one to three Newton steps.
 * AMW uses the pool's cached per-trait sort orders and the target's (reused while the row order per trait is
 * unchanged, as after the sliders' increasing affine maps). k-hat is the Pareto shape of the weights' upper tail.
 * Infeasible targets (outside what reweighting can reach) get calibrationWeights' ridge fallback: finite weights,
 * converged false, a warning, and the gaps in `constraints`.
 * Complexity per edit: O(iterations (r p + r p^2)) for the dual on r = min(n, rows) rows with p = 20 constraints, plus
 * O(n d^2) per extension or whole-pool step and for the balance report, O(m d^2) for the target's moments and O(d (n + m)) for AMW.
 * Reference: Hainmueller (2012) Political Analysis 20(1), entropy balancing.
 * @param rows pool rows to solve the dual on (default LIVE_CALIBRATION_ROWS); @param initialLambda the last edit's lambda
 * @example liveCalibrate({ cache, target }).weights.length === cache.pool.rows
 */
export function liveCalibrate(input: {
  cache: PoolOrder;
  target: Matrix;
  targetWeights?: ArrayLike<number>;
  targetOrder?: Uint32Array;
  initialLambda?: ArrayLike<number>;
  rows?: number;
}): LiveCalibrateResult {
  const { cache, target } = input;
  const pool = cache.pool;
  const n = pool.rows;
  const d = pool.cols;
  const tw = normaliseWeights(input.targetWeights, target.rows, 'target');
  const sub = solveSet(pool, input.rows ?? LIVE_CALIBRATION_ROWS);
  // The constraints see the target only through its mean and covariance: the dual gets 2d points with those moments.
  const tm = weightedMoments(target, tw);
  const r = calibrationWeights({
    pool: sub,
    reference: sigmaPoints(tm),
    range: [-Infinity, Infinity],
    // `converged` should mean "the solver balanced the subsample without a ridge": the balance check at the end of
    // calibrationWeights would read gaps on the 2d points' own (tiny) scales, so it is made lenient here; the whole
    // pool's balance is reported below on the target's scales.
    tolerance: 1,
    calibration: { moments: 'all', initialLambda: input.initialLambda, hessianRows: sub.rows, gradientTolerance: LIVE_GRADIENT_TOLERANCE },
  });
  // The subsample's own warnings speak of the subsample; the live ones below speak of the whole pool.
  const warnings: string[] = [];
  if (!r.converged) {
    warnings.push('Exact balancing is not possible for this target (it lies outside what reweighting this pool can reach), so the weights come as close as a ridge penalty on the dual allows.');
  }

  // The tilt as a quadratic form in u = x - mu_target: raw feature j's coefficient is lambda_j / sd_j on the subsample.
  const centre = tm.mean;
  const fs = momentFeatures([{ x: sub, weights: new Float64Array(sub.rows).fill(1 / sub.rows), mass: 1 }], 'all', [], centre);
  const coef = Float64Array.from(r.parameters, (l, j) => l * fs.invScale[j]!);
  const targetRaw = dualGradient(tm, tm, true);
  let fit = tilt(pool, centre, coef);
  if (!fit.weights.every(Number.isFinite)) {
    fit = { weights: new Float64Array(n).fill(1 / n), logZ: 0 };
    warnings.push('The calibration weights could not be extended to the whole pool in floating point, so the pool is shown unweighted.');
  }
  let pm = weightedMoments(pool, fit.weights);
  // The subsample's moments match the target, the whole pool's only nearly. Newton steps on the whole pool's dual
  // phi(a) = log sum_i exp(a . f(x_i)) - a . t close most of the rest: the gradient (the whole pool's moment gaps) is
  // exact, from its weighted moments; the Hessian (the features' weighted covariance) is estimated on the subsample's
  // rows, so a step is halved until phi decreases (at most twice).
  let phi = fit.logZ - dot(coef, targetRaw);
  for (let step = 0; step < LIVE_POOL_STEPS && n > sub.rows; step++) {
    const gradient = dualGradient(pm, tm);
    if (maxScaled(gradient, fs.invScale) <= LIVE_GRADIENT_TOLERANCE) break;
    const delta = pseudoSolve(featureCovariance(sub, centre, tilt(sub, centre, coef).weights, fs.invScale), gradient, fs.p).x;
    let accepted = false;
    for (let alpha = 1; alpha >= 0.25 && !accepted; alpha /= 2) {
      const next = Float64Array.from(coef, (c, j) => (fs.invScale[j]! > 0 ? c - alpha * delta[j]! : c));
      const trial = tilt(pool, centre, next);
      const phiTrial = trial.logZ - dot(next, targetRaw);
      if (!(phiTrial < phi) || !trial.weights.every(Number.isFinite)) continue;
      coef.set(next);
      fit = trial;
      phi = phiTrial;
      pm = weightedMoments(pool, fit.weights);
      accepted = true;
    }
    if (!accepted) break;
  }
  const weights = fit.weights;

  // The report's pool side is the whole weighted pool, passed as 2d points with its mean and covariance (the target
  // side needs every row for the gaps' scales).
  const names = d === 5 ? ['E', 'A', 'C', 'N', 'O'] : Array.from({ length: d }, (_, k) => `x${k + 1}`);
  const uniform = new Float64Array(2 * d).fill(1 / (2 * d));
  const constraints = balanceReport(sigmaPoints(pm), uniform, target, tw, uniform, names, { moments: 'all' }, LIVE_GAP_TOLERANCE);
  let maxGap = 0;
  for (const c of constraints) maxGap = Math.max(maxGap, Math.abs(c.gap));
  const missed = failedConstraintsSentence(constraints, 3);
  if (missed) warnings.push(`The weighted pool misses these targets by more than ${LIVE_GAP_TOLERANCE} target SDs: ${missed}.`);
  const { amw, perTrait } = cachedOrderAmw(cache, sortTarget(target, input.targetOrder), weights, tw);
  const diag = weightDiagnostics(weights);
  const khat = khatOf(weights);
  return {
    weights,
    logTargetDensity: new Float64Array(0),
    ess: diag.ess,
    designEffect: diag.designEffect,
    maxWeightShare: diag.maxWeightShare,
    khat: Number.isFinite(khat) ? khat : 0,
    khatWarning: khat > 0.7,
    amw,
    amwPerTrait: perTrait,
    lambda: r.parameters,
    converged: r.converged,
    iterations: r.iterations,
    solvedRows: sub.rows,
    moments: { pool: pm, target: tm },
    constraints,
    maxGap,
    warnings,
  };
}
