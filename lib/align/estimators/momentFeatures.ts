import type { Matrix } from '../../numeric/matrix';
import { binOf } from './quantileBins';
import type { MomentSet } from './weightEstimatorInput';

/** Which quantity a feature stands for. */
export type FeatureKind = 'mean' | 'variance' | 'covariance' | 'share';

/**
 * Moment features of an n x d sample, standardised on a basis sample.
 *
 * Raw feature j of a row x, with u = x - centre: 'mean' k -> u_k; 'variance' k -> u_k^2; 'covariance' (k, l) ->
 * u_k u_l; 'share' (k, b) -> 1 if x_k falls in bin b of column k. Order: every mean, then every variance, then the
 * covariances (0,1), (0,2), ..., (d-2, d-1), then the bins of column 0, 1, ... (all B_k bins of each column).
 * Standardised feature: (raw_j - mean_j) * invScale_j. These span the same space as x_k, x_k^2, x_k x_l and bin
 * indicators, so matching their means matches means, variances and covariances.
 */
export interface MomentFeatureSet {
  d: number;
  /** Number of features p. */
  p: number;
  /** Number of dense (moment) features before the bins: d, 2d or 2d + d(d-1)/2 (0 for moments 'none'). */
  dense: number;
  /** Column centres, length d (the basis's weighted mean unless given). */
  centre: Float64Array;
  /** Per-feature kind, first column, and second column (covariance) or bin index (share). */
  kind: FeatureKind[];
  first: Int32Array;
  second: Int32Array;
  /** Bin cut points per column (empty arrays when there are no bins for that column). */
  cuts: Float64Array[];
  /** Index of the first bin feature of column k (p when the column has no bins). */
  binOffset: Int32Array;
  /** Basis mean of each raw feature, length p. */
  mean: Float64Array;
  /** Basis standard deviation (population) of each raw feature, length p. */
  sd: Float64Array;
  /** 1 / sd, or 0 for a feature with no spread in the basis (it cannot be used). */
  invScale: Float64Array;
}

/** A weighted sample contributing `mass` of the basis (the masses of all parts are normalised). */
export interface FeatureBasisPart {
  x: Matrix;
  /** Weights summing to 1 within the part. */
  weights: Float64Array;
  /** Share of the basis, > 0. */
  mass: number;
}

/**
 * Builds the feature set (layout, centre, standardisation) from a basis of weighted samples.
 *
 * centre = basis mean (or `centreOverride`); mean_j and sd_j = basis mean and population SD of raw feature j. A feature
 * whose sd is below 1e-12 (relative to its scale) gets invScale 0. Complexity O(N p) for N basis rows (two passes).
 * @param parts the basis (calibration: the pool with its base weights; logistic: pool and reference together)
 * @param moments 'none' | 'means' | 'meansAndVariances' | 'all'; @param cuts bin cuts per column (default none)
 * @param centreOverride the centre c to use instead of the basis mean (calibration centres at the target mean)
 * @example momentFeatures([{ x: matrixFromRows([[1, 2], [3, 5]]), weights: Float64Array.of(0.5, 0.5), mass: 1 }], 'all').p === 5
 */
