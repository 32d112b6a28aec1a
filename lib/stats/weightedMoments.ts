import type { Matrix } from '../numeric/matrix';
import { normaliseWeights } from '../numeric/validate';

/** Weighted first and second moments of an n x d sample. */
export interface WeightedMoments {
  /** Weighted mean, length d. */
  mean: Float64Array;
  /** Weighted covariance, row-major d x d. */
  covariance: Float64Array;
  /** Square roots of the covariance diagonal, length d. */
  sd: Float64Array;
  /** Pearson correlation, row-major d x d; a pair with a zero-variance column has correlation 0 (1 on the diagonal). */
  correlation: Float64Array;
  /** Kish effective sample size of the weights, (sum w)^2 / sum w^2. */
  effectiveSize: number;
}

/**
 * Weighted mean, covariance and correlation of the rows of `x`.
 *
 * With weights w normalised to sum 1: mean mu = sum_i w_i x_i; covariance
 * S = sum_i w_i (x_i - mu)(x_i - mu)^T / c where c = 1 ("population", default, used by the metrics) or
 * c = 1 - sum_i w_i^2 (`unbiased: true`, the reliability-weights correction that numpy.cov(aweights=w) and
 * scipy.stats.gaussian_kde use; with uniform weights it is the usual n - 1 denominator).
 * Complexity O(n d^2). Two-pass (centre first) for accuracy.
 * @param x n x d sample; @param weights optional non-negative weights (default uniform)
 * @example weightedMoments(matrixFromRows([[1], [3]])).mean[0] === 2 // covariance[0] === 1
 */
export function weightedMoments(x: Matrix, weights?: ArrayLike<number>, options: { unbiased?: boolean } = {}): WeightedMoments {
  const { rows: n, cols: d, data } = x;
  const w = normaliseWeights(weights, n, 'sample');
  const mean = new Float64Array(d);
  let sw2 = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    sw2 += wi * wi;
    for (let k = 0; k < d; k++) mean[k] = mean[k]! + wi * data[i * d + k]!;
  }
  const covariance = new Float64Array(d * d);
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    for (let k = 0; k < d; k++) diff[k] = data[i * d + k]! - mean[k]!;
    for (let k = 0; k < d; k++) {
      const a = wi * diff[k]!;
      for (let l = k; l < d; l++) covariance[k * d + l] = covariance[k * d + l]! + a * diff[l]!;
    }
  }
  const c = options.unbiased ? 1 - sw2 : 1;
  for (let k = 0; k < d; k++) {
    for (let l = k; l < d; l++) {
      const v = c > 0 ? covariance[k * d + l]! / c : 0;
      covariance[k * d + l] = v;
      covariance[l * d + k] = v;
    }
  }
  const sd = new Float64Array(d);
  for (let k = 0; k < d; k++) sd[k] = Math.sqrt(Math.max(covariance[k * d + k]!, 0));
  const correlation = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    for (let l = 0; l < d; l++) {
      if (k === l) correlation[k * d + l] = 1;
      else {
        const den = sd[k]! * sd[l]!;
        correlation[k * d + l] = den > 1e-12 ? Math.max(-1, Math.min(1, covariance[k * d + l]! / den)) : 0;
      }
    }
  }
  return { mean, covariance, sd, correlation, effectiveSize: 1 / sw2 };
}
