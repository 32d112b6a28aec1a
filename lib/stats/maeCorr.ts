import { prepareMetricInput, type MetricInput, type MetricResult } from './metricInput';
import { weightedMoments, type WeightedMoments } from './weightedMoments';

/**
 * MAEcorr: mean absolute difference between the two weighted Pearson correlation matrices over the upper
 * triangle, (2 / (d (d - 1))) sum_{k < l} |R_a,kl - R_b,kl|. A pair involving a zero-variance column counts as
 * correlation 0. O((n + m) d^2). Symmetric, zero for identical sets, in [0, 2].
 * @example perfectly correlated 2-D set vs perfectly anti-correlated one: value === 2
 */
export function maeCorr(input: MetricInput): MetricResult {
  const p = prepareMetricInput(input);
  if (p.a.cols < 2) return { value: 0, perDimension: null, parameters: {} };
  return { value: maeCorrFromMoments(weightedMoments(p.a, p.wa), weightedMoments(p.b, p.wb)), perDimension: null, parameters: {} };
}

/** MAEcorr from the two samples' weighted moments (see frechetFromMoments). O(d^2). */
export function maeCorrFromMoments(ma: WeightedMoments, mb: WeightedMoments): number {
  const d = ma.mean.length;
  if (d < 2) return 0;
  const ra = ma.correlation;
  const rb = mb.correlation;
  let s = 0;
  let c = 0;
  for (let k = 0; k < d; k++) for (let l = k + 1; l < d; l++) {
    s += Math.abs(ra[k * d + l]! - rb[k * d + l]!);
    c++;
  }
  return s / c;
}
