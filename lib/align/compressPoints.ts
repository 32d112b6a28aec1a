import { columnRanges, createMatrix, type Matrix } from '../numeric/matrix';
import { createRng } from '../numeric/rng';

/** Weighted support points standing in for a larger sample. */
export interface CompressedPoints {
  /** Support points (mass-weighted cell centroids), s x d. */
  support: Matrix;
  /** Mass of each support point (sum of its members' weights), length s. */
  mass: Float64Array;
  /** Support index of every original point, length n. */
  assignment: Uint32Array;
  /** Cell edge length used (0 when no compression was needed). */
  cellSize: number;
}

/**
 * Grid quantisation: groups points into cubic cells of edge h and replaces each occupied cell by the
 * weight-weighted centroid of its members carrying their total weight. h is the smallest edge (found by bisection
 * on a seeded subsample, then checked on all points) that leaves at most maxSupport occupied cells.
 * Returns the points themselves when n <= maxSupport.
 * Why centroids: for any smooth kernel k, sum_{i in cell} w_i k(x_i, y) = W k(c, y) + O(W spread^2 |k''|): the
 * first-order error cancels, so for the Gibbs kernel exp(-C / epsilon) the relative error is of order
 * (cell spread)^2 / epsilon. The bench measures the effect on persona weights and metrics against the exact solve.
 * Complexity O(n (log range/h) ) hashing passes; memory O(n + s).
 * @example compressPoints(m, w, m.rows).support === m (no compression)
 */
export function compressPoints(points: Matrix, weights: ArrayLike<number>, maxSupport: number, seed = 0): CompressedPoints {
  const n = points.rows;
  const d = points.cols;
  if (n <= maxSupport) {
    const assignment = new Uint32Array(n);
    for (let i = 0; i < n; i++) assignment[i] = i;
    return { support: points, mass: Float64Array.from(weights), assignment, cellSize: 0 };
  }
  const { min, max } = columnRanges(points);
  let range = 0;
  for (let k = 0; k < d; k++) range = Math.max(range, max[k]! - min[k]!);
  if (range === 0) range = 1;
  const countCells = (h: number, rows: ArrayLike<number> | null, limit: number): number => {
    const seen = new Set<number>();
    const total = rows ? rows.length : n;
    for (let t = 0; t < total; t++) {
      const i = rows ? rows[t]! : t;
      seen.add(cellKey(points.data, i, d, min, h, range));
      if (seen.size > limit) return seen.size;
    }
    return seen.size;
  };
  // Bisection on a subsample for speed.
  const subN = Math.min(n, Math.max(50_000, 4 * maxSupport));
  let rows: Uint32Array | null = null;
  if (subN < n) {
    const rng = createRng(seed + 4242);
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    for (let i = 0; i < subN; i++) {
      const j = i + rng.nextInt(n - i);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    rows = idx.subarray(0, subN);
  }
  const goal = Math.floor(maxSupport * (subN < n ? 0.85 : 1));
  let lo = range / 1e4;
  let hi = range * 1.0001;
  for (let it = 0; it < 40; it++) {
    const mid = Math.sqrt(lo * hi);
    if (countCells(mid, rows, goal) > goal) lo = mid;
    else hi = mid;
    if (hi / lo < 1.01) break;
  }
  let h = hi;
  if (countCells(h, null, maxSupport) > maxSupport) {
    while (countCells(h, null, maxSupport) > maxSupport) h *= 1.05;
  } else {
    // The subsample under-counts cells: refine downwards on all points while the budget still holds.
    for (let step = 0; step < (n <= 200_000 ? 25 : 0); step++) {
      const next = h / 1.04;
      if (countCells(next, null, maxSupport) > maxSupport) break;
      h = next;
    }
  }
  const map = new Map<number, number>();
  const assignment = new Uint32Array(n);
  const sums: number[] = [];
  const masses: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = cellKey(points.data, i, d, min, h, range);
    let s = map.get(key);
    if (s === undefined) {
      s = masses.length;
      map.set(key, s);
      masses.push(0);
      counts.push(0);
      for (let k = 0; k < 2 * d; k++) sums.push(0);
    }
    assignment[i] = s;
    const w = weights[i]!;
    masses[s] = masses[s]! + w;
    counts[s] = counts[s]! + 1;
    for (let k = 0; k < d; k++) {
      const x = points.data[i * d + k]!;
      sums[s * 2 * d + k] = sums[s * 2 * d + k]! + w * x;
      sums[s * 2 * d + d + k] = sums[s * 2 * d + d + k]! + x;
    }
  }
  const S = masses.length;
  const support = createMatrix(S, d);
  const mass = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    mass[s] = masses[s]!;
    for (let k = 0; k < d; k++) {
      support.data[s * d + k] = masses[s]! > 0 ? sums[s * 2 * d + k]! / masses[s]! : sums[s * 2 * d + d + k]! / counts[s]!;
    }
  }
  return { support, mass, assignment, cellSize: h };
}

function cellKey(x: Float64Array, i: number, d: number, min: Float64Array, h: number, range: number): number {
  const per = Math.floor(range / h) + 2;
  let key = 0;
  for (let k = 0; k < d; k++) key = key * per + Math.floor((x[i * d + k]! - min[k]!) / h);
  return key;
}

/**
 * Quantisation to exactly s centres: s rows drawn with createRng(seed) (probability proportional to weight,
 * without replacement), every point assigned to its nearest centre (squared Euclidean), and each centre moved to
 * the weight-weighted centroid of its members (one Lloyd step). Adapts to the density, unlike the cubic grid of
 * compressPoints whose cell count jumps by factors of (k+1)^d / k^d. Used for the reference side of the OT solve.
 * Complexity O(n s d). Returns the points themselves when n <= s.
 * @example quantiseToCentres(m, w, 10).support.rows === 10 for m.rows > 10
 */
export function quantiseToCentres(points: Matrix, weights: ArrayLike<number>, s: number, seed = 0): CompressedPoints {
  const n = points.rows;
  const d = points.cols;
  if (n <= s) return compressPoints(points, weights, s, seed);
  const rng = createRng(seed + 9001);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    let u = rng.next();
    while (u === 0) u = rng.next();
    keys[i] = w > 0 ? Math.log(u) / w : -Infinity;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[b]! - keys[a]! || a - b);
  const centres = new Float64Array(s * d);
  for (let c = 0; c < s; c++) centres.set(points.data.subarray(order[c]! * d, order[c]! * d + d), c * d);
  const assignment = new Uint32Array(n);
  const X = points.data;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    const o = i * d;
    for (let c = 0; c < s; c++) {
      const p = c * d;
      let q = 0;
      for (let k = 0; k < d; k++) {
        const t = X[o + k]! - centres[p + k]!;
        q += t * t;
      }
      if (q < bestD) {
        bestD = q;
        best = c;
      }
    }
    assignment[i] = best;
  }
  const mass = new Float64Array(s);
  const sums = new Float64Array(s * d);
  for (let i = 0; i < n; i++) {
    const c = assignment[i]!;
    const w = weights[i]!;
    mass[c] = mass[c]! + w;
    for (let k = 0; k < d; k++) sums[c * d + k] = sums[c * d + k]! + w * X[i * d + k]!;
  }
  const support = createMatrix(s, d);
  for (let c = 0; c < s; c++) {
    for (let k = 0; k < d; k++) support.data[c * d + k] = mass[c]! > 0 ? sums[c * d + k]! / mass[c]! : centres[c * d + k]!;
  }
  return { support, mass, assignment, cellSize: NaN };
}
