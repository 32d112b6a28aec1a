/** Squared distances between rows stored flat (row-major, d values a row): of real values and of lattice codes. */

/** Squared Euclidean distance between the d values at x[xo..] and y[yo..]. */
export function sqDist(x: Float64Array, xo: number, y: Float64Array, yo: number, d: number): number {
  let q = 0;
  for (let k = 0; k < d; k++) {
    const t = x[xo + k]! - y[yo + k]!;
    q += t * t;
  }
  return q;
}

/** Integer squared distance between the d lattice codes at C[a..] and C[b..]. */
export function sqCodes(C: Int32Array, a: number, b: number, d: number): number {
  let q = 0;
  for (let k = 0; k < d; k++) {
    const t = C[a + k]! - C[b + k]!;
    q += t * t;
  }
  return q;
}
