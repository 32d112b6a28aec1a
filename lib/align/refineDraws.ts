import { lowerBound, upperBound } from '../numeric/binarySearch';
import { columnRanges, type Matrix } from '../numeric/matrix';
import { gapOfSums, gapScale } from './momentGap';
import type { Rng } from '../numeric/rng';
import type { WeightedMoments } from '../stats/weightedMoments';

/** Grid points per trait for the marginal part of the objective when a trait has more distinct values. */
export const REFINE_GRID = 256;

/** Passes over the k draws, and proposals per draw and pass (see refineDraws). */
export const REFINE_PASSES = 4;
export const REFINE_PROPOSALS = 32;

/** Passes over the draws and proposals per draw (defaults REFINE_PASSES, REFINE_PROPOSALS). */
export interface RefineOptions {
  passes?: number;
  proposals?: number;
}

/** The inputs refineDraws shares with the systematic draw along the curve. */
export interface CurveDraws {
  points: Matrix;
  /** Normalised weights (sum 1), length n. */
  weights: Float64Array;
  /** Rows in curve order, length n. */
  order: Uint32Array;
  /** Cumulative weight share along the curve, length n (last entry 1 up to rounding). */
  cum: Float64Array;
  /** The weighted pool's moments (the balancing target). */
  target: WeightedMoments;
  /** Curve position of each draw t = 0..k-1 (draw t lies in the stratum [t/k, (t+1)/k) of the weight share). */
  positions: Uint32Array;
}

/**
 * Refines k systematic draws toward the weighted pool, draw by draw inside its own stratum. Objective (lower is
 * better): J = sum_a W1_a / sd_a + sqrt(G), where W1_a is the Wasserstein-1 distance between the set's and the
 * weighted pool's marginals of trait a (on the trait's distinct values when it has at most REFINE_GRID of them,
 * exact there; else on REFINE_GRID equal steps across its range) and G the standardised moment gap (momentGap.ts)
 * (means and covariances). Each pass visits the draws in order; for each, REFINE_PROPOSALS offsets are drawn
 * uniformly in its stratum [t/k, (t+1)/k), each gives a row along the curve, and the proposal that lowers J most
 * replaces the draw. Moves that would take a row's count outside floor(k p_i)..ceil(k p_i) are refused, so the
 * systematic design's count bounds still hold, and every stratum still gives exactly one draw (stratification in trait
 * space kept). Stops after REFINE_PASSES passes or a pass without a move. The marginals are what AMW and SW measure,
 * the moments what FD and MAEcorr measure; balancing on moments alone distorts the marginals.
 * O(n d log G + passes k proposals (log n + d G + d^2)) time, O(n d) memory for the rows' grid cells.
 * Reference: balanced sampling (the cube method, Deville & Tille 2004, Biometrika 91(4): a sample that matches the
 * population's totals of auxiliary variables while keeping the design's inclusion structure), here as a local search
 * inside the systematic design's strata with the marginal distributions as well as the moments as the balancing
 * variables; W1 on a grid as scipy.stats.wasserstein_distance computes it between the two discrete distributions.
 */
