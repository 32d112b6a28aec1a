import type { Matrix } from '../numeric/matrix';
import { normaliseWeights } from '../numeric/validate';

/** One region of the target that the pool does not reach. */
export interface CoverageGap {
  /** Per trait: -1 below the reference mean (z < -0.5), +1 above (z > 0.5), 0 near it. */
  pattern: Int8Array;
  /** Share of the target's total mass in this region that is uncovered. */
  share: number;
  /** Weighted mean of the uncovered target points of the region, length d. */
  center: Float64Array;
  /** Min and max of those points per trait, length 2d (min_k at 2k, max_k at 2k + 1). */
  ranges: Float64Array;
}

export interface CoverageResult {
  /** Radius used, in standardised units (reference SDs). */
  radius: number;
  /** Share of the target mass with no persona nearby (grid approximation, see coverageIndex). */
  uncoveredShare: number;
  /** Uncovered target mass grouped by low / mid / high pattern per trait, largest first. */
  gaps: CoverageGap[];
}

/** The pool's occupied grid cells, dilated by one cell in every direction; reusable while the pool is unchanged. */
export interface CoverageIndex {
  mean: Float64Array;
  sd: Float64Array;
  side: number;
  radius: number;
  d: number;
  reachable: Set<number>;
}

const OFFSET = 512; // cell coordinates are stored as c + OFFSET in base 1024 (|c| < 512 is enforced by clamping)
const BASE = 1024;

function cellKey(data: Float64Array, i: number, d: number, mean: Float64Array, sd: Float64Array, side: number): number {
  let key = 0;
  let mult = 1;
  for (let k = 0; k < d; k++) {
    let c = Math.floor((data[i * d + k]! - mean[k]!) / sd[k]! / side);
    if (c < -OFFSET + 1) c = -OFFSET + 1;
    if (c > OFFSET - 2) c = OFFSET - 2;
    key += (c + OFFSET) * mult;
    mult *= BASE;
  }
  return key;
}

/**
 * Indexes where the pool reaches, for coverage(). Both sets are standardised with a fixed scale (z = (x - mean) / sd,
 * normally the reference's own mean and SD, so the index survives target edits) and binned on a grid of cell side
 * radius / sqrt(d). The index holds every pool cell and its 3^d - 1 neighbours: a target point is covered when its
 * cell is in the index. A covered point has a persona within 2 * radius (cells touch); a point with a persona within
 * radius / sqrt(d) is covered: the share brackets the exact nearest-neighbour answer.
 * Complexity O(n 3^d) time and memory (d <= 5, base-1024 integer keys: exact below 2^53).
 */
export function coverageIndex(input: { pool: Matrix; mean: ArrayLike<number>; sd: ArrayLike<number>; radius?: number }): CoverageIndex {
  const { pool } = input;
  const d = pool.cols;
  if (d > 5) throw new Error('coverageIndex supports at most 5 dimensions');
  const radius = input.radius ?? 0.5;
  const mean = Float64Array.from(input.mean);
  const sd = Float64Array.from(input.sd, (s) => (s > 0 ? s : 1));
  const side = radius / Math.sqrt(d);
  const deltas: number[] = [];
  for (let c = 0; c < 3 ** d; c++) {
    let r = c;
    let delta = 0;
    let mult = 1;
    for (let k = 0; k < d; k++) {
      delta += ((r % 3) - 1) * mult;
      r = Math.floor(r / 3);
      mult *= BASE;
    }
    deltas.push(delta);
  }
  const reachable = new Set<number>();
  const own = new Set<number>();
  for (let i = 0; i < pool.rows; i++) own.add(cellKey(pool.data, i, d, mean, sd, side));
  for (const key of own) for (const delta of deltas) reachable.add(key + delta);
  return { mean, sd, side, radius, d, reachable };
}

/**
 * Where the target has mass that no persona is near (see coverageIndex for the geometry). Uncovered target points
 * are grouped by their pattern of low / middle / high per trait. O(m d) per call.
 * Importance weighting and resampling only move mass between existing personas, so these gaps cannot be filled by
 * alignment (the paper's stated limit); they are where new personas are needed.
 * @example coverage({ index: coverageIndex({ pool: x, mean, sd }), target: x }).uncoveredShare === 0
 */
export function coverage(input: { index: CoverageIndex; target: Matrix; targetWeights?: ArrayLike<number>; maxGaps?: number }): CoverageResult {
  const { index, target } = input;
  const d = index.d;
  const m = target.rows;
  const tw = normaliseWeights(input.targetWeights, m, 'target');
  let uncovered = 0;
  const groups = new Map<number, { pattern: Int8Array; mass: number; sum: Float64Array; ranges: Float64Array }>();
  for (let j = 0; j < m; j++) {
    if (index.reachable.has(cellKey(target.data, j, d, index.mean, index.sd, index.side))) continue;
    uncovered += tw[j]!;
    const pattern = new Int8Array(d);
    let key = 0;
    for (let k = 0; k < d; k++) {
      const z = (target.data[j * d + k]! - index.mean[k]!) / index.sd[k]!;
      pattern[k] = z < -0.5 ? -1 : z > 0.5 ? 1 : 0;
      key = key * 3 + pattern[k]! + 1;
    }
    let g = groups.get(key);
    if (!g) {
      const ranges = new Float64Array(2 * d);
      for (let k = 0; k < d; k++) {
        ranges[2 * k] = Infinity;
        ranges[2 * k + 1] = -Infinity;
      }
      g = { pattern, mass: 0, sum: new Float64Array(d), ranges };
      groups.set(key, g);
    }
    g.mass += tw[j]!;
    for (let k = 0; k < d; k++) {
      const v = target.data[j * d + k]!;
      g.sum[k] = g.sum[k]! + tw[j]! * v;
      if (v < g.ranges[2 * k]!) g.ranges[2 * k] = v;
      if (v > g.ranges[2 * k + 1]!) g.ranges[2 * k + 1] = v;
    }
  }
  const gaps = [...groups.values()]
    .sort((a, b) => b.mass - a.mass)
    .slice(0, input.maxGaps ?? 3)
    .map((g) => ({ pattern: g.pattern, share: g.mass, center: g.sum.map((s) => s / g.mass), ranges: g.ranges }));
  return { radius: index.radius, uncoveredShare: uncovered, gaps };
}
