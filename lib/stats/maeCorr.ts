import { prepareMetricInput, type MetricInput, type MetricResult } from './metricInput';
import { weightedMoments } from './weightedMoments';

/**
 * MAEcorr: mean absolute difference between the two weighted Pearson correlation matrices over the upper
 * triangle, (2 / (d (d - 1))) sum_{k < l} |R_a,kl - R_b,kl|. A pair involving a zero-variance column counts as
 * correlation 0. O((n + m) d^2). Symmetric, zero for identical sets, in [0, 2].
 * @example perfectly correlated 2-D set vs perfectly anti-correlated one: value === 2
 */
export function maeCorr(input: MetricInput): MetricResult {
  const p = prepareMetricInput(input);
  const d = p.a.cols;
  if (d < 2) return { value: 0, perDimension: null, parameters: {} };
  const ra = weightedMoments(p.a, p.wa).correlation;
  const rb = weightedMoments(p.b, p.wb).correlation;
  let s = 0;
  let c = 0;
  for (let k = 0; k < d; k++) for (let l = k + 1; l < d; l++) {
    s += Math.abs(ra[k * d + l]! - rb[k * d + l]!);
    c++;
  }
  return { value: s / c, perDimension: null, parameters: {} };
}
