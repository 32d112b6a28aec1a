/**
 * Partial ordering in place (Hoare's quickselect with a median-of-three pivot): afterwards a[k] holds the value a
 * full ascending sort would put there, every a[i] with i < k is <= a[k] and every a[i] with i > k is >= a[k].
 * Expected O(n), worst case O(n^2) (not reached by median-of-three on sorted or constant input). NaN must not occur.
 * Reference: Hoare (1961) Algorithm 65: Find. Used where only a few order statistics are needed (PSIS thresholds).
 * @param a the values, reordered in place; @param k index in [0, n)
 * @returns a[k] after partitioning
 * @example selectKth(Float64Array.of(5, 1, 4, 2, 3), 1) === 2
 */
export function selectKth(a: Float64Array, k: number): number {
  if (!(k >= 0 && k < a.length)) throw new RangeError(`selectKth: k = ${k} is outside [0, ${a.length})`);
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three to the middle, as the pivot.
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
