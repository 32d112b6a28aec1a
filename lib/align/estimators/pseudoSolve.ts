/**
 * Solves A x = b for a small symmetric positive semi-definite A by its eigen-decomposition, dropping directions
 * whose eigenvalue is below `relativeFloor` times the largest (the minimum-norm least-squares solution A^+ b).
 *
 * Used for Newton steps of convex duals whose Hessian (a weighted covariance of features) can be singular when
 * features are collinear on the pool. The eigen-decomposition is Householder tridiagonalisation followed by the
 * implicit QL algorithm (`tridiagonalEigen`): O(p^3) with a small constant and a fixed number of passes, so a
 * 65 x 65 Hessian (moments + deciles) takes about a millisecond. Reference: Golub & Van Loan (2013) Matrix
 * Computations, sections 8.3 and 8.5.
 * @param a row-major p x p; @param b length p; @param relativeFloor default 1e-12
 * @returns x (length p) and the number of directions dropped
 * @example pseudoSolve(Float64Array.of(2, 0, 0, 0), Float64Array.of(4, 1), 2) -> { x: [2, 0], dropped: 1 }
 */
export function pseudoSolve(a: Float64Array, b: Float64Array, p: number, relativeFloor = 1e-12): { x: Float64Array; dropped: number } {
  const { values, vectors } = tridiagonalEigen(a, p);
  let max = 0;
  for (let k = 0; k < p; k++) if (values[k]! > max) max = values[k]!;
  const x = new Float64Array(p);
  let dropped = 0;
  for (let k = 0; k < p; k++) {
    const e = values[k]!;
    if (!(e > relativeFloor * max) || !(e > 0)) {
      dropped++;
      continue;
    }
    let proj = 0;
    for (let i = 0; i < p; i++) proj += vectors[i * p + k]! * b[i]!;
    const c = proj / e;
    for (let i = 0; i < p; i++) x[i] = x[i]! + c * vectors[i * p + k]!;
  }
  return { x, dropped };
}

/**
 * Eigen-decomposition of a symmetric n x n matrix (row-major; symmetric input assumed): A = V diag(values) V^T.
 * Householder reduction to tridiagonal form (tred2) and the implicit QL algorithm with shifts (tql2), as in EISPACK
 * and JAMA. Eigenvalues unsorted; column j of `vectors` (row-major) is the j-th eigenvector. About 10 n^3 flops.
 * Unlike cyclic Jacobi, its stopping test is relative to the matrix's norm, so it never spins on rounding noise.
 * Reference: Wilkinson & Reinsch (1971) Handbook for Automatic Computation II, contributions II/2 and II/3.
 * @example tridiagonalEigen(Float64Array.of(2, 0, 0, 3), 2).values -> [2, 3]
 */
export function tridiagonalEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const V = Float64Array.from(a.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: V };
  if (n === 1) {
    d[0] = V[0]!;
    V[0] = 1;
    return { values: d, vectors: V };
  }
  // tred2: Householder reduction to tridiagonal form, accumulating the transformations in V.
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = V[k * n + j]!;
          g += vkj * d[k]!;
          e[k] = e[k]! + vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;

  // tql2: implicit QL iterations on the tridiagonal matrix (diagonal d, sub-diagonal e). The rotations act on pairs
  // of columns of V, so V is transposed first and they run along contiguous rows.
  transposeInPlace(V, n);
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; iter < 64; iter++) {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const oi = i * n;
          const oh = oi + n;
          for (let k = 0; k < n; k++) {
            const vh = V[oh + k]!;
            const vi = V[oi + k]!;
            V[oh + k] = s * vi + c * vh;
            V[oi + k] = c * vi - s * vh;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]!) > eps * tst1)) break;
      }
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  transposeInPlace(V, n);
  return { values: d, vectors: V };
}

function transposeInPlace(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const t = a[i * n + j]!;
      a[i * n + j] = a[j * n + i]!;
      a[j * n + i] = t;
    }
  }
}
