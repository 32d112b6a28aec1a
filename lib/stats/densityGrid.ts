/**
 * A regular d-dimensional grid for binned kernel sums (Wand 1994; Silverman 1982): linear binning of weighted
 * points onto the nodes, a separable Gaussian convolution along each axis, and multilinear interpolation back
 * at arbitrary points. Used by the binned KDE, the live-update path and the binned MMD.
 *
 * Layout: node (i_0, ..., i_{d-1}) lives at index sum_k i_k * stride_k with the last axis fastest.
 * Cost: binning and interpolation O(n 2^d); convolution O(G sum_k (2 T_k + 1)) for G nodes and T_k taps.
 * Numerical notes: linear binning and interpolation each add about spacing^2 / 6 of variance per axis on
 * average; the error against the exact kernel sum is measured in tests/bench (see bench output).
 */
export interface GridSpec {
  /** Coordinate of node 0 along each axis, length d. */
  lo: Float64Array;
  /** Node spacing along each axis, length d. */
  spacing: Float64Array;
  /** Nodes along each axis (>= 2), length d. */
  shape: Int32Array;
  /** Total number of nodes, prod(shape). */
  size: number;
}

/**
 * Chooses a grid covering [lo, hi] per axis with spacing c * bandwidth_k, where c >= minRatio is the smallest
 * ratio keeping the node count within maxNodes. O(d log(1/precision)).
 * @example chooseGrid([1], [5], [0.2], 1000).spacing[0] ~= 0.1 // 41 nodes (c = minRatio 0.5)
 */
export function chooseGrid(
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  bandwidth: ArrayLike<number>,
  maxNodes: number,
  minRatio = 0.5,
): GridSpec {
  const d = lo.length;
  const count = (c: number) => {
    let nodes = 1;
    for (let k = 0; k < d; k++) nodes *= Math.max(2, Math.ceil((hi[k]! - lo[k]!) / (c * bandwidth[k]!) - 1e-9) + 1);
    return nodes;
  };
  let c = minRatio;
  if (count(c) > maxNodes) {
    let a = minRatio;
    let b = minRatio * 2;
    while (count(b) > maxNodes && b < 1e6) b *= 2;
    for (let it = 0; it < 60; it++) {
      const m = 0.5 * (a + b);
      if (count(m) > maxNodes) a = m;
      else b = m;
    }
    c = b;
  }
  const spacing = new Float64Array(d);
  const shape = new Int32Array(d);
  const glo = new Float64Array(d);
  let size = 1;
  for (let k = 0; k < d; k++) {
    const nodes = Math.max(2, Math.ceil((hi[k]! - lo[k]!) / (c * bandwidth[k]!) - 1e-9) + 1);
    shape[k] = nodes;
    const range = hi[k]! - lo[k]!;
    spacing[k] = range > 0 ? range / (nodes - 1) : c * bandwidth[k]!;
    glo[k] = lo[k]!;
    size *= nodes;
  }
  return { lo: glo, spacing, shape, size };
}

function strides(grid: GridSpec): Int32Array {
  const d = grid.shape.length;
  const s = new Int32Array(d);
  let acc = 1;
  for (let k = d - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= grid.shape[k]!;
  }
  return s;
}

/**
 * Multilinear stencils of points on a grid in compact form: per point the index of its base node (the lower corner
 * of its cell) and its d fractional offsets within the cell; the 2^d corners follow from `cornerOffset` (corner c
 * has bit k set when it lies one node up along axis k). Points outside the grid are clamped to its boundary cell.
 * Memory O(n d) instead of O(n 2^d) for explicit corner lists; reused when the same points are binned or
 * interpolated repeatedly (the live-update path).
 */
export interface GridStencils {
  rows: number;
  cols: number;
  /** Base node index per point, length rows. */
  base: Int32Array;
  /** Fractional offset per point and axis in [0, 1], rows x cols. */
  frac: Float64Array;
  /** Node-index offset of each of the 2^cols corners from the base node. */
  cornerOffset: Int32Array;
}

/**
 * Computes the compact stencils of `points` on `grid`. O(n d).
 * @example gridStencils(grid1d_0to1_2nodes, matrixFromRows([[0.25]])).frac -> [0.25]
 */
export function gridStencils(grid: GridSpec, points: { data: Float64Array; rows: number; cols: number }): GridStencils {
  const d = grid.shape.length;
  const st = strides(grid);
  const n = points.rows;
  const base = new Int32Array(n);
  const frac = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let k = 0; k < d; k++) {
      let t = (points.data[i * d + k]! - grid.lo[k]!) / grid.spacing[k]!;
      const maxI = grid.shape[k]! - 2;
      let i0 = Math.floor(t);
      if (!(i0 >= 0)) {
        i0 = 0;
        t = 0;
      } else if (i0 > maxI) {
        i0 = maxI;
        t = maxI + 1;
      }
      b += i0 * st[k]!;
      frac[i * d + k] = t - i0;
    }
    base[i] = b;
  }
  const corners = 1 << d;
  const cornerOffset = new Int32Array(corners);
  for (let c = 0; c < corners; c++) {
    let o = 0;
    for (let k = 0; k < d; k++) if ((c >> k) & 1) o += st[k]!;
    cornerOffset[c] = o;
  }
  return { rows: n, cols: d, base, frac, cornerOffset };
}

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

