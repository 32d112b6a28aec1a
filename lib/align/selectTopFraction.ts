import { checkSelectionInput, type SelectionInput, type SelectionResult } from './selectionInput';

/**
 * Top-weight cut (the paper's appendix: keep the top 70% by weight): the k personas with the largest weights,
 * ties broken by lower index; deterministic (the rng is not used). With size = round(0.7 n) it is the paper's
 * cut. O(n log n).
 * @example selectTopFraction({ weights: [0.1, 0.5, 0.4], size: 2, rng }).indices -> [1, 2]
 */
export function selectTopFraction(input: SelectionInput): SelectionResult {
  checkSelectionInput(input, true);
  const n = input.weights.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((x, y) => input.weights[y]! - input.weights[x]! || x - y);
  return { indices: Uint32Array.from(order.slice(0, input.size)), unique: true };
}
