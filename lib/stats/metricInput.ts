import { AlignInputError } from '../numeric/alignInputError';
import type { Matrix } from '../numeric/matrix';
import { normaliseWeights } from '../numeric/validate';

/** The one input type shared by every metric in the registry: two weighted samples on the same axes. */
export interface MetricInput {
  /** First sample, n x d (e.g. the persona set). */
  a: Matrix;
  /** Second sample, m x d (e.g. the human target). */
  b: Matrix;
  /** Optional non-negative weights of a (default uniform). */
  aWeights?: ArrayLike<number>;
  /** Optional non-negative weights of b (default uniform). */
  bWeights?: ArrayLike<number>;
  /** Seed for random projections and subsamples (default 0). */
  seed?: number;
  /** Sliced Wasserstein: number of random directions (default 100). */
  projections?: number;
  /** Sliced Wasserstein: explicit unit directions, row-major L x d (overrides projections and seed). */
  directions?: Float64Array;
  /** MMD: RBF bandwidth sigma, or 'median' (default) for the median pairwise distance of the pooled sample. */
  mmdBandwidth?: number | 'median';
  /** Pair count above which O(n^2) metrics switch to their large-sample path (default 1.6e7). */
  exactLimit?: number;
}

/** The one result type of every metric: a headline value, optional per-dimension values, and the settings used. */
export interface MetricResult {
  value: number;
  perDimension: Float64Array | null;
  parameters: Record<string, number | string>;
}

/** Validated metric input with weights normalised to sum 1. */
export interface PreparedMetricInput {
  a: Matrix;
  b: Matrix;
  wa: Float64Array;
  wb: Float64Array;
  uniformA: boolean;
  uniformB: boolean;
}

/**
 * Validates the two samples (non-empty, same number of columns, finite) and normalises the weights. O(n d).
 * @example prepareMetricInput({ a, b }).wa sums to 1
 */
export function prepareMetricInput(input: MetricInput): PreparedMetricInput {
  const { a, b } = input;
  if (a.rows === 0 || b.rows === 0) {
    throw new AlignInputError('EMPTY', `A distance needs two non-empty sets; the ${a.rows === 0 ? 'first' : 'second'} set has no rows.`);
  }
  if (a.cols !== b.cols) throw new AlignInputError('DIMENSION_MISMATCH', `The sets have ${a.cols} and ${b.cols} columns; they must describe the same traits.`);
  for (const [m, name] of [
    [a, 'first'],
    [b, 'second'],
  ] as const) {
    for (let i = 0; i < m.data.length; i++) {
      if (!Number.isFinite(m.data[i]!)) {
        throw new AlignInputError('NOT_FINITE', `The ${name} set has a missing or non-numeric value in row ${Math.floor(i / m.cols) + 1}, column ${(i % m.cols) + 1}.`);
      }
    }
  }
  return {
    a,
    b,
    wa: normaliseWeights(input.aWeights, a.rows, 'first set'),
    wb: normaliseWeights(input.bWeights, b.rows, 'second set'),
    uniformA: !input.aWeights,
    uniformB: !input.bWeights,
  };
}
