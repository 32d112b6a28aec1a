/**
 * Numerically stable log(sum_i exp(v_i)) over a slice of an array.
 *
 * Formula: m + log(sum_i exp(v_i - m)) with m = max_i v_i, so no term overflows and the largest is exp(0) = 1.
 * Returns -Infinity for an empty slice or when every value is -Infinity. O(length).
 * @param values the numbers v (any ArrayLike)
 * @param start first index (default 0); @param end one past the last index (default values.length)
 * @example logSumExp([Math.log(1), Math.log(3)]) ~= Math.log(4)
 */
export function logSumExp(values: ArrayLike<number>, start = 0, end = values.length): number {
  let m = -Infinity;
  for (let i = start; i < end; i++) if (values[i]! > m) m = values[i]!;
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return Infinity;
  let s = 0;
  for (let i = start; i < end; i++) s += Math.exp(values[i]! - m);
  return m + Math.log(s);
}
