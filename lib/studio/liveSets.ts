/**
 * The sets the live update measures without weights (the raw pool, the no-persona baselines), and the five metrics of
 * such a set against the target from what is precomputed for it. Pure (core imports only).
 */
import { poolOrder, type SortedTarget } from '../align/liveReweight';
import type { Matrix } from '../numeric/matrix';
import {
  frechetFromMoments,
  maeCorrFromMoments,
  mmdGram,
  mmdWithGram,
  sortedProjections,
  weightedMoments,
  type MmdGram,
  type SortedProjections,
  type WeightedMoments,
} from '../stats';
import { wasserstein1dSorted } from '../stats/wasserstein1d';
import type { FiveMetrics } from './liveTypes';
import { LIVE_PROJECTIONS } from './liveSampling';

/** AMW of a set under uniform weights from its per-trait sorted values (d x n) against the sorted target. O(d (n + m)). */
function uniformAmw(sorted: Float64Array, n: number, target: SortedTarget, targetUniform: Float64Array): number {
  const m = targetUniform.length;
  const w = new Float64Array(n).fill(1 / n);
  let s = 0;
  for (let k = 0; k < 5; k++) s += wasserstein1dSorted(sorted.subarray(k * n, (k + 1) * n), w, target.sortedValues.subarray(k * m, (k + 1) * m), targetUniform);
  return s / 5;
}

/**
 * Sliced Wasserstein-1 between two samples projected on the same seeded directions and sorted (sortedProjections with
 * the same count and seed): the mean over directions of the 1-D W1 of the projections, the first sample under
 * `aWeights` (default uniform), the second uniform. Same value as slicedWasserstein; each side is sorted once for
 * any number of comparisons. O(L (n + m)).
 */
export function slicedW1(a: SortedProjections, aWeights: ArrayLike<number> | undefined, b: SortedProjections): number {
  const L = a.directions.length / a.cols;
  const wa = new Float64Array(a.rows);
  const wb = new Float64Array(b.rows).fill(1 / b.rows);
  let total = 0;
  if (aWeights) for (let i = 0; i < a.rows; i++) total += aWeights[i]!;
  let s = 0;
  for (let l = 0; l < L; l++) {
    if (aWeights) for (let t = 0; t < a.rows; t++) wa[t] = aWeights[a.order[l * a.rows + t]!]! / total;
    else wa.fill(1 / a.rows);
    s += wasserstein1dSorted(a.values.subarray(l * a.rows, (l + 1) * a.rows), wa, b.values.subarray(l * b.rows, (l + 1) * b.rows), wb);
  }
  return s / L;
}

/** A comparison set measured live without weights: its sorted marginals, SW projections, MMD Gram matrix and moments. */
export interface FixedSet {
  n: number;
  sorted: Float64Array;
  projections: SortedProjections;
  gram: MmdGram;
  moments: WeightedMoments;
}

/** A comparison set measured on every one of its rows (a baseline's answer sets), with the session's MMD bandwidth. */
export function fixedSet(a: Matrix, mmdBandwidth: number): FixedSet {
  return {
    n: a.rows,
    sorted: poolOrder(a).sortedValues,
    projections: sortedProjections(a, { projections: LIVE_PROJECTIONS, seed: 0 }),
    gram: mmdGram(a, mmdBandwidth),
    moments: weightedMoments(a),
  };
}

/** The five metrics of an unweighted set against the target: AMW from sorted marginals, SW and MMD on subsamples. */
export function fixedMetrics(
  set: FixedSet,
  sorted: SortedTarget,
  targetUniform: Float64Array,
  targetMoments: WeightedMoments,
  targetProjections: SortedProjections,
  targetMmd: Matrix,
): FiveMetrics {
  return {
    amw: uniformAmw(set.sorted, set.n, sorted, targetUniform),
    fd: frechetFromMoments(set.moments, targetMoments),
    sw: slicedW1(set.projections, undefined, targetProjections),
    mmd: mmdWithGram(set.gram, undefined, targetMmd),
    maecorr: maeCorrFromMoments(set.moments, targetMoments),
  };
}
