import { createRng } from '../numeric/rng';
import { sampleIndices } from '../numeric/sampleIndices';
import { selectKth } from '../numeric/selectKth';
import type { Matrix } from '../numeric/matrix';
import { sqDist } from './squaredDistance';

/**
 * Median heuristic: the median Euclidean distance between distinct points of the pooled sample a U b
 * (on a seeded subsample of at most 1,000 points). O(s^2 d) expected, s <= 1000. Gretton et al. (2012).
 * @example medianHeuristic(matrixFromRows([[0], [1]]), matrixFromRows([[3]]), 0) === 2
 */
export function medianHeuristic(a: Matrix, b: Matrix, seed: number): number {
  const d = a.cols;
  const total = a.rows + b.rows;
  const s = Math.min(total, 1000);
  const rng = createRng(seed + 7919);
  const idx = sampleIndices(total, s, rng);
  const pts = new Float64Array(s * d);
  for (let t = 0; t < s; t++) {
    const i = idx[t]!;
    const src = i < a.rows ? a.data.subarray(i * d, i * d + d) : b.data.subarray((i - a.rows) * d, (i - a.rows) * d + d);
    pts.set(src, t * d);
  }
  // Squared distances: the square root is monotone, so the median's order statistics are read off the squares
  // (quickselect, O(s^2) instead of a sort) and only those two take a square root.
  const dist = new Float64Array((s * (s - 1)) / 2);
  let c = 0;
  for (let i = 0; i < s; i++) for (let j = i + 1; j < s; j++) dist[c++] = sqDist(pts, i * d, pts, j * d, d);
  const m = dist.length;
  if (m === 0) return 1;
  const hi = Math.sqrt(selectKth(dist, m >> 1));
  let below = -Infinity;
  if (m % 2 === 0) for (let i = 0; i < m >> 1; i++) if (dist[i]! > below) below = dist[i]!;
  const med = m % 2 ? hi : 0.5 * (Math.sqrt(below) + hi);
  return med > 0 ? med : 1;
}
