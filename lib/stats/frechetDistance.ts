import { sqrtmPsd } from '../numeric/symmetricEigen';
import { prepareMetricInput, type MetricInput, type MetricResult } from './metricInput';
import { weightedMoments, type WeightedMoments } from './weightedMoments';

/**
 * FD: Frechet distance between Gaussian fits of the two (weighted) samples.
 *
 * FD = |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a^1/2 S_b S_a^1/2)^1/2), with weighted means mu (d) and weighted
 * population covariances S (d x d). This is the squared 2-Wasserstein distance between the two Gaussians
 * (Dowson & Landau 1982), as in FID. Symmetric, zero for identical sets. O((n + m) d^2 + d^3).
 * @example for N(0, 1) vs N(1, 4) in 1-D: FD = 1 + (1 + 4 - 2 * 2) = 2
 */
export function frechetDistance(input: MetricInput): MetricResult {
  const p = prepareMetricInput(input);
  return { value: frechetFromMoments(weightedMoments(p.a, p.wa), weightedMoments(p.b, p.wb)), perDimension: null, parameters: {} };
}

/**
 * FD from the two samples' weighted moments (population covariances), for callers that already hold them (the
 * studio computes each sample's moments once per update and shares them among FD, MAEcorr and ASMD). O(d^3).
 */
export function frechetFromMoments(ma: WeightedMoments, mb: WeightedMoments): number {
  const d = ma.mean.length;
  let mean = 0;
  for (let k = 0; k < d; k++) mean += (ma.mean[k]! - mb.mean[k]!) ** 2;
  const ra = sqrtmPsd(ma.covariance, d);
  // M = ra Sb ra
  const t = new Float64Array(d * d);
  const M = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += ra[i * d + k]! * mb.covariance[k * d + j]!;
    t[i * d + j] = s;
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += t[i * d + k]! * ra[k * d + j]!;
    M[i * d + j] = s;
  }
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) {
    const v = 0.5 * (M[i * d + j]! + M[j * d + i]!);
    M[i * d + j] = v;
    M[j * d + i] = v;
  }
  const rm = sqrtmPsd(M, d);
  let tr = 0;
  for (let k = 0; k < d; k++) tr += ma.covariance[k * d + k]! + mb.covariance[k * d + k]! - 2 * rm[k * d + k]!;
  return Math.max(0, mean + tr);
}
