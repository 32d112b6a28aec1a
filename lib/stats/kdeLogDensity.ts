import type { Matrix } from '../numeric/matrix';

/** A KDE problem already on the standardised scale (see gaussianKde for the front door). */
export interface PreparedKde {
  /** n x d sample on the standardised scale. */
  data: Matrix;
  /** m x d evaluation points on the same scale (with leaveOneOut, must be the data themselves: m = n). */
  points: Matrix;
  /** Sample weights summing to 1, length n. */
  weights: Float64Array;
  /** Kernel standard deviation per axis, length d. */
  bandwidth: Float64Array;
  /** Drop the point's own kernel and renormalise the other weights by 1 / (1 - w_i). */
  leaveOneOut: boolean;
  /** Optional progress callback, fraction in [0, 1]. */
  onProgress?: (fraction: number) => void;
}

/**
 * Exact Gaussian kernel density, in logs, at every evaluation point.
 *
 * log p(z_i) = log sum_j w_j prod_k phi((z_ik - y_jk) / h_k) / h_k, computed as a log-sum-exp so that points far
 * from all data get a finite, very negative value instead of log 0. phi is the standard normal density.
 * Leave-one-out: the j = i term is dropped and the sum divided by (1 - w_i).
 * Symbols: data y (n x d), points z (m x d), weights w (n), bandwidth h (d). Result on the standardised
 * scale (add log|det T| to return to the raw scale).
 * Complexity O(m n d) time, O(n) extra memory. Use the binned version above ~1e8 pairs.
 * Reference: Silverman (1986), Density Estimation for Statistics and Data Analysis. Agrees with
 * scipy.stats.gaussian_kde.logpdf to 1e-10 (tests/unit/stats/kde.test.ts).
 * @example one point at 0, h = 1: log p(0) = -0.5 log(2 pi) ~= -0.9189
 */
export function kdeLogDensity(input: PreparedKde): Float64Array {
  const { data, points, weights, bandwidth, leaveOneOut } = input;
  const n = data.rows;
  const m = points.rows;
  const d = data.cols;
  const invH = new Float64Array(d);
  let logNorm = -0.5 * d * Math.log(2 * Math.PI);
  for (let k = 0; k < d; k++) {
    invH[k] = 1 / bandwidth[k]!;
    logNorm -= Math.log(bandwidth[k]!);
  }
  const y = new Float64Array(n * d);
  for (let j = 0; j < n; j++) for (let k = 0; k < d; k++) y[j * d + k] = data.data[j * d + k]! * invH[k]!;
  const logW = new Float64Array(n);
  let uniform = true;
  for (let j = 0; j < n; j++) {
    logW[j] = Math.log(weights[j]!);
    if (weights[j] !== weights[0]) uniform = false;
  }
  const q = new Float64Array(n);
  const out = new Float64Array(m);
  const z = new Float64Array(d);
  const step = Math.max(1, Math.floor(m / 20));
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < d; k++) z[k] = points.data[i * d + k]! * invH[k]!;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      let s = 0;
      const o = j * d;
      for (let k = 0; k < d; k++) {
        const t = z[k]! - y[o + k]!;
        s += t * t;
      }
      const v = uniform ? -0.5 * s : logW[j]! - 0.5 * s;
      q[j] = v;
      if (v > max && !(leaveOneOut && j === i)) max = v;
    }
    let sum = 0;
    if (max > -Infinity) {
      for (let j = 0; j < n; j++) if (!(leaveOneOut && j === i)) sum += Math.exp(q[j]! - max);
    }
    let lse = max + Math.log(sum);
    if (uniform) lse += logW[0]!;
    if (leaveOneOut) lse -= Math.log1p(-weights[i]!);
    out[i] = lse + logNorm;
    if (input.onProgress && i % step === 0) input.onProgress(i / m);
  }
  return out;
}
