/** Linear binning of weighted points onto a grid's nodes and multilinear interpolation of node values back at them. */
import { gridStencils, type GridSpec, type GridStencils } from './densityGrid';

/**
 * Linear binning from compact stencils: adds weights[i] spread over point i's 2^d corners to `out` (a new zeroed
 * array of grid.size when omitted) and returns it. O(n 2^d).
 */
export function binStencils(grid: GridSpec, s: GridStencils, weights: ArrayLike<number>, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(grid.size);
  const d = s.cols;
  if (d === 5) {
    bin5(s, weights, res);
    return res;
  }
  const corners = 1 << d;
  const cw = new Float64Array(corners);
  const off = s.cornerOffset;
  for (let i = 0; i < s.rows; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    cw[0] = w;
    let filled = 1;
    for (let k = 0; k < d; k++) {
      const f = s.frac[i * d + k]!;
      for (let c = 0; c < filled; c++) {
        const v = cw[c]!;
        cw[c + filled] = v * f;
        cw[c] = v - v * f;
      }
      filled *= 2;
    }
    const b = s.base[i]!;
    for (let c = 0; c < corners; c++) {
      const j = b + off[c]!;
      res[j] = res[j]! + cw[c]!;
    }
  }
  return res;
}

/** Adds mass w spread bilinearly over the last two axes (strides s3 and 1) of the cell at node o. */
function biscatter(r: Float64Array, o: number, s3: number, f3: number, f4: number, w: number): void {
  const lo = w - w * f3;
  const hi = w * f3;
  r[o] = r[o]! + (lo - lo * f4);
  r[o + 1] = r[o + 1]! + lo * f4;
  r[o + s3] = r[o + s3]! + (hi - hi * f4);
  r[o + s3 + 1] = r[o + s3 + 1]! + hi * f4;
}

/** binStencils for five axes, unrolled like interpolate5. */
function bin5(s: GridStencils, weights: ArrayLike<number>, r: Float64Array): void {
  const off = s.cornerOffset;
  const s0 = off[1]!;
  const s1 = off[2]!;
  const s2 = off[4]!;
  const s3 = off[8]!;
  const fr = s.frac;
  for (let i = 0; i < s.rows; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    const b = s.base[i]!;
    const f0 = fr[5 * i]!;
    const f1 = fr[5 * i + 1]!;
    const f2 = fr[5 * i + 2]!;
    const f3 = fr[5 * i + 3]!;
    const f4 = fr[5 * i + 4]!;
    for (let c = 0; c < 8; c++) {
      const a0 = c & 1 ? f0 : 1 - f0;
      const a1 = c & 2 ? f1 : 1 - f1;
      const a2 = c & 4 ? f2 : 1 - f2;
      const o = b + (c & 1 ? s0 : 0) + (c & 2 ? s1 : 0) + (c & 4 ? s2 : 0);
      biscatter(r, o, s3, f3, f4, w * a0 * a1 * a2);
    }
  }
}

/**
 * Multilinear interpolation of node values at the stencils' points (into `out` when given). Each point gathers its
 * 2^d corner values and reduces them axis by axis with linear interpolation (2^d - 1 lerps). O(n 2^d).
 */
export function interpolateStencils(s: GridStencils, values: Float64Array, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(s.rows);
  const d = s.cols;
  if (d === 5) {
    interpolate5(s, values, res);
    return res;
  }
  const corners = 1 << d;
  const buf = new Float64Array(corners);
  const off = s.cornerOffset;
  for (let i = 0; i < s.rows; i++) {
    const b = s.base[i]!;
    for (let c = 0; c < corners; c++) buf[c] = values[b + off[c]!]!;
    let half = corners;
    for (let k = 0; k < d; k++) {
      const f = s.frac[i * d + k]!;
      half >>= 1;
      for (let c = 0; c < half; c++) {
        const lo = buf[2 * c]!;
        buf[c] = lo + f * (buf[2 * c + 1]! - lo);
      }
    }
    res[i] = buf[0]!;
  }
  return res;
}

/** Bilinear interpolation over the last two axes (strides s3 and 1) of the cell at node o. */
function bilerp(v: Float64Array, o: number, s3: number, f3: number, f4: number): number {
  const a = v[o]!;
  const b = v[o + 1]!;
  const c = v[o + s3]!;
  const e = v[o + s3 + 1]!;
  const x = a + f4 * (b - a);
  const y = c + f4 * (e - c);
  return x + f3 * (y - x);
}

/** interpolateStencils for five axes (the trait space), unrolled: the generic loop is about twice as slow. */
function interpolate5(s: GridStencils, v: Float64Array, res: Float64Array): void {
  const off = s.cornerOffset;
  const s0 = off[1]!;
  const s1 = off[2]!;
  const s2 = off[4]!;
  const s3 = off[8]!;
  const fr = s.frac;
  for (let i = 0; i < s.rows; i++) {
    const b = s.base[i]!;
    const f0 = fr[5 * i]!;
    const f1 = fr[5 * i + 1]!;
    const f2 = fr[5 * i + 2]!;
    const f3 = fr[5 * i + 3]!;
    const f4 = fr[5 * i + 4]!;
    let x0 = bilerp(v, b, s3, f3, f4);
    let x1 = bilerp(v, b + s2, s3, f3, f4);
    const y00 = x0 + f2 * (x1 - x0);
    x0 = bilerp(v, b + s1, s3, f3, f4);
    x1 = bilerp(v, b + s1 + s2, s3, f3, f4);
    const y01 = x0 + f2 * (x1 - x0);
    const z0 = y00 + f1 * (y01 - y00);
    const b1 = b + s0;
    x0 = bilerp(v, b1, s3, f3, f4);
    x1 = bilerp(v, b1 + s2, s3, f3, f4);
    const y10 = x0 + f2 * (x1 - x0);
    x0 = bilerp(v, b1 + s1, s3, f3, f4);
    x1 = bilerp(v, b1 + s1 + s2, s3, f3, f4);
    const y11 = x0 + f2 * (x1 - x0);
    const z1 = y10 + f1 * (y11 - y10);
    res[i] = z0 + f0 * (z1 - z0);
  }
}

/**
 * Linear binning: spreads each weighted point over its 2^d surrounding nodes. Returns node masses (sum = sum of
 * weights). O(n 2^d).
 * @example binPoints(grid1d_0to1_2nodes, matrixFromRows([[0.25]]), [1]) -> [0.75, 0.25]
 */
export function binPoints(grid: GridSpec, points: { data: Float64Array; rows: number; cols: number }, weights: ArrayLike<number>): Float64Array {
  return binStencils(grid, gridStencils(grid, points), weights);
}

/**
 * Multilinear interpolation of node values at each point. O(n 2^d).
 * @example interpolateGrid(grid1d_0to1_2nodes, Float64Array.of(0, 4), matrixFromRows([[0.25]])) -> [1]
 */
export function interpolateGrid(grid: GridSpec, values: Float64Array, points: { data: Float64Array; rows: number; cols: number }): Float64Array {
  return interpolateStencils(gridStencils(grid, points), values);
}
