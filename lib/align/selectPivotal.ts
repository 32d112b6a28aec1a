import { AlignInputError } from '../numeric/alignInputError';
import { checkSelectionInput, type SelectionInput, type SelectionResult } from './selectionInput';

/**
 * Inclusion probabilities proportional to size with a fixed sample size k, capped at 1:
 * pi_i = min(1, c w_i) with the constant c > 0 chosen so that sum_i pi_i = k.
 *
 * Symbols: w (length n, non-negative) the weights; k the number of distinct personas; h the number of capped units.
 * With the positive weights sorted w_(1) >= w_(2) >= ..., the first h units get pi = 1 and the rest
 * pi_(j) = (k - h) w_(j) / T_h with T_h = sum_{j > h} w_(j), where h is the smallest count for which
 * (k - h) w_(h+1) <= T_h (the same fixed point as capping the too-large units at 1 and rescaling the others until
 * none exceeds 1; Tille 2006, Sampling Algorithms). Zero weights get pi = 0; k = number of positive
 * weights gives pi = 1 for all of them.
 * Parameters: `weights` as in SelectionInput; `size` k, a whole number from 0 to the count of positive weights.
 * Complexity O(n log n) (one sort of the positive weights). Checked against a root of sum_i min(1, c w_i) = k found
 * by scipy.optimize.brentq (tests/fixtures/generate_selection.py).
 * @example inclusionProbabilities([1, 1, 8], 2) -> [0.5, 0.5, 1]
 */
export function inclusionProbabilities(weights: ArrayLike<number>, size: number): Float64Array {
  checkSelectionInput({ weights, size }, true);
  const n = weights.length;
  const pi = new Float64Array(n);
  if (size === 0) return pi;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (weights[i]! > 0) order.push(i);
  order.sort((x, y) => weights[y]! - weights[x]! || x - y);
  const m = order.length;
  // tail[h] = sum of the positive weights from rank h on (accumulated from the small end for accuracy).
  const tail = new Float64Array(m + 1);
  for (let r = m - 1; r >= 0; r--) tail[r] = tail[r + 1]! + weights[order[r]!]!;
  let h = 0;
  while (h < size && (size - h) * weights[order[h]!]! > tail[h]!) h++;
  for (let r = 0; r < h; r++) pi[order[r]!] = 1;
  if (h < size) {
    const c = (size - h) / tail[h]!;
    for (let r = h; r < m; r++) pi[order[r]!] = Math.min(1, c * weights[order[r]!]!);
  }
  return pi;
}

/**
 * Pivotal sampling: a set of exactly k distinct personas in which persona i is included with probability
 * pi_i = min(1, c w_i), sum pi_i = k (see inclusionProbabilities).
 *
 * Ordered (sequential) pivotal method (Deville & Tille 1998, Biometrika 85(1); Chauvet 2012, Bernoulli 18(4)):
 * walk the pool in index order carrying one undecided unit u with residual probability a; at the next unit j with pi_j,
 * - if a + pi_j < 1: one of the two is dropped and the other carries a + pi_j (j survives with probability
 *   pi_j / (a + pi_j));
 * - else one of them is selected and the other carries a + pi_j - 1 (u is selected with probability
 *   (1 - pi_j) / (2 - a - pi_j)).
 * Each duel keeps both units' expected inclusion unchanged, so P(i in S) = pi_i exactly, and every duel settles
 * at least one unit, so the set has exactly k members (units with pi = 1 are always chosen, pi = 0 never).
 * The walk order makes neighbours in the list rarely chosen together: sort the pool by a trait beforehand for an
 * implicitly stratified set. Horvitz-Thompson set weights are w_i / pi_i for the chosen i (proportional to 1 for
 * uncapped units, to w_i for capped ones), with pi returned as `inclusionProbabilities` (length n).
 * Parameters: SelectionInput (weights, size k from 0 to the count of positive weights, rng); `points` is ignored.
 * Complexity O(n log n) for pi, O(n) for the walk, one uniform draw per duel.
 * @example selectPivotal({ weights: [1, 1, 8], size: 2, rng }) -> indices contain 2 for every seed; pi = [0.5, 0.5, 1]
 */
export function selectPivotal(input: SelectionInput): SelectionResult {
  const k = input.size;
  const pi = inclusionProbabilities(input.weights, k);
  const n = pi.length;
  const chosen = new Uint8Array(n);
  let count = 0;
  let u = -1;
  let a = 0;
  for (let j = 0; j < n; j++) {
    const p = pi[j]!;
    if (p <= 0) continue;
    if (p >= 1) {
      chosen[j] = 1;
      count++;
      continue;
    }
    if (u < 0) {
      u = j;
      a = p;
      continue;
    }
    const s = a + p;
    const r = input.rng.next();
    if (s < 1) {
      if (r * s < p) u = j;
      a = s;
    } else {
      if (r * (2 - s) < 1 - p) {
        chosen[u] = 1;
        u = j;
      } else {
        chosen[j] = 1;
      }
      count++;
      a = s - 1;
    }
  }
  // In exact arithmetic the last residual is 0 (sum pi = k); rounding can leave it at 1 - eps, still undecided.
  if (count < k && u >= 0) {
    chosen[u] = 1;
    count++;
  }
  if (count !== k) {
    throw new AlignInputError(
      'BAD_WEIGHTS',
      `Pivotal sampling found ${count} personas instead of ${k}; the weights span too many orders of magnitude to split exactly. Rescale or trim the weights.`,
    );
  }
  const indices = new Uint32Array(k);
  let t = 0;
  for (let i = 0; i < n; i++) if (chosen[i]) indices[t++] = i;
  return { indices, unique: true, inclusionProbabilities: pi };
}
