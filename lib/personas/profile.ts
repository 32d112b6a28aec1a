/**
 * A persona's trait profile against the human reference: for each trait the percentile of the persona's score
 * among the reference respondents, with ties counted half (mid-rank): 100 * (below + equal / 2) / n.
 */
import type { Db } from '../../db/client';
import { countReferenceBelow, getDefaultReference } from '../../db/queries/personas';
import { TRAITS, type TraitVector } from '../core/traits';

/** Mid-rank percentile from counts: 100 * (below + equal / 2) / n (0 when n = 0). */
export function midRankPercentile(below: number, equal: number, n: number): number {
  return n > 0 ? (100 * (below + equal / 2)) / n : 0;
}

export function referencePercentiles(db: Db, scores: TraitVector) {
  const ref = getDefaultReference({ db });
  if (!ref || ref.n === 0) return null;
  const c = countReferenceBelow({ db, referenceSetId: ref.id, scores }) as Record<string, number>;
  return {
    reference: ref,
    percentiles: Object.fromEntries(
      TRAITS.map((t) => [t, midRankPercentile(c[`${t}_below`] ?? 0, c[`${t}_equal`] ?? 0, c.n ?? 0)]),
    ) as TraitVector,
  };
}
