/**
 * A persona's trait profile against the human reference: for each trait the percentile of the persona's score
 * among the reference respondents, with ties counted half (mid-rank): 100 * (below + equal / 2) / n.
 */
import type { Db } from '../../db/client';
import { countReferenceBelow, getDefaultReference } from '../../db/queries/personas';

export const TRAIT_ORDER = ['E', 'A', 'C', 'N', 'O'] as const;
type Scores = Record<(typeof TRAIT_ORDER)[number], number>;

/** Mid-rank percentile from counts: 100 * (below + equal / 2) / n (0 when n = 0). */
export function midRankPercentile(below: number, equal: number, n: number): number {
  return n > 0 ? (100 * (below + equal / 2)) / n : 0;
}

export function referencePercentiles(db: Db, scores: Scores) {
  const ref = getDefaultReference({ db });
  if (!ref || ref.n === 0) return null;
  const c = countReferenceBelow({ db, referenceSetId: ref.id, scores }) as Record<string, number>;
  return {
    reference: ref,
    percentiles: Object.fromEntries(
      TRAIT_ORDER.map((t) => [t, midRankPercentile(c[`${t}_below`] ?? 0, c[`${t}_equal`] ?? 0, c.n ?? 0)]),
    ) as Scores,
  };
}
