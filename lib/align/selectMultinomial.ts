import { upperBound } from '../numeric/binarySearch';
import { checkSelectionInput, type SelectionInput, type SelectionResult } from './selectionInput';

/**
 * Multinomial resampling: k independent draws with P(i) = w_i / sum w (with replacement), by inverse CDF and
 * binary search. O(n + k log n). Unbiased counts, highest variance of the resamplers.
 * @example selectMultinomial({ weights: [0, 1], size: 3, rng }).indices -> [1, 1, 1]
 */
export function selectMultinomial(input: SelectionInput): SelectionResult {
  const total = checkSelectionInput(input, false);
  const n = input.weights.length;
  const cdf = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += input.weights[i]! / total;
    cdf[i] = s;
  }
  const out = new Uint32Array(input.size);
  for (let t = 0; t < input.size; t++) {
    const u = input.rng.next() * s;
    let lo = upperBound(cdf, u, n - 1);
    while (input.weights[lo]! === 0 && lo < n - 1) lo++;
    out[t] = lo;
  }
  return { indices: out, unique: false };
}
