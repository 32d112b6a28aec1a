import { AlignInputError } from '../numeric/alignInputError';
import { createMatrix, type Matrix } from '../numeric/matrix';
import { weightedMoments } from './weightedMoments';

/**
 * How data are put on a common scale before kernel smoothing.
 * - 'none': the raw trait scale (1-5 points). A bandwidth is in trait points. Populace's default for the
 *   five traits: the paper's bandwidth 0.20 is read as 0.20 trait points per trait.
 * - 'diagonal': each column divided by its standard deviation (z-scores). A bandwidth is in SD units.
 * - 'whiten': full whitening by the covariance (Cholesky), so the kernel covariance is h^2 times the data
 *   covariance. This is scipy.stats.gaussian_kde's convention (its `bw_method` factor).
 */
export type StandardiseMode = 'none' | 'diagonal' | 'whiten';

/** An affine map z = T (x - mean) and the log |det T| needed to move densities between scales. */
export interface Standardiser {
  mode: StandardiseMode;
  /** Centre, length d. */
  mean: Float64Array;
  /** Row-major d x d lower-triangular transform T (the inverse Cholesky factor for 'whiten'). */
  transform: Float64Array;
  /** log |det T|: a density on z plus this is the density on x. */
  logDetTransform: number;
  /** Per-column standard deviations (unbiased, weighted) of the basis sample. */
  sd: Float64Array;
}

/**
 * Builds the standardising map from a basis sample (usually the pool, so a cached pool density stays valid
 * when only the target changes).
 *
 * 'whiten': S = L L^T (Cholesky of the unbiased weighted covariance), T = L^{-1}; 'diagonal': T = diag(1/sd);
 * 'none': T = I. Complexity O(n d^2 + d^3).
 * Throws AlignInputError CONSTANT_TRAIT when a column has no spread (its scale is undefined) and
 * the mode needs it.
 * @param labels column names used in messages (default "column k")
 * @example standardiser(matrixFromRows([[1], [3]]), 'diagonal').transform[0] ~= 1 / Math.SQRT2
 */
export function standardiser(
  basis: Matrix,
  mode: StandardiseMode,
  weights?: ArrayLike<number>,
  labels?: readonly string[],
): Standardiser {
  const d = basis.cols;
  const mom = weightedMoments(basis, weights, { unbiased: true });
  const transform = new Float64Array(d * d);
  let logDet = 0;
  if (mode === 'none') {
    for (let k = 0; k < d; k++) transform[k * d + k] = 1;
    return { mode, mean: new Float64Array(d), transform, logDetTransform: 0, sd: mom.sd };
  }
  for (let k = 0; k < d; k++) {
    if (!(mom.sd[k]! > 1e-9)) {
      throw new AlignInputError(
        'CONSTANT_TRAIT',
        `Every row has the same value in ${labels?.[k] ?? `column ${k + 1}`}, so its spread cannot be used as a scale; drop that column or use a fixed bandwidth on the raw scale.`,
        { col: k },
      );
    }
  }
  if (mode === 'diagonal') {
    for (let k = 0; k < d; k++) {
      transform[k * d + k] = 1 / mom.sd[k]!;
      logDet -= Math.log(mom.sd[k]!);
    }
    return { mode, mean: mom.mean, transform, logDetTransform: logDet, sd: mom.sd };
  }
  // Cholesky S = L L^T, then T = L^{-1} by forward substitution.
  const S = mom.covariance;
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(s > 1e-12 * S[i * d + i]!)) {
          throw new AlignInputError(
            'CONSTANT_TRAIT',
            `The columns are linearly dependent (${labels?.[i] ?? `column ${i + 1}`} is a combination of earlier ones), so the data cannot be whitened; use mode 'diagonal' or 'none'.`,
            { col: i },
          );
        }
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j]!;
    }
  }
  for (let col = 0; col < d; col++) {
    for (let i = 0; i < d; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * d + k]! * transform[k * d + col]!;
      transform[i * d + col] = s / L[i * d + i]!;
    }
  }
  for (let k = 0; k < d; k++) logDet -= Math.log(L[k * d + k]!);
  return { mode, mean: mom.mean, transform, logDetTransform: logDet, sd: mom.sd };
}

/**
 * Applies z = T (x - mean) to every row; returns a new matrix. O(n d^2) ('none' is a copy, O(n d)).
 * @example applyStandardiser(standardiser(m, 'none'), m).data equals m.data
 */
export function applyStandardiser(s: Standardiser, x: Matrix): Matrix {
  const d = x.cols;
  if (s.mode === 'none') return { data: Float64Array.from(x.data), rows: x.rows, cols: d };
  const out = createMatrix(x.rows, d);
  const diff = new Float64Array(d);
  for (let i = 0; i < x.rows; i++) {
    for (let k = 0; k < d; k++) diff[k] = x.data[i * d + k]! - s.mean[k]!;
    for (let r = 0; r < d; r++) {
      let acc = 0;
      for (let k = 0; k <= r; k++) acc += s.transform[r * d + k]! * diff[k]!;
      out.data[i * d + r] = acc;
    }
  }
  return out;
}
