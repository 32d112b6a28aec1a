/**
 * The Gibbs kernel K_ij = exp(-C_ij / epsilon) of a transport problem, as the log-domain Sinkhorn iterations use it:
 * two log-sum-exp reductions of the potentials through K. Two implementations of one interface: storedKernel keeps K in
 * memory (each reduction a matrix-vector product with a max-shift), streamedKernel recomputes the costs per target batch
 * (memory O(n + batch)). Both give the same values up to rounding; sinkhorn picks one by `kernelCacheLimit`.
 */
import { pairCost } from './medianCost';

/**
 * K = exp(-C / epsilon) for C_ij = sum_k omega_k (x_ik - y_jk)^2, n rows (source) by m columns (target), in the log
 * domain: rowLogSumExp(g, out) sets out_i = log sum_j K_ij exp(g_j / epsilon) = log sum_j exp((g_j - C_ij) / epsilon),
 * colLogSumExp(f, out) sets out_j = log sum_i exp((f_i - C_ij) / epsilon); f, g are potentials in cost units and an
 * all -Infinity row or column gives -Infinity. setEpsilon fixes epsilon (epsilon scaling changes it between stages);
 * call it before the first reduction.
 */
export interface LogKernel {
  readonly rows: number;
  readonly cols: number;
  /** Whether K is held in memory (true) or recomputed from the costs in target batches (false). */
  readonly stored: boolean;
  setEpsilon(epsilon: number): void;
  rowLogSumExp(g: Float64Array, out: Float64Array): void;
  colLogSumExp(f: Float64Array, out: Float64Array): void;
}

/** The points and cost weights of a transport problem: source X (n x d) and target Y (m x d), row-major. */
export interface TransportCosts {
  X: Float64Array;
  Y: Float64Array;
  n: number;
  m: number;
  d: number;
  omega: Float64Array;
}

/**
 * The kernel stored in memory, filled once per epsilon. Kernels above 2^20 entries are stored in single precision
 * (half the memory traffic of each matrix-vector product; relative entry error 6e-8, below the default tolerance);
 * small problems stay in double precision. Entries below 1e-150 are flushed to zero; rows or columns whose sum
 * underflows are recomputed exactly with log-sum-exp. O(n m) memory, O(n m) per reduction.
 */
export function storedKernel(costs: TransportCosts): LogKernel {
  const { X, Y, n, m, d, omega } = costs;
  const K = n * m > 1 << 20 ? new Float32Array(n * m) : new Float64Array(n * m);
  const v = new Float64Array(m);
  const u = new Float64Array(n);
  const exact = exactLogSums(costs);
  let eps = NaN;
  return {
    rows: n,
    cols: m,
    stored: true,
    setEpsilon(epsilon) {
      eps = epsilon;
      for (let i = 0; i < n; i++) {
        const o = i * m;
        for (let j = 0; j < m; j++) {
          // Flush entries below 1e-150 to zero so that products never become subnormal (slow on x86).
          const kij = Math.exp(-pairCost(X, i, Y, j, d, omega) / eps);
          K[o + j] = kij > 1e-150 ? kij : 0;
        }
      }
    },
    rowLogSumExp(g, out) {
      storedRowLogSums(K, n, m, g, eps, v, out);
      for (let i = 0; i < n; i++) if (Number.isNaN(out[i]!)) out[i] = exact.row(i, g, eps);
    },
    colLogSumExp(f, out) {
      storedColLogSums(K, n, m, f, eps, u, out);
      for (let j = 0; j < m; j++) if (Number.isNaN(out[j]!)) out[j] = exact.col(j, f, eps);
    },
  };
}

/**
 * The kernel recomputed from the costs: rows reduce over target batches of `batchSize` columns with a running maximum
 * and a rescaled running sum (online log-sum-exp), columns over every source row. O(n + batch) memory, O(n m d) per
 * reduction.
 */
