import { createRng } from '../numeric/rng';
import { sampleIndices } from '../numeric/sampleIndices';
import { selectRows, type Matrix } from '../numeric/matrix';
import { sqrtmPsd } from '../numeric/symmetricEigen';
import { normaliseWeights } from '../numeric/validate';
import { weightDiagnostics } from '../stats/weightDiagnostics';
import { weightedMoments, type WeightedMoments } from '../stats/weightedMoments';
import { balanceReport, calibrationWeights, denseFeatures, failedConstraintsSentence, momentFeatures, pseudoSolve, type ConstraintReport } from './estimators';
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

/**
 * s_i = b . u_i + u_i' A u_i with u_i = x_i - centre and A upper-triangular (row-major d x d), for every row: the
 * exponent of the calibration tilt. Five columns take an unrolled loop (about ten times faster in V8). O(n d^2).
 */
function tiltScores(x: Matrix, centre: Float64Array, b: Float64Array, A: Float64Array): Float64Array {
  const { rows: n, cols: d, data } = x;
  const scores = new Float64Array(n);
  if (d === 5) {
    const [c0, c1, c2, c3, c4] = centre as unknown as [number, number, number, number, number];
    const [b0, b1, b2, b3, b4] = b as unknown as [number, number, number, number, number];
    const a00 = A[0]!, a01 = A[1]!, a02 = A[2]!, a03 = A[3]!, a04 = A[4]!;
    const a11 = A[6]!, a12 = A[7]!, a13 = A[8]!, a14 = A[9]!;
    const a22 = A[12]!, a23 = A[13]!, a24 = A[14]!;
    const a33 = A[18]!, a34 = A[19]!, a44 = A[24]!;
    for (let i = 0, o = 0; i < n; i++, o += 5) {
      const u0 = data[o]! - c0, u1 = data[o + 1]! - c1, u2 = data[o + 2]! - c2, u3 = data[o + 3]! - c3, u4 = data[o + 4]! - c4;
      scores[i] =
        u0 * (b0 + a00 * u0 + a01 * u1 + a02 * u2 + a03 * u3 + a04 * u4) +
        u1 * (b1 + a11 * u1 + a12 * u2 + a13 * u3 + a14 * u4) +
        u2 * (b2 + a22 * u2 + a23 * u3 + a24 * u4) +
        u3 * (b3 + a33 * u3 + a34 * u4) +
        u4 * (b4 + a44 * u4);
    }
    return scores;
  }
  const u = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) u[k] = data[i * d + k]! - centre[k]!;
    let s = 0;
    for (let k = 0; k < d; k++) {
      let t = b[k]!;
      for (let l = k; l < d; l++) t += A[k * d + l]! * u[l]!;
      s += t * u[k]!;
    }
    scores[i] = s;
  }
  return scores;
}

/**
 * 2d equally weighted points with the given mean and covariance: mu +- sqrt(d) c_k for the columns c_k of
 * Sigma^1/2 (their mean is mu and their covariance sum_k c_k c_k' = Sigma). Moment constraints and moment reports
 * read a sample only through these two moments, so the points stand in for all its rows. O(d^3).
 * @example weightedMoments(sigmaPoints(weightedMoments(x))).covariance ~ weightedMoments(x).covariance
 */
function sigmaPoints(m: WeightedMoments): Matrix {
  const d = m.mean.length;
  const root = sqrtmPsd(m.covariance, d);
  const data = new Float64Array(2 * d * d);
  for (let c = 0; c < d; c++) {
    for (let k = 0; k < d; k++) {
      const step = Math.sqrt(d) * root[k * d + c]!;
      data[2 * c * d + k] = m.mean[k]! + step;
      data[(2 * c + 1) * d + k] = m.mean[k]! - step;
    }
  }
  return { data, rows: 2 * d, cols: d };
}

/** Whole-pool Newton steps after the extension (see liveCalibrate; a second one gained little for its cost). */
export const LIVE_POOL_STEPS = 1;

