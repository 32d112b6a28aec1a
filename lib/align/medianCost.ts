import { createRng } from '../numeric/rng';
import type { Matrix } from '../numeric/matrix';

/**
 * Weighted squared Euclidean cost between source point i and target point j:
 * C_ij = sum_k omega_k (x_ik - y_jk)^2, omega = costWeights (default all 1). O(d).
 * @example pairCost(Float64Array.of(1, 1), 0, Float64Array.of(2, 3), 0, 2, Float64Array.of(1, 1)) === 5
 */
export function pairCost(x: Float64Array, i: number, y: Float64Array, j: number, d: number, omega: Float64Array): number {
  let s = 0;
  const o = i * d;
  const p = j * d;
  for (let k = 0; k < d; k++) {
    const t = x[o + k]! - y[p + k]!;
    s += omega[k]! * t * t;
  }
  return s;
}

/**
 * Median of the cost C_ij over all source x target pairs (exact when n m <= 1e6), otherwise over 200,000 pairs
 * drawn with createRng(seed). Used for the default epsilon = 0.08 x median(C) of the paper.
 * O(n m log(n m)) exact, O(s log s) sampled. The sampled median's relative error is below 1% (tests).
 * @example medianCost(matrixFromRows([[0]]), matrixFromRows([[1], [2], [3]])) === 4
 */
export function medianCost(source: Matrix, target: Matrix, costWeights?: ArrayLike<number>, seed = 0): number {
  const d = source.cols;
  const omega = costWeights ? Float64Array.from(costWeights) : new Float64Array(d).fill(1);
  const n = source.rows;
  const m = target.rows;
  let values: Float64Array;
  if (n * m <= 1e6) {
    values = new Float64Array(n * m);
    let c = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) values[c++] = pairCost(source.data, i, target.data, j, d, omega);
  } else {
    const rng = createRng(seed + 31337);
    const s = 200_000;
    values = new Float64Array(s);
    for (let t = 0; t < s; t++) values[t] = pairCost(source.data, rng.nextInt(n), target.data, rng.nextInt(m), d, omega);
  }
  values.sort();
  const L = values.length;
  return L % 2 ? values[(L - 1) / 2]! : 0.5 * (values[L / 2 - 1]! + values[L / 2]!);
}
