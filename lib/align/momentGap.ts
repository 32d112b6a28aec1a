import type { Matrix } from '../numeric/matrix';
import type { WeightedMoments } from '../stats/weightedMoments';

/** Per-trait scale of the moment gap: the target's standard deviations, 1 for a column without spread. */
export function gapScale(target: WeightedMoments): Float64Array {
  return Float64Array.from(target.sd, (s) => (s > 1e-12 ? s : 1));
}

/**
 * Standardised squared gap of a set's means and covariances from target moments, the set given by its sums S (d) and
 * cross-products Q (upper triangle of d x d) over k draws: sum_a ((S_a/k - mu_a) / s_a)^2 + sum_{a<=b}
 * ((Q_ab/k - (S_a/k)(S_b/k) - Sigma_ab) / (s_a s_b))^2 with s = gapScale(target). O(d^2).
 */
export function gapOfSums(S: Float64Array, Q: Float64Array, k: number, target: WeightedMoments, scale: Float64Array): number {
  const d = S.length;
  let gap = 0;
  for (let a = 0; a < d; a++) {
    const ma = S[a]! / k;
    gap += ((ma - target.mean[a]!) / scale[a]!) ** 2;
    for (let b = a; b < d; b++) {
      const cov = Q[a * d + b]! / k - ma * (S[b]! / k);
      gap += ((cov - target.covariance[a * d + b]!) / (scale[a]! * scale[b]!)) ** 2;
    }
  }
  return gap;
}

/**
 * Squared distance of a set's trait means and covariances (each chosen row once per draw) from target moments, each
 * difference divided by the target's standard deviations (one per mean, a product per covariance; a column without
 * spread counts unscaled). O(k d^2).
 * @example momentGap(points, all rows, weightedMoments(points)) === 0 (up to rounding)
 */
export function momentGap(points: Matrix, indices: Uint32Array, target: WeightedMoments): number {
  const d = points.cols;
  const S = new Float64Array(d);
  const Q = new Float64Array(d * d);
  for (const i of indices) {
    for (let a = 0; a < d; a++) {
      const x = points.data[i * d + a]!;
      S[a] = S[a]! + x;
      for (let b = a; b < d; b++) Q[a * d + b] = Q[a * d + b]! + x * points.data[i * d + b]!;
    }
  }
  return gapOfSums(S, Q, indices.length, target, gapScale(target));
}
