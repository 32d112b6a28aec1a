/**
 * Row-major dense matrices over Float64Array: the one data layout of the pure core.
 *
 * A `Matrix` of n rows (points) and d columns (dimensions) stores entry (i, k) at `data[i * cols + k]`.
 * Plain data: it crosses `postMessage` unchanged.
 */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/**
 * Allocates a zero-filled rows x cols matrix.
 * Complexity O(rows * cols).
 * @example createMatrix(2, 3).data.length === 6
 */
export function createMatrix(rows: number, cols: number): Matrix {
  return { data: new Float64Array(rows * cols), rows, cols };
}

/**
 * Builds a matrix from an array of equal-length rows (copies the numbers).
 * @example matrixFromRows([[1, 2], [3, 4]]).data -> Float64Array [1, 2, 3, 4]
 */
export function matrixFromRows(rows: ArrayLike<number>[], cols?: number): Matrix {
  const d = cols ?? (rows.length > 0 ? rows[0]!.length : 0);
  const m = createMatrix(rows.length, d);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.length !== d) throw new RangeError(`row ${i} has ${r.length} values, expected ${d}`);
    for (let k = 0; k < d; k++) m.data[i * d + k] = r[k]!;
  }
  return m;
}

/**
 * Copies the rows listed in `indices` (in that order) into a new matrix.
 * Complexity O(indices.length * cols).
 * @example selectRows(matrixFromRows([[1], [2], [3]]), [2, 0]).data -> [3, 1]
 */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = createMatrix(indices.length, m.cols);
  const d = m.cols;
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r]! * d;
    out.data.set(m.data.subarray(src, src + d), r * d);
  }
  return out;
}

/**
 * Copies column k into a new Float64Array of length rows.
 * @example column(matrixFromRows([[1, 2], [3, 4]]), 1) -> [2, 4]
 */
export function column(m: Matrix, k: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + k]!;
  return out;
}

/**
 * Per-column minimum and maximum, O(rows * cols).
 * @example columnRanges(matrixFromRows([[1, 5], [3, 2]])) -> { min: [1, 2], max: [3, 5] }
 */
export function columnRanges(m: Matrix): { min: Float64Array; max: Float64Array } {
  const min = new Float64Array(m.cols).fill(Infinity);
  const max = new Float64Array(m.cols).fill(-Infinity);
  for (let i = 0; i < m.rows; i++) {
    for (let k = 0; k < m.cols; k++) {
      const v = m.data[i * m.cols + k]!;
      if (v < min[k]!) min[k] = v;
      if (v > max[k]!) max[k] = v;
    }
  }
  return { min, max };
}
