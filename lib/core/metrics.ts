/**
 * The five headline metrics of a set against its target (the paper's AMW, FD, SW, MMD and its Table 3's MAEcorr):
 * their keys, order and labels, in one place for the screens, the exports, the methods report and the CLI. A pure
 * leaf (it imports nothing). The metrics themselves are computed in lib/stats (metricRegistry, PAPER_METRICS).
 */
export const METRICS = ['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const;
export type Metric = (typeof METRICS)[number];

/** The short label of each metric, as tables and charts show it. */
export const METRIC_NAMES: Record<Metric, string> = { amw: 'AMW', fd: 'FD', sw: 'SW', mmd: 'MMD', maecorr: 'MAEcorr' };

/** What the abbreviation stands for (MAEcorr is its own name). */
export const METRIC_EXPANSIONS: Record<Metric, string | null> = {
  amw: 'average marginal Wasserstein',
  fd: 'Fréchet distance',
  sw: 'sliced Wasserstein',
  mmd: 'maximum mean discrepancy',
  maecorr: null,
};

/** "AMW (average marginal Wasserstein)", or "MAEcorr". */
export const metricTitle = (m: Metric): string => (METRIC_EXPANSIONS[m] ? `${METRIC_NAMES[m]} (${METRIC_EXPANSIONS[m]})` : METRIC_NAMES[m]);
