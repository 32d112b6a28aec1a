import { amw } from './amw';
import { asmd } from './asmd';
import { energyDistance } from './energyDistance';
import { frechetDistance } from './frechetDistance';
import { ksStatistic } from './ksStatistic';
import { maeCorr } from './maeCorr';
import type { MetricInput, MetricResult } from './metricInput';
import { mmd, mmdBatch } from './mmd';
import { slicedWasserstein, slicedWassersteinBatch } from './slicedWasserstein';
import type { Matrix } from '../numeric/matrix';
import { sumByIndex, uniqueRows } from '../numeric/uniqueRows';
import { normaliseWeights } from '../numeric/validate';

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

/** How one set's metrics were obtained: only metrics estimated on a subsample are listed, with the draws per side
 * and the standard error of the reported value. `{}` = every metric exact. */
export type MetricsEstimation = Partial<Record<(typeof PAPER_METRICS)[number], { subsample: number; se: number }>>;

/**
 * paperMetrics for several sets against one target; each entry equals paperMetrics({ a, aWeights, b, bWeights,
 * seed, projections }) up to rounding (see paperMetricsBatchDetailed).
 * @example paperMetricsBatch([{ a }], b)[0] ~= paperMetrics({ a, b })
 */
export function paperMetricsBatch(
  items: { a: Matrix; aWeights?: ArrayLike<number> }[],
  b: Matrix,
  bWeights?: ArrayLike<number>,
  options: { seed?: number; projections?: number } = {},
): PaperMetrics[] {
  return paperMetricsBatchDetailed(items, b, bWeights, options).metrics;
}

/**
 * The five metrics of several sets against one target, with how each was obtained. Every set (and the target) is
 * measured on its distinct rows carrying summed weights: the same weighted measure, so AMW, FD, SW (same seeded
 * directions) and MAEcorr are unchanged up to rounding while the sorts shrink to the distinct rows (questionnaire
 * scores repeat: 1,000,000 bootstrap personas hold under 20,000 distinct rows). The sliced-Wasserstein projections
 * and sorts of the target are shared; MMD comes from mmdBatch (exact on the distinct rows, or a subsample estimate
 * whose size and standard error are returned in `estimation`). O(L (u log u)) for SW, O(u^2 d) for exact MMD,
 * u the distinct rows; O(n d) hashing.
 * @example paperMetricsBatchDetailed([{ a }], b).estimation[0] -> {} (exact)
 */
export function paperMetricsBatchDetailed(
  items: { a: Matrix; aWeights?: ArrayLike<number> }[],
  b: Matrix,
  bWeights?: ArrayLike<number>,
  options: { seed?: number; projections?: number } = {},
): { metrics: PaperMetrics[]; estimation: MetricsEstimation[] } {
  const mats = Array.from(new Set(items.map((it) => it.a)));
  const uniq = new Map(mats.map((m) => [m, uniqueRows([m])] as const));
  const ub = uniqueRows([b]);
  const b2 = ub.rows;
  const wb2 = sumByIndex(ub.index[0]!, b2.rows, bWeights ? normaliseWeights(bWeights, b.rows, 'second set') : undefined);
  const compact = items.map((it) => {
    const u = uniq.get(it.a)!;
    return { a: u.rows, aWeights: sumByIndex(u.index[0]!, u.rows.rows, it.aWeights ? normaliseWeights(it.aWeights, it.a.rows, 'first set') : undefined) };
  });
  const sw = slicedWassersteinBatch(compact, b2, wb2, options);
  const mm = mmdBatch(items, b, bWeights, { seed: options.seed });
  const metrics = compact.map((it, k) => {
    const input: MetricInput = { a: it.a, aWeights: it.aWeights, b: b2, bWeights: wb2, seed: options.seed, projections: options.projections };
    return { amw: amw(input).value, fd: frechetDistance(input).value, sw: sw[k]!, mmd: mm[k]!.value, maecorr: maeCorr(input).value };
  });
  const estimation = mm.map((m): MetricsEstimation => (m.subsample !== null ? { mmd: { subsample: m.subsample, se: m.se! } } : {}));
  return { metrics, estimation };
}
