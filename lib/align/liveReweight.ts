import type { Matrix } from '../numeric/matrix';
import { normaliseWeights } from '../numeric/validate';
import { resolveBandwidth } from '../stats/bandwidth';
import { gridStencils, type GridStencils } from '../stats/densityGrid';
import { binStencils, interpolateStencils } from '../stats/gridBinning';
import { convolveGrid } from '../stats/gridConvolution';
import { importanceWeights } from '../stats/importanceWeights';
import { applyStandardiser } from '../stats/standardiser';
import { wasserstein1dSorted } from '../stats/wasserstein1d';
import type { PoolDensityCache } from './poolDensityCache';
import { validateTraitSet } from './traitSpace';

/** What the studio shows after each target edit. */
export interface LiveReweightResult {
  /** Importance weights of the pool for the new target, length n, sum 1. */
  weights: Float64Array;
  /** log p_target at each persona from the live grid, length n. */
  logTargetDensity: Float64Array;
  ess: number;
  designEffect: number;
  maxWeightShare: number;
  khat: number;
  khatWarning: boolean;
  /** AMW between the weighted pool and the (weighted) target. */
  amw: number;
  /** Per-trait W1 behind the AMW. */
  amwPerTrait: Float64Array;
}

/**
 * Live update: importance weights, ESS and AMW of the cached pool against a new target, reusing the cached pool
 * density. Only the target density is recomputed, on the cached grid (bin the target, separable convolution,
 * interpolate at the personas), so the cost does not grow with the pool beyond O(n 2^d).
 * w_i proportional to p_target(x_i) / q_pool(x_i); PSIS as configured in the cache.
 * The target's grid stencils and sort order are cached per target matrix object, so slider edits that only change
 * targetWeights skip them (treat the target matrix as immutable).
 * Complexity O(m 2^d + G d T + n 2^d + d (n + m)) per edit. Measured in the bench (100,000 personas).
 * Error: the live grid is coarser than the batch one; the bench prints its log-density error against the exact KDE.
 * @example liveReweight({ cache, target: reference }).ess <= cache.pool.rows
 */
export function liveReweight(input: {
  cache: PoolDensityCache;
  target: Matrix;
  targetWeights?: ArrayLike<number>;
  /**
   * Optional per-trait ascending order of the target rows (d x m, trait-major), as from `traitOrder(target)`. Pass it
   * when a new target keeps the row order of an earlier one on every trait (e.g. after increasing per-trait affine
   * maps, as the studio's sliders apply): the per-trait sorts are then skipped.
   */
  targetOrder?: Uint32Array;
}): LiveReweightResult {
  const { cache, target } = input;
  validateTraitSet(target, 'target', { minRows: 1, allowConstant: true });
  const m = target.rows;
  const n = cache.pool.rows;
  const d = target.cols;
  const tw = normaliseWeights(input.targetWeights, m, 'target');
  let sw2 = 0;
  for (let j = 0; j < m; j++) sw2 += tw[j]! * tw[j]!;
  const bw = resolveBandwidth(cache.bandwidth, d, 1 / sw2, cache.scale.sd, cache.scale.mode);
  const prep = sortTarget(target, input.targetOrder);
  const binned = binStencils(cache.grid, targetStencils(cache, target), tw);
  // Same binning correction as binnedKdeLogDensity: convolve with h_c^2 = h^2 - spacing^2 / 3.
  const conv = bw.map((h, k) => Math.sqrt(Math.max(h * h - cache.grid.spacing[k]! ** 2 / 3, 0.25 * h * h)));
  const smooth = convolveGrid(cache.grid, binned, conv, { truncate: 3 }); // 3 sd: <= 0.3% kernel mass dropped per axis
  // Interpolate at the personas, then take logs in place.
  const logTarget = interpolateStencils(cache.stencils, smooth);
  let anyFinite = false;
  for (let i = 0; i < n; i++) {
    const v = logTarget[i]!;
    if (v > 0) {
      logTarget[i] = Math.log(v) + cache.scale.logDetTransform;
      anyFinite = true;
    } else logTarget[i] = -Infinity;
  }
  if (!anyFinite) logTarget.fill(0);
  const iw = importanceWeights({ logTarget, logProposal: cache.logPoolDensity, truncation: cache.truncation });
  const { amw, perTrait } = cachedOrderAmw(cache, prep, iw.weights, tw);
  return {
    weights: iw.weights,
    logTargetDensity: logTarget,
    ess: iw.ess,
    designEffect: iw.designEffect,
    maxWeightShare: iw.maxWeightShare,
    khat: iw.khat,
    khatWarning: iw.khatWarning,
    amw,
    amwPerTrait: perTrait,
  };
}

