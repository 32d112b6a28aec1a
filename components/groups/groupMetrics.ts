/** The group page's compared sets and number format (shared by its results sections; metric and trait labels: lib/core). */
export const SETS = [
  ['raw', 'Raw (whole group set)'],
  ['randomSelect', 'RandomSelect (random k; the whole set when k = set size)'],
  ['resample', 'Resample (aligned set)'],
  ['weighted', 'Group set under final weights'],
] as const;

export type Metrics = Record<string, Record<string, number>>;

export const fmt = (v: unknown, d = 4) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');
