import { amw } from './amw';
import { asmd } from './asmd';
import { energyDistance } from './energyDistance';
import { frechetDistance } from './frechetDistance';
import { ksStatistic } from './ksStatistic';
import { maeCorr } from './maeCorr';
import type { MetricInput, MetricResult } from './metricInput';
import { mmd } from './mmd';
import { slicedWasserstein, slicedWassersteinBatch } from './slicedWasserstein';
import type { Matrix } from '../numeric/matrix';

/** Names of the distances between two weighted samples. */
export type MetricName = 'amw' | 'fd' | 'sw' | 'mmd' | 'maecorr' | 'asmd' | 'ks' | 'energy';

/**
 * The metric family, keyed by name; every entry takes a MetricInput and returns a MetricResult. All are
 * "lower is better", zero on identical sets and symmetric in (a, b) (with the weights swapped too).
 * @example metricRegistry.amw({ a, b: a }).value === 0
 */
export const metricRegistry: Record<MetricName, (input: MetricInput) => MetricResult> = {
  amw,
  fd: frechetDistance,
  sw: slicedWasserstein,
  mmd,
  maecorr: maeCorr,
  asmd,
  ks: ksStatistic,
  energy: energyDistance,
};

/** The five headline metrics of the paper's tables (plus MAEcorr from its Table 3). */
export interface PaperMetrics {
  amw: number;
  fd: number;
  sw: number;
  mmd: number;
  maecorr: number;
}

export const PAPER_METRICS = ['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const;

/**
 * Mean over the five metrics of m / base (e.g. a set against Raw, the unweighted pool): 1 = as far from the reference
 * as the base, below 1 closer; the five count alike whatever their scale. Metrics where the base scores 0 are left
 * out; when it scores 0 on all, the plain mean of m.
 * @example meanRatio({ amw: 1, fd: 2, sw: 1, mmd: 1, maecorr: 1 }, { amw: 2, fd: 4, sw: 2, mmd: 2, maecorr: 2 }) === 0.5
 */
export function meanRatio(m: PaperMetrics, base: PaperMetrics): number {
  let sum = 0;
  let used = 0;
  for (const k of PAPER_METRICS) {
    if (!(base[k] > 0)) continue;
    sum += m[k] / base[k];
    used++;
  }
  if (used === 0) return PAPER_METRICS.reduce((a, k) => a + m[k], 0) / PAPER_METRICS.length;
  return sum / used;
}

/**
 * Computes the five headline metrics AMW, FD, SW, MMD and MAEcorr between a and b (weights optional).
 * Settings: SW 100 directions (seed from input, default 0); MMD RBF with the median heuristic.
 * Complexity dominated by SW, O(100 (n + m) log(n + m)).
 * @example paperMetrics({ a, b: a }) -> { amw: 0, fd: 0, sw: 0, mmd: 0, maecorr: 0 }
 */
export function paperMetrics(input: MetricInput): PaperMetrics {
  return {
    amw: amw(input).value,
    fd: frechetDistance(input).value,
    sw: slicedWasserstein(input).value,
    mmd: mmd(input).value,
    maecorr: maeCorr(input).value,
  };
}

/**
 * paperMetrics for several sets against one target, sharing the sliced-Wasserstein projections and sorts
 * (see slicedWassersteinBatch); each entry equals paperMetrics({ a, aWeights, b, bWeights, seed, projections }).
 * @example paperMetricsBatch([{ a }], b)[0] ~= paperMetrics({ a, b })
 */
export function paperMetricsBatch(
  items: { a: Matrix; aWeights?: ArrayLike<number> }[],
  b: Matrix,
  bWeights?: ArrayLike<number>,
  options: { seed?: number; projections?: number } = {},
): PaperMetrics[] {
  const sw = slicedWassersteinBatch(items, b, bWeights, options);
  return items.map((it, k) => {
    const input: MetricInput = { a: it.a, aWeights: it.aWeights, b, bWeights, seed: options.seed, projections: options.projections };
    return { amw: amw(input).value, fd: frechetDistance(input).value, sw: sw[k]!, mmd: mmd(input).value, maecorr: maeCorr(input).value };
  });
}
