/**
 * A regular d-dimensional grid for binned kernel sums (Wand 1994; Silverman 1982): linear binning of weighted
 * points onto the nodes, a separable Gaussian convolution along each axis, and multilinear interpolation back
 * at arbitrary points. Used by the binned KDE, the live-update path and the binned MMD. This file holds the grid and
 * the points' stencils on it; binning and interpolation are in gridBinning.ts, the convolution in gridConvolution.ts.
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

/** Node-index stride of each axis (the last axis fastest). */
export function strides(grid: GridSpec): Int32Array {
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
