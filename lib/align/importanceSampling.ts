import type { Matrix } from '../numeric/matrix';
import { weightDiagnostics } from '../stats/weightDiagnostics';
import type { BandwidthSpec } from '../stats/bandwidth';
import type { BinnedKdeOptions } from '../stats/binnedKdeLogDensity';
import { gaussianKde } from '../stats/gaussianKde';
import { importanceWeights, type ImportanceWeightsResult, type Truncation } from '../stats/importanceWeights';
import { standardiser, type StandardiseMode } from '../stats/standardiser';

/** Settings of the importance-sampling step. */
export interface ImportanceSamplingOptions {
  /** KDE bandwidth; default 0.20 (the paper's value, read as trait points on the 1-5 scale). */
  bandwidth?: BandwidthSpec;
  /** Scale both densities share, built from the pool; default 'none' (raw trait points). */
  standardise?: StandardiseMode;
  /** Tail treatment of the weights; default 'psis'. */
  truncation?: Truncation;
  /** Cap (multiple of the mean weight) for truncation 'cap'. */
  cap?: number;
  /** KDE path; default 'auto' (binned above exactLimit pairs). */
  kdeMethod?: 'exact' | 'binned' | 'auto';
  exactLimit?: number;
  binned?: BinnedKdeOptions;
}

/** Importance weights plus both log densities (the pool's is what the live-update path caches). */
export interface ImportanceSamplingResult extends ImportanceWeightsResult {
  /** log p_target at every persona, length n. */
  logTargetDensity: Float64Array;
  /** Leave-one-out log q_pool at every persona, length n. */
  logPoolDensity: Float64Array;
  /** Kernel standard deviations per trait (pool KDE), on the chosen scale. */
  bandwidth: Float64Array;
  kdeMethod: 'exact' | 'binned';
  /** Tail points re-evaluated exactly / left at the floor by the binned KDE (both densities). */
  fallbackCount: number;
  flooredCount: number;
}

/**
 * Step A of the alignment: w_i = p_target(x_i) / q_pool(x_i) from two Gaussian KDEs on one scale, self-normalised
 * in the log domain, with PSIS (default) or a cap, and the k-hat diagnostic.
 *
 * q_pool is the leave-one-out density of the pool at its own points (otherwise each persona's own kernel inflates
 * q and shrinks isolated personas' weights); p_target is the (weighted) reference density at the personas.
 * Both use the pool's standardiser so their kernels agree. Complexity: see gaussianKde.
 * Reference: the paper's stage 3A; Vehtari et al. (2024) for PSIS; Silverman (1986).
 * @example importanceSampling(pool, pool) gives weights near uniform (ESS close to n) for a large pool
 */
export function importanceSampling(
  pool: Matrix,
  target: Matrix,
  targetWeights?: ArrayLike<number>,
  options: ImportanceSamplingOptions = {},
  onProgress?: (fraction: number) => void,
): ImportanceSamplingResult {
  const scale = standardiser(pool, options.standardise ?? 'none');
  const bandwidth = options.bandwidth ?? 0.2;
  const common = { bandwidth, scale, method: options.kdeMethod ?? 'auto', exactLimit: options.exactLimit, binned: options.binned };
  const q = gaussianKde({ data: pool, leaveOneOut: true, ...common, onProgress: onProgress && ((f) => onProgress(0.5 * f)) });
  const p = gaussianKde({ data: target, points: pool, weights: targetWeights, ...common, onProgress: onProgress && ((f) => onProgress(0.5 + 0.5 * f)) });
  const iw = importanceWeights({ logTarget: p.logDensity, logProposal: q.logDensity, truncation: options.truncation ?? 'psis', cap: options.cap });
  void weightDiagnostics;
  return {
    ...iw,
    logTargetDensity: p.logDensity,
    logPoolDensity: q.logDensity,
    bandwidth: q.bandwidth,
    kdeMethod: q.method,
    fallbackCount: q.fallbackCount + p.fallbackCount,
    flooredCount: q.flooredCount + p.flooredCount,
  };
}
