/** The persona filter a review queue works through, in words (safe for client components). */
const FILTER_LABELS: Record<string, string> = { q: 'search', ageBand: 'age band', criticMin: 'critic ≥', criticMax: 'critic ≤', weightMin: 'weight ≥', weightMax: 'weight ≤' };

/** "source personallm · age band 35-49" from a filter's URL parameters (trait ranges read "E ≥ 3"). */
export function describeFilter(filterQs: string): string {
  const label = (k: string) => FILTER_LABELS[k] ?? k.replace(/^([EACNO])(min|max)$/, (_, t: string, m: string) => `${t} ${m === 'min' ? '≥' : '≤'}`);
  return [...new URLSearchParams(filterQs).entries()].map(([k, v]) => `${label(k)} ${v.replace(/,/g, ', ')}`).join(' · ');
}