/**
 * Normalised weights exp(s_i - max s) / sum, s the tilt with raw-feature coefficients `coef` (means, variances,
 * covariances: 2d + d(d-1)/2), and log Z = log sum_i exp(s_i) (log domain).
 */
function tilt(x: Matrix, centre: Float64Array, coef: Float64Array): { weights: Float64Array; logZ: number } {
  const d = x.cols;
  const b = new Float64Array(d);
  const A = new Float64Array(d * d); // upper triangle: A[k d + l] for k <= l
  let j = 0;
  for (let k = 0; k < d; k++) b[k] = coef[j++]!;
  for (let k = 0; k < d; k++) A[k * d + k] = coef[j++]!;
  for (let k = 0; k < d; k++) for (let l = k + 1; l < d; l++) A[k * d + l] = coef[j++]!;
  const w = tiltScores(x, centre, b, A);
  let smax = -Infinity;
  for (let i = 0; i < w.length; i++) if (w[i]! > smax) smax = w[i]!;
  let total = 0;
  for (let i = 0; i < w.length; i++) total += w[i] = Math.exp(w[i]! - smax);
  for (let i = 0; i < w.length; i++) w[i] = w[i]! / total;
  return { weights: w, logZ: smax + Math.log(total) };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

/**
 * The dual's gradient in raw feature units, E_w[f(x)] - E_target[f(y)] for the features u_k, u_k^2, u_k u_l with
 * u = x - mu_target, from the two sides' weighted moments: with D = mu_w - mu_target, E_w[u_k] = D_k and
 * E_w[u_k u_l] = Sigma_w,kl + D_k D_l; the target's are 0 and Sigma_target,kl.
 */
function dualGradient(pm: WeightedMoments, tm: WeightedMoments, targetOnly = false): Float64Array {
  const d = pm.mean.length;
  const D = Float64Array.from(pm.mean, (v, k) => v - tm.mean[k]!);
  if (targetOnly) {
    // The target's own feature means: 0 for the means, its variances and covariances.
    const g: number[] = new Array<number>(d).fill(0);
    for (let k = 0; k < d; k++) g.push(tm.covariance[k * d + k]!);
    for (let k = 0; k < d; k++) for (let l = k + 1; l < d; l++) g.push(tm.covariance[k * d + l]!);
    return Float64Array.from(g);
  }
  const g: number[] = [];
  for (let k = 0; k < d; k++) g.push(D[k]!);
  for (let k = 0; k < d; k++) g.push(pm.covariance[k * d + k]! + D[k]! * D[k]! - tm.covariance[k * d + k]!);
  for (let k = 0; k < d; k++) for (let l = k + 1; l < d; l++) g.push(pm.covariance[k * d + l]! + D[k]! * D[l]! - tm.covariance[k * d + l]!);
  return Float64Array.from(g);
}

function maxScaled(g: Float64Array, invScale: Float64Array): number {
  let m = 0;
  for (let j = 0; j < g.length; j++) m = Math.max(m, Math.abs(g[j]! * invScale[j]!));
  return m;
}

/** Weighted covariance (p x p) of the raw moment features of x's rows about `centre`; features with invScale 0 are left out (zero rows). O(n p^2). */
function featureCovariance(x: Matrix, centre: Float64Array, w: Float64Array, invScale: Float64Array): Float64Array {
  const p = invScale.length;
  const f = new Float64Array(p);
  const mean = new Float64Array(p);
  const second = new Float64Array(p * p);
  for (let i = 0; i < x.rows; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    denseFeatures(x.cols, p, centre, x.data, i * x.cols, f);
    for (let a = 0; a < p; a++) {
      const v = wi * f[a]!;
      mean[a] = mean[a]! + v;
      for (let c = a; c < p; c++) second[a * p + c] = second[a * p + c]! + v * f[c]!;
    }
  }
  const out = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    if (invScale[a] === 0) continue;
    for (let c = a; c < p; c++) {
      if (invScale[c] === 0) continue;
      out[a * p + c] = out[c * p + a] = second[a * p + c]! - mean[a]! * mean[c]!;
    }
  }
  return out;
}