/**
 * Gaussian kernel taps along one axis: tap t = phi(t * spacing; sd) for |t| <= T, T = ceil(truncate * sd / spacing).
 * `normalised` uses the normal density (integrates to 1), otherwise exp(-x^2 / (2 sd^2)).
 */
export function gaussianTaps(sd: number, spacing: number, truncate: number, normalised: boolean): Float64Array {
  const T = Math.max(0, Math.ceil((truncate * sd) / spacing));
  const taps = new Float64Array(T + 1);
  const c = normalised ? 1 / (sd * Math.sqrt(2 * Math.PI)) : 1;
  for (let t = 0; t <= T; t++) taps[t] = c * Math.exp(-0.5 * ((t * spacing) / sd) ** 2);
  return taps;
}

/**
 * Separable convolution of node values with a product Gaussian kernel of per-axis standard deviation sd_k,
 * truncated at `truncate` standard deviations (default 4; the dropped mass is below 6e-5 per axis).
 * Returns new node values (input untouched). O(G sum_k (2 T_k + 1)).
 * @example a unit mass at one node convolved with sd = spacing gives ~0.399 / spacing there (1-D)
 */
export function convolveGrid(
  grid: GridSpec,
  values: Float64Array,
  sd: ArrayLike<number>,
  options: { truncate?: number; normalised?: boolean } = {},
): Float64Array {
  const truncate = options.truncate ?? 4;
  const normalised = options.normalised ?? true;
  const d = grid.shape.length;
  const st = strides(grid);
  let src = values.slice();
  let dst = new Float64Array(grid.size);
  for (let k = d - 1; k >= 0; k--) {
    const n = grid.shape[k]!;
    const stride = st[k]!;
    const outer = grid.size / (n * stride);
    const taps = gaussianTaps(sd[k]!, grid.spacing[k]!, truncate, normalised);
    const T = taps.length - 1;
    if (stride === 1) {
      // Last axis: contiguous lines, convolved in place of a gather.
      for (let o = 0; o < outer; o++) {
        const line = o * n;
        let any = false;
        for (let a = 0; a < n; a++) {
          if (src[line + a] !== 0) {
            any = true;
            break;
          }
        }
        if (!any) {
          dst.fill(0, line, line + n);
          continue;
        }
        for (let a = 0; a < n; a++) {
          const c = line + a;
          let acc = taps[0]! * src[c]!;
          const tmax = Math.min(T, a, n - 1 - a);
          let t = 1;
          for (; t <= tmax; t++) acc += taps[t]! * (src[c - t]! + src[c + t]!);
          for (; t <= T; t++) {
            if (a - t >= 0) acc += taps[t]! * src[c - t]!;
            if (a + t < n) acc += taps[t]! * src[c + t]!;
          }
          dst[c] = acc;
        }
      }
    } else {
      // Other axes: each output row (the `stride` contiguous nodes at one position along the axis) is a weighted
      // sum of the input rows within T positions; all-zero input rows are skipped.
      const rowNonZero = new Uint8Array(outer * n);
      for (let r = 0; r < outer * n; r++) {
        const off = r * stride;
        for (let s = 0; s < stride; s++) {
          if (src[off + s] !== 0) {
            rowNonZero[r] = 1;
            break;
          }
        }
      }
      for (let o = 0; o < outer; o++) {
        const block = o * n * stride;
        for (let a = 0; a < n; a++) {
          const out = block + a * stride;
          const r0 = o * n;
          if (rowNonZero[r0 + a]) for (let s = 0; s < stride; s++) dst[out + s] = taps[0]! * src[out + s]!;
          else dst.fill(0, out, out + stride);
          for (let t = 1; t <= T; t++) {
            const g = taps[t]!;
            const lo = a - t >= 0 && rowNonZero[r0 + a - t] ? out - t * stride : -1;
            const hi = a + t < n && rowNonZero[r0 + a + t] ? out + t * stride : -1;
            if (lo >= 0 && hi >= 0) for (let s = 0; s < stride; s++) dst[out + s] = dst[out + s]! + g * (src[lo + s]! + src[hi + s]!);
            else if (lo >= 0) for (let s = 0; s < stride; s++) dst[out + s] = dst[out + s]! + g * src[lo + s]!;
            else if (hi >= 0) for (let s = 0; s < stride; s++) dst[out + s] = dst[out + s]! + g * src[hi + s]!;
          }
        }
      }
    }
    const tmp = src;
    src = dst;
    dst = tmp;
  }
  return src;
}
