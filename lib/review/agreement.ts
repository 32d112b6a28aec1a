/**
 * Agreement between reviewers: Cohen's kappa for every pair that judged the same personas, Fleiss' kappa over all
 * personas judged by two or more reviewers, and the open conflicts (reviewers disagree, no settlement since).
 * A reviewer's rating of a persona is their latest accept/reject still in effect; settlements are not ratings.
 */
import { getDb, type Db } from '../../db/client';
import { getPersonaSummaries } from '../../db/queries/personaPage';
import { listCurrentRatings, listLatestSettlements } from '../../db/queries/reviewLog';
import { cohenKappa, fleissKappa } from '../stats/kappa';

const CATEGORIES = ['accept', 'reject'] as const;

export interface PairAgreement {
  a: string;
  b: string;
  /** Personas both reviewers judged. */
  n: number;
  /** Share of those on which they gave the same decision. */
  observedAgreement: number;
  expectedAgreement: number;
  /** Cohen's kappa; null when undefined (both only ever gave one and the same decision). */
  kappa: number | null;
}

export function getAgreement(db: Db = getDb()) {
  const ratings = listCurrentRatings({ db });
  const byPersona = new Map<number, typeof ratings>();
  for (const r of ratings) {
    const list = byPersona.get(r.personaId) ?? [];
    list.push(r);
    byPersona.set(r.personaId, list);
  }
  const reviewers = [...new Set(ratings.map((r) => r.reviewer))].sort();

  const pairs: PairAgreement[] = [];
  for (let i = 0; i < reviewers.length; i++) {
    for (let j = i + 1; j < reviewers.length; j++) {
      const a: string[] = [];
      const b: string[] = [];
      for (const list of byPersona.values()) {
        const ra = list.find((r) => r.reviewer === reviewers[i]);
        const rb = list.find((r) => r.reviewer === reviewers[j]);
        if (ra && rb) {
          a.push(ra.decision);
          b.push(rb.decision);
        }
      }
      if (a.length === 0) continue;
      const k = cohenKappa(a, b);
      pairs.push({ a: reviewers[i]!, b: reviewers[j]!, n: k.n, observedAgreement: k.observedAgreement, expectedAgreement: k.expectedAgreement, kappa: k.kappa });
    }
  }

  const multi = [...byPersona.values()].filter((l) => l.length >= 2);
  const fleiss =
    multi.length > 0
      ? (() => {
          const f = fleissKappa(multi.map((l) => CATEGORIES.map((c) => l.filter((r) => r.decision === c).length)));
          return { kappa: f.kappa, observedAgreement: f.observedAgreement, expectedAgreement: f.expectedAgreement, subjects: f.subjects, ratings: f.ratings };
        })()
      : null;

  const settlements = new Map(listLatestSettlements({ db }).map((s) => [s.personaId, s]));
  const conflictLists = multi.filter((l) => {
    if (new Set(l.map((r) => r.decision)).size < 2) return false;
    const settled = settlements.get(l[0]!.personaId);
    return !settled || settled.decisionId < Math.max(...l.map((r) => r.decisionId));
  });
  const summaries = new Map(getPersonaSummaries({ db, ids: conflictLists.map((l) => l[0]!.personaId) }).map((s) => [s.id, s]));
  const conflicts = conflictLists.map((l) => {
    const s = summaries.get(l[0]!.personaId)!;
    return {
      personaId: s.id,
      name: s.name,
      status: s.status,
      excerpt: s.narrative.slice(0, 200),
      ratings: l.map((r) => ({ reviewer: r.reviewer, decision: r.decision, reasonCode: r.reasonCode, note: r.note, decisionId: r.decisionId, createdAt: r.createdAt })),
    };
  });

  return {
    reviewers,
    personasJudgedByTwoOrMore: multi.length,
    pairs,
    fleiss: reviewers.length >= 3 ? fleiss : null,
    conflicts,
    settledConflicts: [...settlements.keys()].length,
  };
}
export type Agreement = ReturnType<typeof getAgreement>;
