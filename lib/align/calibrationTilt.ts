/**
 * The calibration tilt as a quadratic form and the moment-based pieces of its dual, for extending weights solved on a
 * subsample to a whole pool (liveCalibrate): the tilt's scores and normalised weights, 2d sigma points standing in for
 * a sample's mean and covariance, the dual's gradient from weighted moments and the features' weighted covariance.
 */
import type { Matrix } from '../numeric/matrix';
import { sqrtmPsd } from '../numeric/symmetricEigen';
import type { WeightedMoments } from '../stats/weightedMoments';
import { denseFeatures } from './estimators';

/**
 * s_i = b . u_i + u_i' A u_i with u_i = x_i - centre and A upper-triangular (row-major d x d), for every row: the
 * exponent of the calibration tilt. Five columns take an unrolled loop (about ten times faster in V8). O(n d^2).
 */
function tiltScores(x: Matrix, centre: Float64Array, b: Float64Array, A: Float64Array): Float64Array {
  const { rows: n, cols: d, data } = x;
  const scores = new Float64Array(n);
  if (d === 5) {
    const c0 = centre[0]!, c1 = centre[1]!, c2 = centre[2]!, c3 = centre[3]!, c4 = centre[4]!;
    const b0 = b[0]!, b1 = b[1]!, b2 = b[2]!, b3 = b[3]!, b4 = b[4]!;
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
export function sigmaPoints(m: WeightedMoments): Matrix {
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

/**
 * Normalised weights exp(s_i - max s) / sum, s the tilt with raw-feature coefficients `coef` (means, variances,
 * covariances: 2d + d(d-1)/2), and log Z = log sum_i exp(s_i) (log domain).
 */
export function tilt(x: Matrix, centre: Float64Array, coef: Float64Array): { weights: Float64Array; logZ: number } {
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

/** a . b over a's length. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

/**
 * The dual's gradient in raw feature units, E_w[f(x)] - E_target[f(y)] for the features u_k, u_k^2, u_k u_l with
 * u = x - mu_target, from the two sides' weighted moments: with D = mu_w - mu_target, E_w[u_k] = D_k and
 * E_w[u_k u_l] = Sigma_w,kl + D_k D_l; the target's are 0 and Sigma_target,kl.
 */
export function dualGradient(pm: WeightedMoments, tm: WeightedMoments, targetOnly = false): Float64Array {
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

/** max_j |g_j invScale_j|: the gradient's largest component in standardised units. */
export function maxScaled(g: Float64Array, invScale: Float64Array): number {
  let m = 0;
  for (let j = 0; j < g.length; j++) m = Math.max(m, Math.abs(g[j]! * invScale[j]!));
  return m;
}

/** Weighted covariance (p x p) of the raw moment features of x's rows about `centre`; features with invScale 0 are left out (zero rows). O(n p^2). */
export function featureCovariance(x: Matrix, centre: Float64Array, w: Float64Array, invScale: Float64Array): Float64Array {
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
