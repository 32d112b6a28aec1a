import { sortPairs } from '../numeric/sortPairs';

/**
 * Wasserstein-1 distance between two weighted samples on the real line.
 *
 * W1(P, Q) = integral |F_P(t) - F_Q(t)| dt, with F the weighted empirical CDFs (weights normalised to 1).
 * Symbols: a (n), b (m), weights optional (default uniform).
 * Complexity O((n + m) log(n + m)) for the sorts, O(n + m) for the merge; inputs are copied, not mutated.
 * Matches scipy.stats.wasserstein_distance and ot.wasserstein_1d(p=1) (tests/fixtures, 1e-10).
 * @example wasserstein1d(Float64Array.of(0, 1), Float64Array.of(1, 2)) === 1
 */
export function wasserstein1d(a: ArrayLike<number>, b: ArrayLike<number>, aWeights?: ArrayLike<number>, bWeights?: ArrayLike<number>): number {
  return cdfWalk(a, b, aWeights, bWeights).w1;
}

/**
 * Walks the merged breakpoints of two weighted empirical CDFs, returning W1 = int |F - G| and KS = sup |F - G|.
 * O((n + m) log(n + m)).
 */
export function cdfWalk(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  aWeights?: ArrayLike<number>,
  bWeights?: ArrayLike<number>,
): { w1: number; ks: number } {
  const n = a.length;
  const m = b.length;
  const va = Float64Array.from(a);
  const vb = Float64Array.from(b);
  let wa: Float64Array | undefined;
  let wb: Float64Array | undefined;
  if (aWeights) {
    wa = Float64Array.from(aWeights);
    normalise(wa);
    sortPairs(va, wa);
  } else sortPairs(va);
  if (bWeights) {
    wb = Float64Array.from(bWeights);
    normalise(wb);
    sortPairs(vb, wb);
  } else sortPairs(vb);
  const ua = 1 / n;
  const ub = 1 / m;
  let i = 0;
  let j = 0;
  let Fa = 0;
  let Fb = 0;
  let prev = Math.min(va[0]!, vb[0]!);
  let w1 = 0;
  let ks = 0;
  while (i < n || j < m) {
    const t = i < n && (j >= m || va[i]! <= vb[j]!) ? va[i]! : vb[j]!;
    w1 += Math.abs(Fa - Fb) * (t - prev);
    while (i < n && va[i]! === t) {
      Fa += wa ? wa[i]! : ua;
      i++;
    }
    while (j < m && vb[j]! === t) {
      Fb += wb ? wb[j]! : ub;
      j++;
    }
    const diff = Math.abs(Fa - Fb);
    if (diff > ks) ks = diff;
    prev = t;
  }
  return { w1, ks };
}

function normalise(w: Float64Array): void {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]!;
  for (let i = 0; i < w.length; i++) w[i] = w[i]! / s;
}

/**
 * W1 between two already-sorted weighted samples (weights summing to 1 on each side): the merge step of
 * wasserstein1d without the sorts. O(n + m). Used by the live-update path, which caches the pool's sort order.
 * @example wasserstein1dSorted(Float64Array.of(0, 1), Float64Array.of(0.5, 0.5), Float64Array.of(1, 2), Float64Array.of(0.5, 0.5)) === 1
 */
export function wasserstein1dSorted(va: Float64Array, wa: Float64Array, vb: Float64Array, wb: Float64Array): number {
  const n = va.length;
  const m = vb.length;
  let i = 0;
  let j = 0;
  let Fa = 0;
  let Fb = 0;
  let prev = Math.min(va[0]!, vb[0]!);
  let w1 = 0;
  while (i < n || j < m) {
    const t = i < n && (j >= m || va[i]! <= vb[j]!) ? va[i]! : vb[j]!;
    w1 += Math.abs(Fa - Fb) * (t - prev);
    while (i < n && va[i]! === t) Fa += wa[i++]!;
    while (j < m && vb[j]! === t) Fb += wb[j++]!;
    prev = t;
  }
  return w1;
}
