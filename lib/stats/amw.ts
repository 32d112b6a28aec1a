import { column } from '../numeric/matrix';
import { prepareMetricInput, type MetricInput, type MetricResult } from './metricInput';
import { wasserstein1d } from './wasserstein1d';

/**
 * AMW: average marginal Wasserstein-1 distance, (1/d) sum_k W1(a_{.k}, b_{.k}) with weights on either side.
 * perDimension holds the d marginal distances. O(d (n + m) log(n + m)). Zero for identical sets; symmetric.
 * Reference: the paper's AMW (Hu et al. 2025); W1 as in scipy.stats.wasserstein_distance.
 * @example amw({ a: matrixFromRows([[1, 1]]), b: matrixFromRows([[2, 3]]) }).value === 1.5
 */
export function amw(input: MetricInput): MetricResult {
  const p = prepareMetricInput(input);
  const d = p.a.cols;
  const per = new Float64Array(d);
  let s = 0;
  for (let k = 0; k < d; k++) {
    per[k] = wasserstein1d(column(p.a, k), column(p.b, k), p.uniformA ? undefined : p.wa, p.uniformB ? undefined : p.wb);
    s += per[k]!;
  }
  return { value: s / d, perDimension: per, parameters: {} };
}
