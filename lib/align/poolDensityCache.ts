import type { Matrix } from '../numeric/matrix';
import type { BandwidthSpec } from '../stats/bandwidth';
import { chooseGrid, gridStencils, type GridSpec, type GridStencils } from '../stats/densityGrid';
import { gaussianKde } from '../stats/gaussianKde';
import type { Truncation } from '../stats/importanceWeights';
import { applyStandardiser, standardiser, type StandardiseMode, type Standardiser } from '../stats/standardiser';
import { TRAIT_RANGE, validateTraitSet } from './traitSpace';

/** Everything about the pool that does not change when only the target changes. Plain data (postMessage-safe). */
export interface PoolDensityCache {
  /** The pool, n x d. */
  pool: Matrix;
  /** The pool on the KDE scale. */
  scaledPool: Matrix;
  /** Leave-one-out log q_pool at each persona (computed once). */
  logPoolDensity: Float64Array;
  /** Bandwidth spec used for the target density. */
  bandwidth: BandwidthSpec;
  /** Pool bandwidth per axis on the KDE scale. */
  poolBandwidth: Float64Array;
  scale: Standardiser;
  /** Grid for the target density (covers the pool and the whole response range). */
  grid: GridSpec;
  /** Per trait: pool values sorted ascending (d x n, trait-major) and the persona index of each. */
  sortedValues: Float64Array;
  sortedIndex: Uint32Array;
  /** Interpolation stencil of every persona on the grid (base node and fractional offsets). */
  stencils: GridStencils;
  truncation: Truncation;
}

export interface PoolDensityCacheOptions {
  /**
   * Default 0.5 trait points: the live grid (spacing ~0.33 on the 1-5 scale) cannot resolve the batch default 0.2
   * (its log-density error would exceed 1), and at 0.2 the raw importance weights collapse to ESS ~ 1 anyway; the
   * live preview therefore smooths more than the batch alignment, which stays the reference result.
   */
  bandwidth?: BandwidthSpec;
  /** Default 'none'. */
  standardise?: StandardiseMode;
  /** Default 'psis'. */
  truncation?: Truncation;
  /**
   * Grid node budget of the live target density (default 2^17 = 131,072: 10 nodes per trait, spacing 0.44 on 1-5).
   * Measured on a 100,000-persona pool at bandwidth 0.5 (npm run bench:engine, section 6): |log density error| median
   * 0.015 (95% 0.06) and about 21 ms per edit (alone; 30 ms inside the full bench), against 0.009 (0.027) and about
   * 33 ms at 2^18 (12 nodes per trait).
   */
  liveMaxNodes?: number;
  /** Value range the target may take (default [1, 5]); the grid covers it. */
  range?: readonly [number, number];
  /** Pool KDE path (default 'auto'). */
  kdeMethod?: 'exact' | 'binned' | 'auto';
  /** Reuse a pool log density computed elsewhere (e.g. AlignResult.logPoolDensity). */
  logPoolDensity?: Float64Array;
}

/**
 * Precomputes the pool side of the importance weights for live updates (the studio's Web Worker): the
 * leave-one-out pool log density, the grid on which target densities will be evaluated, and the per-trait sort
 * order used by AMW. Call once per pool; then liveReweight per target change.
 * Complexity: one pool KDE (see gaussianKde) + O(d n log n) sorts. Memory O(n d).
 * @example const cache = createPoolDensityCache({ pool }); liveReweight({ cache, target }).weights.length === pool.rows
 */
export function createPoolDensityCache(input: { pool: Matrix; options?: PoolDensityCacheOptions }): PoolDensityCache {
  const { pool } = input;
  const o = input.options ?? {};
  const range = o.range ?? TRAIT_RANGE;
  validateTraitSet(pool, 'pool', { range });
  const scale = standardiser(pool, o.standardise ?? 'none');
  const bandwidth = o.bandwidth ?? 0.5;
  const q = o.logPoolDensity
    ? null
    : gaussianKde({ data: pool, leaveOneOut: true, bandwidth, scale, method: o.kdeMethod ?? 'auto' });
  const d = pool.cols;
  const scaledPool = applyStandardiser(scale, pool);
  // Grid over the scaled pool and the scaled corners of the response box.
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (let i = 0; i < pool.rows; i++) {
    for (let k = 0; k < d; k++) {
      const v = scaledPool.data[i * d + k]!;
      if (v < lo[k]!) lo[k] = v;
      if (v > hi[k]!) hi[k] = v;
    }
  }
  if (scale.mode !== 'whiten') {
    for (let k = 0; k < d; k++) {
      const t = scale.transform[k * d + k]!;
      const a = (range[0] - scale.mean[k]!) * t;
      const b = (range[1] - scale.mean[k]!) * t;
      lo[k] = Math.min(lo[k]!, a, b);
      hi[k] = Math.max(hi[k]!, a, b);
    }
  }
  const poolBandwidth = q ? q.bandwidth : gaussianKde({ data: pool, points: { data: pool.data.subarray(0, d), rows: 1, cols: d }, bandwidth, scale, method: 'exact' }).bandwidth;
  const grid = chooseGrid(lo, hi, poolBandwidth, o.liveMaxNodes ?? 1 << 17);
  const n = pool.rows;
  const sortedValues = new Float64Array(d * n);
  const sortedIndex = new Uint32Array(d * n);
  for (let k = 0; k < d; k++) {
    const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => pool.data[x * d + k]! - pool.data[y * d + k]! || x - y);
    for (let t = 0; t < n; t++) {
      sortedIndex[k * n + t] = idx[t]!;
      sortedValues[k * n + t] = pool.data[idx[t]! * d + k]!;
    }
  }
  return {
    pool,
    scaledPool,
    stencils: gridStencils(grid, scaledPool),
    logPoolDensity: o.logPoolDensity ?? q!.logDensity,
    bandwidth,
    poolBandwidth,
    scale,
    grid,
    sortedValues,
    sortedIndex,
    truncation: o.truncation ?? 'psis',
  };
}
