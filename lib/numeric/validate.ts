import { AlignInputError } from './alignInputError';
import type { Matrix } from './matrix';

export interface MatrixChecks {
  /** Smallest accepted number of rows (default 1). */
  minRows?: number;
  /** Inclusive [low, high] range every value must lie in (default: any finite number). */
  range?: readonly [number, number];
  /** Column labels used in messages (default "column 1", ...). */
  labels?: readonly string[];
  /** Expected number of columns. */
  cols?: number;
}

/**
 * Checks a data matrix and throws an `AlignInputError` with a sentence naming the set, the row and the column.
 * `name` is how people call the set ("pool", "reference"). O(rows * cols).
 * @example assertMatrix(matrixFromRows([]), 'pool') // throws code EMPTY: "The pool is empty: ..."
 */
export function assertMatrix(m: Matrix, name: string, checks: MatrixChecks = {}): void {
  const minRows = checks.minRows ?? 1;
  const label = (k: number) => checks.labels?.[k] ?? `column ${k + 1}`;
  const unit = name === 'pool' ? 'persona' : 'row';
  if (m.data.length !== m.rows * m.cols) {
    throw new AlignInputError('DIMENSION_MISMATCH', `The ${name} data has ${m.data.length} numbers but claims ${m.rows} x ${m.cols}.`);
  }
  if (checks.cols !== undefined && m.cols !== checks.cols) {
    throw new AlignInputError(
      'DIMENSION_MISMATCH',
      `The ${name} has ${m.cols} columns but ${checks.cols} were expected; every set must describe the same traits in the same order.`,
    );
  }
  if (m.rows === 0) {
    throw new AlignInputError('EMPTY', `The ${name} is empty: add at least ${Math.max(minRows, 1)} ${name === 'pool' ? 'measured personas' : 'rows'} before aligning.`);
  }
  if (m.rows < minRows) {
    throw new AlignInputError(
      'TOO_FEW',
      `The ${name} has only ${m.rows} ${unit}${m.rows === 1 ? '' : 's'}; at least ${minRows} are needed to estimate a distribution.`,
    );
  }
  const [lo, hi] = checks.range ?? [-Infinity, Infinity];
  const d = m.cols;
  for (let i = 0; i < m.rows; i++) {
    for (let k = 0; k < d; k++) {
      const v = m.data[i * d + k]!;
      if (!Number.isFinite(v)) {
        throw new AlignInputError('NOT_FINITE', `The ${name} has a missing or non-numeric value (${v}) in ${unit} ${i + 1}, ${label(k)}; fill it in or drop that ${unit}.`, {
          row: i,
          col: k,
        });
      }
      if (v < lo || v > hi) {
        throw new AlignInputError(
          'OUT_OF_RANGE',
          `The ${name} has the value ${v} in ${unit} ${i + 1}, ${label(k)}, outside the scale ${lo}-${hi}; scores must be trait means on the ${lo}-${hi} scale.`,
          { row: i, col: k },
        );
      }
    }
  }
}

/**
 * Checks optional weights (length n, finite, non-negative, positive sum) and returns them normalised to sum 1;
 * `undefined` gives uniform weights 1/n. O(n).
 * @example normaliseWeights(Float64Array.of(1, 3), 2, 'pool') -> [0.25, 0.75]
 */
export function normaliseWeights(weights: ArrayLike<number> | undefined, n: number, name: string): Float64Array {
  const out = new Float64Array(n);
  if (!weights) {
    out.fill(1 / n);
    return out;
  }
  if (weights.length !== n) {
    throw new AlignInputError('BAD_WEIGHTS', `The ${name} weights have ${weights.length} entries but the ${name} has ${n} rows; give one weight per row.`);
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!Number.isFinite(w) || w < 0) {
      throw new AlignInputError('BAD_WEIGHTS', `The ${name} weight in row ${i + 1} is ${w}; weights must be finite and not negative.`);
    }
    s += w;
  }
  if (!(s > 0)) throw new AlignInputError('BAD_WEIGHTS', `The ${name} weights are all zero; at least one row needs a positive weight.`);
  for (let i = 0; i < n; i++) out[i] = weights[i]! / s;
  return out;
}
