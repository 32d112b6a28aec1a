/**
 * Gaussian-kernel pieces of kernel herding (selectHerding): a kernel column added into a vector, a weighted kernel sum,
 * contiguous row gathering, and the pivoted Cholesky factor behind the Nystrom mean embedding.
 */
import { createMatrix, type Matrix } from '../numeric/matrix';

/**
 * Pivoted (incomplete) Cholesky of the Gaussian kernel matrix of `pool` (R rows): K ~ L L^T with the pivot rows
 * chosen greedily by the largest residual diagonal, stopped at `maxRank` or when every residual is below
 * `tolerance`. `solve(b)` returns K_pp^-1 b for the pivot block (b_q given by a callback), by two triangular solves.
 * O(R r^2) flops and R r kernel evaluations.
 */
export function pivotedCholesky(pool: Matrix, gamma: number, maxRank: number, tolerance: number) {
  const R = pool.rows;
  const d = pool.cols;
  const diag = new Float64Array(R).fill(1);
  const cap = Math.min(maxRank, R);
  const L = new Float64Array(R * cap); // column q of L at L[q * R ..]
  const pivots: number[] = [];
  let rank = 0;
  let residual = 0;
  for (;;) {
    let best = 0;
    for (let i = 1; i < R; i++) if (diag[i]! > diag[best]!) best = i;
    residual = diag[best]!;
    if (rank === cap || residual <= tolerance) break;
    const col = L.subarray(rank * R, rank * R + R);
    col.fill(0);
    addKernelColumn(pool, pool.data, best * d, gamma, 1, col);
    for (let q = 0; q < rank; q++) {
      const lq = q * R;
      const f = L[lq + best]!;
      if (f !== 0) for (let i = 0; i < R; i++) col[i] = col[i]! - L[lq + i]! * f;
    }
    const s = Math.sqrt(residual);
    for (let i = 0; i < R; i++) {
      col[i] = col[i]! / s;
      diag[i] = Math.max(diag[i]! - col[i]! * col[i]!, 0);
    }
    diag[best] = 0;
    pivots.push(best);
    rank++;
  }
  // Lpp[q][t] = L[t * R + pivots[q]] is lower triangular with a positive diagonal.
  const solve = (rhs: (q: number) => number): Float64Array => {
    const y = new Float64Array(rank);
    for (let q = 0; q < rank; q++) {
      let v = rhs(q);
      const row = pivots[q]!;
      for (let t = 0; t < q; t++) v -= L[t * R + row]! * y[t]!;
      y[q] = v / L[q * R + row]!;
    }
    const x = new Float64Array(rank);
    for (let q = rank - 1; q >= 0; q--) {
      let v = y[q]!;
      for (let t = q + 1; t < rank; t++) v -= L[q * R + pivots[t]!]! * x[t]!;
      x[q] = v / L[q * R + pivots[q]!]!;
    }
    return x;
  };
  return { pivots, rank, residual, solve };
}

/** sum_i w_i exp(-gamma |x_i - y|^2) over the rows of `x`, y = src[so .. so + d); `col` is scratch of length x.rows. */
export function kernelDot(x: Matrix, src: Float64Array, so: number, gamma: number, w: Float64Array, col: Float64Array): number {
  col.fill(0);
  addKernelColumn(x, src, so, gamma, 1, col);
  let s = 0;
  for (let i = 0; i < x.rows; i++) s += w[i]! * col[i]!;
  return s;
}

/** Rows `ids` of `points`, contiguous. */
export function gather(points: Matrix, ids: ArrayLike<number>): Matrix {
  const d = points.cols;
  const out = createMatrix(ids.length, d);
  for (let r = 0; r < ids.length; r++) out.data.set(points.data.subarray(ids[r]! * d, ids[r]! * d + d), r * d);
  return out;
}

/**
 * out_i += weight * exp(-gamma |x_i - y|^2) for every row x_i of `x`, y = src[so .. so + d); pairs with
 * gamma |x_i - y|^2 >= 36 (kernel below 2.4e-16) are skipped. Five columns (the Big Five) have an unrolled loop.
 */
export function addKernelColumn(x: Matrix, src: Float64Array, so: number, gamma: number, weight: number, out: Float64Array): void {
  const d = x.cols;
  const data = x.data;
  const cut = 36 / gamma;
  if (d === 5) {
    const y0 = src[so]!;
    const y1 = src[so + 1]!;
    const y2 = src[so + 2]!;
    const y3 = src[so + 3]!;
    const y4 = src[so + 4]!;
    for (let i = 0, o = 0; i < x.rows; i++, o += 5) {
      const a = data[o]! - y0;
      const b = data[o + 1]! - y1;
      const c = data[o + 2]! - y2;
      const e = data[o + 3]! - y3;
      const f = data[o + 4]! - y4;
      const q = a * a + b * b + c * c + e * e + f * f;
      if (q < cut) out[i] = out[i]! + weight * Math.exp(-gamma * q);
    }
    return;
  }
  for (let i = 0, o = 0; i < x.rows; i++, o += d) {
    let q = 0;
    for (let c = 0; c < d; c++) {
      const t = data[o + c]! - src[so + c]!;
      q += t * t;
    }
    if (q < cut) out[i] = out[i]! + weight * Math.exp(-gamma * q);
  }
}
