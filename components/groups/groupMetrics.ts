/** The group page's metric names, compared sets and number format (shared by its results sections). */
export const METRICS = ['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const;
export const METRIC_NAMES: Record<string, string> = { amw: 'AMW', fd: 'FD', sw: 'SW', mmd: 'MMD', maecorr: 'MAEcorr' };
export const SETS = [
  ['raw', 'Raw (whole group set)'],
  ['randomSelect', 'RandomSelect (random k; the whole set when k = set size)'],
  ['resample', 'Resample (aligned set)'],
  ['weighted', 'Group set under final weights'],
] as const;
export const TRAITS = ['E', 'A', 'C', 'N', 'O'] as const;

export type Metrics = Record<string, Record<string, number>>;

export const fmt = (v: unknown, d = 4) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');
