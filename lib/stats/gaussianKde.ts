import { AlignInputError } from '../numeric/alignInputError';
import type { Matrix } from '../numeric/matrix';
import { normaliseWeights } from '../numeric/validate';
import { resolveBandwidth, type BandwidthSpec } from './bandwidth';
import { binnedKdeLogDensity, type BinnedKdeOptions } from './binnedKdeLogDensity';
import type { GridSpec } from './densityGrid';
import { kdeLogDensity } from './kdeLogDensity';
import { applyStandardiser, standardiser, type StandardiseMode, type Standardiser } from './standardiser';

/** Input of the Gaussian KDE front door. */
export interface GaussianKdeInput {
  /** n x d sample the density is estimated from. */
  data: Matrix;
  /** m x d points to evaluate at (default: the data themselves). */
  points?: Matrix;
  /** Optional non-negative sample weights (default uniform). */
  weights?: ArrayLike<number>;
  /** Bandwidth: number (units of the scale), per-axis numbers, 'scott' or 'silverman' (default 'scott'). */
  bandwidth?: BandwidthSpec;
  /** Scale (default 'none': raw units). Ignored when `scale` is given. */
  standardise?: StandardiseMode;
  /** A precomputed standardiser (e.g. the pool's), so that two densities share one scale. */
  scale?: Standardiser;
  /** Leave-one-out density of the sample at its own points (requires points omitted). */
  leaveOneOut?: boolean;
  /** 'exact', 'binned', or 'auto' (default): binned when m * n > exactLimit and d <= 6. */
  method?: 'exact' | 'binned' | 'auto';
  /** Pair count above which 'auto' switches to binned (default 2e7). */
  exactLimit?: number;
  /** Options of the binned path. */
  binned?: BinnedKdeOptions;
  onProgress?: (fraction: number) => void;
}

/** Output of gaussianKde: log densities on the raw scale and how they were computed. */
export interface GaussianKdeResult {
  /** log p(x_i) on the original (raw) scale, length m. */
  logDensity: Float64Array;
  /** Kernel standard deviation per axis on the standardised scale. */
  bandwidth: Float64Array;
  scale: Standardiser;
  method: 'exact' | 'binned';
  grid: GridSpec | null;
  fallbackCount: number;
  flooredCount: number;
}

/**
 * Gaussian kernel density estimate at points, in logs: standardise, resolve the bandwidth, then exact or binned.
 *
 * p(x) = |det T| sum_j w_j prod_k phi_{h_k}((T(x - y_j))_k), T the standardising map (see Standardiser), phi_h the
 * normal density with standard deviation h. With standardise 'whiten' and a numeric bandwidth f (or 'scott' /
 * 'silverman'), this equals scipy.stats.gaussian_kde(data.T, bw_method=f, weights).logpdf(points.T).
 * Complexity: exact O(m n d); binned O((n + m) 2^d + G d T).
 * Reference: Silverman (1986); Scott (1992) Multivariate Density Estimation.
 * @example gaussianKde({ data: matrixFromRows([[0]]), points: matrixFromRows([[0]]), bandwidth: 1 }).logDensity[0] ~= -0.9189
 */
export function gaussianKde(input: GaussianKdeInput): GaussianKdeResult {
  const { data } = input;
  const n = data.rows;
  const d = data.cols;
  if (n === 0) throw new AlignInputError('EMPTY', 'The sample is empty: a density needs at least one point.');
  if (input.leaveOneOut && input.points) {
    throw new AlignInputError('BAD_PARAMETER', 'Leave-one-out evaluates the sample at its own points; do not pass separate points.');
  }
  if (input.leaveOneOut && n < 2) throw new AlignInputError('TOO_FEW', 'A leave-one-out density needs at least two points.');
  const weights = normaliseWeights(input.weights, n, 'sample');
  const scale = input.scale ?? standardiser(data, input.standardise ?? 'none', weights);
  let sw2 = 0;
  for (let i = 0; i < n; i++) sw2 += weights[i]! * weights[i]!;
  const bandwidth = resolveBandwidth(input.bandwidth ?? 'scott', d, 1 / sw2, scale.sd, scale.mode);
  const z = applyStandardiser(scale, data);
  const zp = input.points ? applyStandardiser(scale, input.points) : z;
  if (zp.cols !== d) throw new AlignInputError('DIMENSION_MISMATCH', `The points have ${zp.cols} columns but the sample has ${d}.`);
  const method = input.method ?? 'auto';
  const useBinned = method === 'binned' || (method === 'auto' && d <= 6 && zp.rows * n > (input.exactLimit ?? 2e7));
  const prepared = { data: z, points: zp, weights, bandwidth, leaveOneOut: !!input.leaveOneOut, onProgress: input.onProgress };
  if (useBinned) {
    const r = binnedKdeLogDensity(prepared, input.binned);
    for (let i = 0; i < r.logDensity.length; i++) r.logDensity[i] = r.logDensity[i]! + scale.logDetTransform;
    return { logDensity: r.logDensity, bandwidth, scale, method: 'binned', grid: r.grid, fallbackCount: r.fallbackCount, flooredCount: r.flooredCount };
  }
  const ld = kdeLogDensity(prepared);
  for (let i = 0; i < ld.length; i++) ld[i] = ld[i]! + scale.logDetTransform;
  return { logDensity: ld, bandwidth, scale, method: 'exact', grid: null, fallbackCount: 0, flooredCount: 0 };
}