/** The pool's per-trait sort order (what AMW needs of the pool); a PoolDensityCache carries it too. */
export type PoolOrder = Pick<PoolDensityCache, 'pool' | 'sortedValues' | 'sortedIndex'>;

/**
 * The per-trait sort order of a pool (values d x n trait-major, and the row index of each), for cachedOrderAmw and
 * liveCalibrate without the pool density of a PoolDensityCache. O(d n log n).
 * @example poolOrder(matrixFromRows([[2], [1]])).sortedValues -> [1, 2]
 */
export function poolOrder(pool: Matrix): PoolOrder {
  const sortedIndex = traitOrder(pool);
  return { pool, sortedIndex, sortedValues: sortedByOrder(pool, sortedIndex) };
}

/**
 * AMW between the weighted pool and the weighted target with both sides' per-trait sort orders cached: only the
 * weights are gathered. O(d (n + m)).
 */
export function cachedOrderAmw(cache: PoolOrder, prep: SortedTarget, weights: ArrayLike<number>, tw: ArrayLike<number>): { amw: number; perTrait: Float64Array } {
  const n = cache.pool.rows;
  const d = cache.pool.cols;
  const m = tw.length;
  const per = new Float64Array(d);
  const pw = new Float64Array(n);
  const twk = new Float64Array(m);
  let s = 0;
  for (let k = 0; k < d; k++) {
    const pIdx = cache.sortedIndex.subarray(k * n, (k + 1) * n);
    for (let t = 0; t < n; t++) pw[t] = weights[pIdx[t]!]!;
    const tIdx = prep.sortedIndex.subarray(k * m, (k + 1) * m);
    for (let t = 0; t < m; t++) twk[t] = tw[tIdx[t]!]!;
    per[k] = wasserstein1dSorted(cache.sortedValues.subarray(k * n, (k + 1) * n), pw, prep.sortedValues.subarray(k * m, (k + 1) * m), twk);
    s += per[k]!;
  }
  return { amw: s / d, perTrait: per };
}

/** A target's per-trait sorted values and the row of each (d x m, trait-major). */
export interface SortedTarget {
  sortedValues: Float64Array;
  sortedIndex: Uint32Array;
}

const sortedCache = new WeakMap<Matrix, SortedTarget>();
const stencilCache = new WeakMap<Matrix, WeakMap<PoolDensityCache, GridStencils>>();

/**
 * The target rows' per-trait sorted values (cached per target matrix object: treat it as immutable). `order`, as from
 * traitOrder, skips the sorts when the row order per trait is known. O(d m) with `order`, else O(d m log m).
 */
export function sortTarget(target: Matrix, order?: Uint32Array): SortedTarget {
  const hit = sortedCache.get(target);
  if (hit) return hit;
  const sortedIndex = order && order.length === target.cols * target.rows ? order : traitOrder(target);
  const out = { sortedIndex, sortedValues: sortedByOrder(target, sortedIndex) };
  sortedCache.set(target, out);
  return out;
}

/** Stencils of the target rows on the cache's grid (cached per target matrix and cache). O(m 2^d). */
function targetStencils(cache: PoolDensityCache, target: Matrix): GridStencils {
  let byCache = stencilCache.get(target);
  const hit = byCache?.get(cache);
  if (hit) return hit;
  const stencils = gridStencils(cache.grid, applyStandardiser(cache.scale, target));
  if (!byCache) {
    byCache = new WeakMap();
    stencilCache.set(target, byCache);
  }
  byCache.set(cache, stencils);
  return stencils;
}

function sortedByOrder(x: Matrix, order: Uint32Array): Float64Array {
  const { rows: m, cols: d, data } = x;
  const out = new Float64Array(d * m);
  for (let k = 0; k < d; k++) for (let t = 0; t < m; t++) out[k * m + t] = data[order[k * m + t]! * d + k]!;
  return out;
}

/**
 * Per-trait ascending order of the rows of `x` (ties by row index): index t of trait k's order is at k * rows + t.
 * O(d m log m).
 * @example traitOrder(matrixFromRows([[2], [1]])) -> Uint32Array [1, 0]
 */
export function traitOrder(x: Matrix): Uint32Array {
  const { rows: m, cols: d, data } = x;
  const out = new Uint32Array(d * m);
  for (let k = 0; k < d; k++) {
    const idx = Array.from({ length: m }, (_, j) => j).sort((a, b) => data[a * d + k]! - data[b * d + k]! || a - b);
    out.set(idx, k * m);
  }
  return out;
}
