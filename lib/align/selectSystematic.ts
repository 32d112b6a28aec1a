import { checkSelectionInput, type SelectionInput, type SelectionResult } from './selectionInput';

/**
 * Systematic resampling: one uniform offset u ~ U(0, 1/k), then the points u + t/k, t = 0..k-1, read off the
 * weight CDF (with replacement). Each persona is chosen floor(k p_i) or ceil(k p_i) times. O(n + k).
 * Reference: Kitagawa (1996); Douc, Cappe & Moulines (2005) on resampling schemes.
 * @example weights [1, 1, 2], size 4 -> counts [1, 1, 2] for every seed
 */
export function selectSystematic(input: SelectionInput): SelectionResult {
  const total = checkSelectionInput(input, false);
  const k = input.size;
  const out = new Uint32Array(k);
  if (k === 0) return { indices: out, unique: false };
  const n = input.weights.length;
  const u0 = input.rng.next() / k;
  let cum = input.weights[0]! / total;
  let i = 0;
  for (let t = 0; t < k; t++) {
    const u = u0 + t / k;
    while (u >= cum && i < n - 1) {
      i++;
      cum += input.weights[i]! / total;
    }
    out[t] = i;
  }
  return { indices: out, unique: false };
}
