import { prepareMetricInput, type MetricInput, type MetricResult } from './metricInput';
import { weightedMoments, type WeightedMoments } from './weightedMoments';

/**
 * ASMD: absolute standardised mean difference per dimension, |mu_a,k - mu_b,k| / sqrt((s2_a,k + s2_b,k) / 2),
 * with weighted means and (population) variances; value = mean over dimensions. A dimension with zero spread on
 * both sides scores 0 when the means agree and Infinity otherwise. O((n + m) d^2). Symmetric.
 * Reference: Austin (2009) Statistics in Medicine 28; facebookresearch/balance's ASMD diagnostic.
 * @example a = {0, 2}, b = {2, 4} in 1-D: |1 - 3| / 1 = 2
 */
export function asmd(input: MetricInput): MetricResult {
  const p = prepareMetricInput(input);
  const per = asmdFromMoments(weightedMoments(p.a, p.wa), weightedMoments(p.b, p.wb));
  let s = 0;
  for (let k = 0; k < per.length; k++) s += per[k]!;
  return { value: s / per.length, perDimension: per, parameters: {} };
}

/** Per-dimension ASMD from the two samples' weighted moments (see frechetFromMoments). O(d). */
export function asmdFromMoments(ma: WeightedMoments, mb: WeightedMoments): Float64Array {
  const d = ma.mean.length;
  const per = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const diff = Math.abs(ma.mean[k]! - mb.mean[k]!);
    const pooled = Math.sqrt((ma.covariance[k * d + k]! + mb.covariance[k * d + k]!) / 2);
    per[k] = pooled > 0 ? diff / pooled : diff === 0 ? 0 : Infinity;
  }
  return per;
}
