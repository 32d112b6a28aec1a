/** Health of a weight vector, from survey statistics. */
export interface WeightDiagnostics {
  /** Kish effective sample size (sum w)^2 / sum w^2, in [1, n]; n for uniform weights. */
  ess: number;
  /** Kish design effect due to weighting, n / ess = n sum w^2 / (sum w)^2, >= 1. */
  designEffect: number;
  /** Largest single weight as a share of the total, in [1/n, 1]. */
  maxWeightShare: number;
  /** Number of weights that are positive. */
  positiveCount: number;
}

/**
 * Kish effective sample size, design effect and largest weight share of non-negative weights.
 *
 * ess = (sum_i w_i)^2 / sum_i w_i^2; designEffect = n / ess; maxWeightShare = max_i w_i / sum_i w_i.
 * O(n). Reference: Kish (1965) Survey Sampling, Wiley.
 * @example weightDiagnostics(new Float64Array(10).fill(1)) -> { ess: 10, designEffect: 1, maxWeightShare: 0.1, positiveCount: 10 }
 */
export function weightDiagnostics(weights: ArrayLike<number>): WeightDiagnostics {
  let s = 0;
  let s2 = 0;
  let max = 0;
  let pos = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    s += w;
    s2 += w * w;
    if (w > max) max = w;
    if (w > 0) pos++;
  }
  return diagnosticsFromSums(weights.length, s, s2, max, pos);
}

/**
 * weightDiagnostics from running sums over n weights: their sum, sum of squares, maximum and positive count (for
 * callers that already loop over the weights).
 * @example diagnosticsFromSums(10, 10, 10, 1, 10).ess === 10
 */
export function diagnosticsFromSums(n: number, sum: number, sumSquares: number, max: number, positiveCount: number): WeightDiagnostics {
  if (!(sum > 0)) return { ess: 0, designEffect: Infinity, maxWeightShare: NaN, positiveCount: 0 };
  const ess = (sum * sum) / sumSquares;
  return { ess, designEffect: n / ess, maxWeightShare: max / sum, positiveCount };
}
