/**
 * Sorts `values` ascending in place and applies the same permutation to `weights` (if given).
 *
 * Values only: the engine's numeric TypedArray sort. With weights: quicksort with median-of-three pivots and
 * insertion sort below 24 elements, no allocation (faster than an argsort with a comparator). Used for weighted 1-D distances (Wasserstein, KS) where argsort would be slower.
 * NaN must not be present (validated upstream).
 * @example const v = Float64Array.of(3, 1, 2), w = Float64Array.of(30, 10, 20); sortPairs(v, w) // v [1,2,3], w [10,20,30]
 */
export function sortPairs(values: Float64Array, weights?: Float64Array): void {
  if (!weights) {
    values.sort();
    return;
  }
  quick(values, weights, 0, values.length - 1);
}

function quick(v: Float64Array, w: Float64Array, lo: number, hi: number): void {
  while (hi - lo > 24) {
    const mid = (lo + hi) >>> 1;
    if (v[mid]! < v[lo]!) swap(v, w, mid, lo);
    if (v[hi]! < v[lo]!) swap(v, w, hi, lo);
    if (v[hi]! < v[mid]!) swap(v, w, hi, mid);
    const pivot = v[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i]! < pivot) i++;
      while (v[j]! > pivot) j--;
      if (i <= j) {
        swap(v, w, i, j);
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quick(v, w, lo, j);
      lo = i;
    } else {
      quick(v, w, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const x = v[i]!;
    const y = w[i]!;
    let j = i - 1;
    while (j >= lo && v[j]! > x) {
      v[j + 1] = v[j]!;
      w[j + 1] = w[j]!;
      j--;
    }
    v[j + 1] = x;
    w[j + 1] = y;
  }
}

function swap(v: Float64Array, w: Float64Array, i: number, j: number): void {
  const a = v[i]!;
  v[i] = v[j]!;
  v[j] = a;
  const b = w[i]!;
  w[i] = w[j]!;
  w[j] = b;
}
