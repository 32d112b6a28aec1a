import { column } from '../numeric/matrix';
import { prepareMetricInput, type MetricInput, type MetricResult } from './metricInput';
import { cdfWalk } from './wasserstein1d';

/**
 * Per-dimension two-sample Kolmogorov-Smirnov statistic D_k = sup_t |F_a,k(t) - G_b,k(t)| on weighted empirical
 * CDFs; value = the mean over dimensions (perDimension has each D_k, in [0, 1]).
 * O(d (n + m) log(n + m)). Matches scipy.stats.ks_2samp's statistic for unweighted samples.
 * @example ksStatistic({ a: matrixFromRows([[0]]), b: matrixFromRows([[1]]) }).value === 1
 */
export function ksStatistic(input: MetricInput): MetricResult {
  const p = prepareMetricInput(input);
  const d = p.a.cols;
  const per = new Float64Array(d);
  let s = 0;
  for (let k = 0; k < d; k++) {
    per[k] = cdfWalk(column(p.a, k), column(p.b, k), p.uniformA ? undefined : p.wa, p.uniformB ? undefined : p.wb).ks;
    s += per[k]!;
  }
  return { value: s / d, perDimension: per, parameters: {} };
}