export function streamedKernel(costs: TransportCosts, batchSize: number): LogKernel {
  const { X, Y, n, m, d, omega } = costs;
  const bufM = new Float64Array(Math.min(batchSize, m));
  const sum = new Float64Array(n);
  const exact = exactLogSums(costs);
  let eps = NaN;
  return {
    rows: n,
    cols: m,
    stored: false,
    setEpsilon(epsilon) {
      eps = epsilon;
    },
    rowLogSumExp(g, out) {
      const rmax = out; // the running maximum, in place
      rmax.fill(-Infinity);
      sum.fill(0);
      for (let j0 = 0; j0 < m; j0 += batchSize) {
        const j1 = Math.min(m, j0 + batchSize);
        for (let i = 0; i < n; i++) {
          let bmax = -Infinity;
          for (let j = j0; j < j1; j++) {
            const val = (g[j]! - pairCost(X, i, Y, j, d, omega)) / eps;
            bufM[j - j0] = val;
            if (val > bmax) bmax = val;
          }
          if (bmax === -Infinity) continue;
          let s = 0;
          for (let j = j0; j < j1; j++) s += Math.exp(bufM[j - j0]! - bmax);
          const cm = rmax[i]!;
          if (bmax > cm) {
            sum[i] = sum[i]! * Math.exp(cm - bmax) + s;
            rmax[i] = bmax;
          } else sum[i] = sum[i]! + s * Math.exp(bmax - cm);
        }
      }
      for (let i = 0; i < n; i++) out[i] = rmax[i]! === -Infinity ? -Infinity : rmax[i]! + Math.log(sum[i]!);
    },
    colLogSumExp(f, out) {
      for (let j = 0; j < m; j++) out[j] = exact.col(j, f, eps);
    },
  };
}

/** One row's or one column's log-sum-exp from the costs, with a max-shift (the exact fallback of both kernels). O(m d) / O(n d). */
function exactLogSums(costs: TransportCosts): { row(i: number, g: Float64Array, eps: number): number; col(j: number, f: Float64Array, eps: number): number } {
  const { X, Y, n, m, d, omega } = costs;
  const bufN = new Float64Array(n);
  return {
    row(i, g, eps) {
      let max = -Infinity;
      for (let j = 0; j < m; j++) {
        const v = (g[j]! - pairCost(X, i, Y, j, d, omega)) / eps;
        if (v > max) max = v;
      }
      if (max === -Infinity) return -Infinity;
      let s = 0;
      for (let j = 0; j < m; j++) s += Math.exp((g[j]! - pairCost(X, i, Y, j, d, omega)) / eps - max);
      return max + Math.log(s);
    },
    col(j, f, eps) {
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = (f[i]! - pairCost(X, i, Y, j, d, omega)) / eps;
        bufN[i] = v;
        if (v > max) max = v;
      }
      if (max === -Infinity) return -Infinity;
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.exp(bufN[i]! - max);
      return max + Math.log(s);
    },
  };
}

/** out_i = log sum_j K_ij exp(g_j / eps) with a max-shift; NaN marks rows that underflowed (recomputed exactly). */
function storedRowLogSums(K: Float64Array | Float32Array, n: number, m: number, g: Float64Array, eps: number, v: Float64Array, out: Float64Array): void {
  let gmax = -Infinity;
  for (let j = 0; j < m; j++) if (g[j]! > gmax) gmax = g[j]!;
  for (let j = 0; j < m; j++) {
    const x = Math.exp((g[j]! - gmax) / eps);
    v[j] = x > 1e-150 ? x : 0;
  }
  const shift = gmax / eps;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    let s = 0;
    for (let j = 0; j < m; j++) s += K[o + j]! * v[j]!;
    out[i] = s > 1e-250 ? Math.log(s) + shift : NaN;
  }
}

/** out_j = log sum_i K_ij exp(f_i / eps) with a max-shift; NaN marks columns that underflowed. */
function storedColLogSums(K: Float64Array | Float32Array, n: number, m: number, f: Float64Array, eps: number, u: Float64Array, out: Float64Array): void {
  let fmax = -Infinity;
  for (let i = 0; i < n; i++) if (f[i]! > fmax) fmax = f[i]!;
  for (let i = 0; i < n; i++) {
    const x = Math.exp((f[i]! - fmax) / eps);
    u[i] = x > 1e-150 ? x : 0;
  }
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const ui = u[i]!;
    if (ui === 0) continue;
    const o = i * m;
    for (let j = 0; j < m; j++) out[j] = out[j]! + K[o + j]! * ui;
  }
  const shift = fmax / eps;
  for (let j = 0; j < m; j++) {
    const s = out[j]!;
    out[j] = s > 1e-250 ? Math.log(s) + shift : NaN;
  }
}
