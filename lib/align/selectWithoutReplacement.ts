import { checkSelectionInput, type SelectionInput, type SelectionResult } from './selectionInput';

/**
 * Weighted sampling without replacement (a set of distinct personas): each persona gets the key
 * log(u_i) / w_i with u_i ~ U(0, 1) and the k largest keys win, which is sequential sampling proportional to the
 * remaining weights (Efraimidis & Spirakis 2006, algorithm A-ES). Zero weights are never chosen. O(n log n).
 * @example with weights [1, 0, 1] and size 2 the result is {0, 2} for every seed
 */
export function selectWithoutReplacement(input: SelectionInput): SelectionResult {
  checkSelectionInput(input, true);
  const n = input.weights.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = input.weights[i]!;
    let u = input.rng.next();
    while (u === 0) u = input.rng.next();
    keys[i] = w > 0 ? Math.log(u) / w : -Infinity;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((x, y) => keys[y]! - keys[x]! || x - y);
  return { indices: Uint32Array.from(order.slice(0, input.size)), unique: true };
}
