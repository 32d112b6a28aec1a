import { AlignInputError } from '../numeric/alignInputError';
import type { Matrix } from '../numeric/matrix';
import type { Rng } from '../numeric/rng';

/** Shared input of every selection method. */
export interface SelectionInput {
  /** Non-negative weights, length n (need not sum to 1). */
  weights: ArrayLike<number>;
  /** Number of personas to select, k. */
  size: number;
  /** Seeded generator (deterministic selection for a seed). */
  rng: Rng;
  /**
   * The pool's trait scores, n x d (row i belongs to weight i). Needed by set-level methods that look at where the
   * personas lie (herding); the weight-only methods ignore it.
   */
  points?: Matrix;
}

/** Shared result of every selection method. */
export interface SelectionResult {
  /** Indices into the pool, length k, in selection order (may repeat when `unique` is false). */
  indices: Uint32Array;
  /** Whether the method guarantees each persona at most once. */
  unique: boolean;
  /**
   * First-order inclusion probabilities pi_i of the design, length n (only for methods with known pi, e.g. pivotal):
   * Horvitz-Thompson set weights are w_i / pi_i for the chosen i.
   */
  inclusionProbabilities?: Float64Array;
}

/** Validates weights and size and returns the weight total. O(n). */
export function checkSelectionInput(input: Pick<SelectionInput, 'weights' | 'size'>, needUnique: boolean): number {
  const { weights, size } = input;
  let total = 0;
  let positive = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new AlignInputError('BAD_WEIGHTS', `Weight ${i + 1} is ${w}; selection weights must be finite and not negative.`);
    total += w;
    if (w > 0) positive++;
  }
  if (!Number.isInteger(size) || size < 0) throw new AlignInputError('BAD_PARAMETER', `The selection size must be a whole number of personas, got ${size}.`);
  if (size > 0 && !(total > 0)) throw new AlignInputError('BAD_WEIGHTS', 'Every weight is zero, so no persona can be selected.');
  if (needUnique && size > positive) {
    throw new AlignInputError(
      'BAD_PARAMETER',
      `A set of ${size} distinct personas was asked for, but only ${positive} have a positive weight; lower the size or use sampling with replacement.`,
    );
  }
  return total;
}
