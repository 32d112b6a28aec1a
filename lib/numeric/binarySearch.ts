/**
 * Binary searches over an ascending array, each over the positions 0..end-1 (end defaults to the length; a smaller
 * end caps the answer at end, e.g. end = length - 1 keeps it a valid index). O(log end).
 */

/**
 * The first position whose value is >= x (the number of values < x), at most `end`.
 * @example lowerBound(Float64Array.of(1, 2, 2, 3), 2) === 1 // lowerBound(..., 9) === 4; lowerBound(..., 9, 3) === 3
 */
export function lowerBound(sorted: ArrayLike<number>, x: number, end: number = sorted.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first position whose value is > x (the number of values <= x), at most `end`: on a cumulative distribution,
 * the index a uniform draw u falls in.
 * @example upperBound(Float64Array.of(1, 2, 2, 3), 2) === 3 // upperBound(Float64Array.of(0.2, 0.7, 1), 0.5) === 1
 */
export function upperBound(sorted: ArrayLike<number>, x: number, end: number = sorted.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