export function refineDraws(draws: CurveDraws, rng: Rng, options: RefineOptions = {}): RefinedDraws {
  const { points, weights, order, cum, target } = draws;
  const positions = Uint32Array.from(draws.positions);
  const n = points.rows;
  const d = points.cols;
  const k = positions.length;
  if (k === 0 || n === 0) return { rows: new Uint32Array(0), objectiveBefore: 0, objectiveAfter: 0, moves: 0 };
  const passes = options.passes ?? REFINE_PASSES;
  const proposals = options.proposals ?? REFINE_PROPOSALS;

  // Grids, each row's cell per trait, the pool's marginal CDF on each grid (weight at or below each grid value).
  const grids: Float64Array[] = [];
  const cell = new Uint16Array(n * d);
  const poolCdf: Float64Array[] = [];
  const range = columnRanges(points);
  for (let a = 0; a < d; a++) {
    const grid = traitGrid(points, a, range.min[a]!, range.max[a]!);
    grids.push(grid);
    const G = grid.length;
    const mass = new Float64Array(G);
    for (let i = 0; i < n; i++) {
      const c = nearest(grid, points.data[i * d + a]!);
      cell[i * d + a] = c;
      mass[c] = mass[c]! + weights[i]!;
    }
    let acc = 0;
    for (let c = 0; c < G; c++) mass[c] = acc += mass[c]!;
    poolCdf.push(mass);
  }
  const sd = gapScale(target);

  // The set's marginal CDFs on the grids, its sums and cross-products.
  const setCdf = grids.map((g) => new Float64Array(g.length));
  const S = new Float64Array(d);
  const Q = new Float64Array(d * d);
  const count = new Map<number, number>();
  const rowAt = (p: number) => order[p]!;
  for (let t = 0; t < k; t++) {
    const i = rowAt(positions[t]!);
    count.set(i, (count.get(i) ?? 0) + 1);
    for (let a = 0; a < d; a++) {
      setCdf[a]![cell[i * d + a]!] = setCdf[a]![cell[i * d + a]!]! + 1 / k;
      const x = points.data[i * d + a]!;
      S[a] = S[a]! + x;
      for (let b = a; b < d; b++) Q[a * d + b] = Q[a * d + b]! + x * points.data[i * d + b]!;
    }
  }
  for (const c of setCdf) for (let l = 1; l < c.length; l++) c[l] = c[l]! + c[l - 1]!;

  const gapOf = (S1: Float64Array, Q1: Float64Array) => gapOfSums(S1, Q1, k, target, sd);
  let gap = gapOf(S, Q);
  let marginal = 0;
  for (let a = 0; a < d; a++) {
    const grid = grids[a]!;
    for (let l = 0; l + 1 < grid.length; l++) marginal += (Math.abs(setCdf[a]![l]! - poolCdf[a]![l]!) * (grid[l + 1]! - grid[l]!)) / sd[a]!;
  }
  const objectiveBefore = marginal + Math.sqrt(gap);
  let totalMoves = 0;
  const S2 = new Float64Array(d);
  const Q2 = new Float64Array(d * d);
  /** Change of the marginal part when one draw moves from row i to row j (the set's CDF drops by 1/k between the cells). */
  const marginalDelta = (i: number, j: number) => {
    let delta = 0;
    for (let a = 0; a < d; a++) {
      const from = cell[i * d + a]!;
      const to = cell[j * d + a]!;
      if (from === to) continue;
      const grid = grids[a]!;
      const F = setCdf[a]!;
      const P = poolCdf[a]!;
      // Moving mass from `from` to `to`: F on [from, to) falls by 1/k when to > from, rises on [to, from) otherwise.
      const lo = Math.min(from, to);
      const hi = Math.max(from, to);
      const sign = to > from ? -1 : 1;
      let s = 0;
      for (let l = lo; l < hi; l++) {
        const step = grid[l + 1]! - grid[l]!;
        s += (Math.abs(F[l]! + sign / k - P[l]!) - Math.abs(F[l]! - P[l]!)) * step;
      }
      delta += s / sd[a]!;
    }
    return delta;
  };
  const movedGap = (i: number, j: number) => {
    for (let a = 0; a < d; a++) {
      const xi = points.data[i * d + a]!;
      const xj = points.data[j * d + a]!;
      S2[a] = S[a]! - xi + xj;
      for (let b = a; b < d; b++) Q2[a * d + b] = Q[a * d + b]! - xi * points.data[i * d + b]! + xj * points.data[j * d + b]!;
    }
    return gapOf(S2, Q2);
  };
  const bounds = (i: number) => {
    const share = weights[i]! * k;
    return { lo: Math.floor(share + 1e-9), hi: Math.ceil(share - 1e-9) };
  };

  for (let pass = 0; pass < passes; pass++) {
    let moves = 0;
    for (let t = 0; t < k; t++) {
      const p = positions[t]!;
      const i = rowAt(p);
      if ((count.get(i) ?? 0) - 1 < bounds(i).lo) continue;
      const base = Math.sqrt(gap);
      let bestDelta = -1e-12;
      let bestPos = -1;
      let bestGap = gap;
      let bestMarginal = 0;
      for (let r = 0; r < proposals; r++) {
        const q = upperBound(cum, (t + rng.next()) / k, n - 1);
        const j = rowAt(q);
        if (j === i || (count.get(j) ?? 0) + 1 > bounds(j).hi) continue;
        const g = movedGap(i, j);
        const m = marginalDelta(i, j);
        const delta = m + Math.sqrt(g) - base;
        if (delta < bestDelta) {
          bestMarginal = m;
          bestDelta = delta;
          bestPos = q;
          bestGap = g;
        }
      }
      if (bestPos < 0) continue;
      const j = rowAt(bestPos);
      // Apply: the CDFs, sums, cross-products and counts.
      for (let a = 0; a < d; a++) {
        const from = cell[i * d + a]!;
        const to = cell[j * d + a]!;
        const F = setCdf[a]!;
        if (to > from) for (let l = from; l < to; l++) F[l] = F[l]! - 1 / k;
        else for (let l = to; l < from; l++) F[l] = F[l]! + 1 / k;
        const xi = points.data[i * d + a]!;
        const xj = points.data[j * d + a]!;
        S[a] = S[a]! - xi + xj;
        for (let b = a; b < d; b++) Q[a * d + b] = Q[a * d + b]! - xi * points.data[i * d + b]! + xj * points.data[j * d + b]!;
      }
      gap = bestGap;
      marginal += bestMarginal;
      count.set(i, count.get(i)! - 1);
      count.set(j, (count.get(j) ?? 0) + 1);
      positions[t] = bestPos;
      moves++;
    }
    totalMoves += moves;
    if (moves === 0) break;
  }
  return { rows: Uint32Array.from(positions, (p) => order[p]!), objectiveBefore, objectiveAfter: marginal + Math.sqrt(gap), moves: totalMoves };
}

/** refineDraws' result: the chosen rows (draw t from stratum t) and the objective J before and after. */
export interface RefinedDraws {
  rows: Uint32Array;
  objectiveBefore: number;
  objectiveAfter: number;
  /** Draws replaced, over all passes. */
  moves: number;
}

/** Sorted grid of one trait: its distinct values when at most REFINE_GRID, else REFINE_GRID equal steps over its range. */
function traitGrid(points: Matrix, a: number, min: number, max: number): Float64Array {
  const { rows: n, cols: d, data } = points;
  const seen = new Set<number>();
  for (let i = 0; i < n && seen.size <= REFINE_GRID; i++) seen.add(data[i * d + a]!);
  if (seen.size <= REFINE_GRID) return Float64Array.from(seen).sort();
  return Float64Array.from({ length: REFINE_GRID }, (_, l) => min + ((max - min) * l) / (REFINE_GRID - 1));
}

/** Index of the grid value nearest to x (grid sorted ascending). */
function nearest(grid: Float64Array, x: number): number {
  const lo = lowerBound(grid, x, grid.length - 1);
  if (lo > 0 && x - grid[lo - 1]! < grid[lo]! - x) return lo - 1;
  return lo;
}
