import { symmetricEigen } from '../../numeric/symmetricEigen';

/**
 * Solves A x = b for a small symmetric positive semi-definite A by its eigen-decomposition, dropping directions
 * whose eigenvalue is below `relativeFloor` times the largest (the minimum-norm least-squares solution A^+ b).
 *
 * Used for Newton steps of convex duals whose Hessian (a weighted covariance of features) can be singular when
 * features are collinear on the pool. Complexity O(p^3) (Jacobi sweeps; p <= ~100). Reference: Golub & Van Loan
 * (2013) Matrix Computations, section 8.5.
 * @param a row-major p x p; @param b length p; @param relativeFloor default 1e-12
 * @returns x (length p) and the number of directions dropped
 * @example pseudoSolve(Float64Array.of(2, 0, 0, 0), Float64Array.of(4, 1), 2) -> { x: [2, 0], dropped: 1 }
 */
export function pseudoSolve(a: Float64Array, b: Float64Array, p: number, relativeFloor = 1e-12): { x: Float64Array; dropped: number } {
  const { values, vectors } = symmetricEigen(a, p);
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