export function momentFeatures(
  parts: FeatureBasisPart[],
  moments: MomentSet | 'none',
  cuts: Float64Array[] = [],
  centreOverride?: Float64Array,
): MomentFeatureSet {
  const d = parts[0]!.x.cols;
  const kind: FeatureKind[] = [];
  const first: number[] = [];
  const second: number[] = [];
  const level = moments === 'none' ? 0 : moments === 'means' ? 1 : moments === 'meansAndVariances' ? 2 : 3;
  if (level >= 1) for (let k = 0; k < d; k++) push('mean', k, -1);
  if (level >= 2) for (let k = 0; k < d; k++) push('variance', k, -1);
  if (level >= 3) for (let k = 0; k < d; k++) for (let l = k + 1; l < d; l++) push('covariance', k, l);
  const dense = kind.length;
  const binOffset = new Int32Array(d);
  const fullCuts: Float64Array[] = [];
  for (let k = 0; k < d; k++) {
    const c = cuts[k] ?? new Float64Array(0);
    fullCuts.push(c);
    binOffset[k] = c.length > 0 ? kind.length : -1;
    if (c.length > 0) for (let b = 0; b <= c.length; b++) push('share', k, b);
  }
  const p = kind.length;
  for (let k = 0; k < d; k++) if (binOffset[k] === -1) binOffset[k] = p;
  function push(kd: FeatureKind, a: number, b: number): void {
    kind.push(kd);
    first.push(a);
    second.push(b);
  }

  let totalMass = 0;
  for (const part of parts) totalMass += part.mass;
  const centre = new Float64Array(d);
  if (centreOverride) centre.set(centreOverride);
  else for (const part of parts) {
    const { rows, data } = part.x;
    const scale = part.mass / totalMass;
    for (let i = 0; i < rows; i++) {
      const wi = part.weights[i]! * scale;
      if (wi === 0) continue;
      for (let k = 0; k < d; k++) centre[k] = centre[k]! + wi * data[i * d + k]!;
    }
  }
  const set: MomentFeatureSet = {
    d,
    p,
    dense,
    centre,
    kind,
    first: Int32Array.from(first),
    second: Int32Array.from(second),
    cuts: fullCuts,
    binOffset,
    mean: new Float64Array(p),
    sd: new Float64Array(p),
    invScale: new Float64Array(p),
  };
  // One pass for the sums and sums of squares of the raw features: they are centred near the data (u = x - centre)
  // or indicators, so E[f^2] - E[f]^2 loses at most a few digits, which a scale can spare.
  const row = new Float64Array(p);
  const s1 = new Float64Array(p);
  const s2 = new Float64Array(p);
  const anyBins = fullCuts.some((c) => c.length > 0);
  for (const part of parts) {
    const { rows, data } = part.x;
    const scale = part.mass / totalMass;
    for (let i = 0; i < rows; i++) {
      const wi = part.weights[i]! * scale;
      if (wi === 0) continue;
      if (anyBins) featureRow(set, data, i * d, row);
      else denseFeatures(d, dense, centre, data, i * d, row);
      for (let j = 0; j < p; j++) {
        const v = row[j]!;
        const wv = wi * v;
        s1[j] = s1[j]! + wv;
        s2[j] = s2[j]! + wv * v;
      }
    }
  }
  for (let j = 0; j < p; j++) {
    set.mean[j] = s1[j]!;
    set.sd[j] = Math.sqrt(Math.max(s2[j]! - s1[j]! * s1[j]!, 0));
  }
  for (let j = 0; j < p; j++) {
    const sd = set.sd[j]!;
    const magnitude = set.kind[j] === 'share' ? 1 : Math.abs(set.mean[j]!) + sd + 1e-300;
    set.invScale[j] = sd > 1e-12 * magnitude ? 1 / sd : 0;
  }
  return set;
}

/**
 * Raw features of one row (data[offset .. offset + d)) into out (length p). O(p + d log B).
 * @example featureRow(set, Float64Array.of(2, 3), 0, out) // out[0] = 2 - set.centre[0], ...
 */
export function featureRow(set: MomentFeatureSet, data: ArrayLike<number>, offset: number, out: Float64Array): void {
  const { d, dense } = set;
  denseFeatures(d, dense, set.centre, data, offset, out);
  for (let j = dense; j < set.p; j++) out[j] = 0;
  for (let k = 0; k < d; k++) {
    const c = set.cuts[k]!;
    if (c.length === 0) continue;
    out[set.binOffset[k]! + binOf(c, data[offset + k]!)] = 1;
  }
}

/**
 * The dense raw features of one row into out[0 .. dense), in momentFeatures' order: u_k (every k), then u_k^2, then
 * u_k u_l (k < l), as far as `dense` reaches (u = x - centre). The hot loop of the estimators; O(dense).
 * @example denseFeatures(2, 5, Float64Array.of(0, 0), Float64Array.of(2, 3), 0, out) // out -> [2, 3, 4, 9, 6]
 */
export function denseFeatures(d: number, dense: number, centre: Float64Array, data: ArrayLike<number>, offset: number, out: Float64Array): void {
  if (dense === 0) return;
  for (let k = 0; k < d; k++) out[k] = data[offset + k]! - centre[k]!;
  if (dense === d) return;
  for (let k = 0; k < d; k++) out[d + k] = out[k]! * out[k]!;
  let j = 2 * d;
  if (j >= dense) return;
  for (let k = 0; k < d; k++) {
    const uk = out[k]!;
    for (let l = k + 1; l < d; l++) out[j++] = uk * out[l]!;
  }
}

/**
 * Weighted mean of every raw feature over a sample: E_w[raw_j], length p. O(n p).
 * @example featureMeans(set, x, weights)[0] === weighted mean of x_0 - centre_0
 */
export function featureMeans(set: MomentFeatureSet, x: Matrix, weights: ArrayLike<number>): Float64Array {
  const { rows, cols: d, data } = x;
  const out = new Float64Array(set.p);
  const row = new Float64Array(set.p);
  for (let i = 0; i < rows; i++) {
    const wi = weights[i]!;
    if (wi === 0) continue;
    featureRow(set, data, i * d, row);
    for (let j = 0; j < set.p; j++) out[j] = out[j]! + wi * row[j]!;
  }
  return out;
}
