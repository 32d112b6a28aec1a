/**
 * The review audit trail, read: decisions newest first, reviewers with their counts, each reviewer's current
 * rating, the latest settlements and a persona's latest decision (the decisions are written in review.ts).
 */
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { reviewDecisions, type PersonaStatus, type ReviewDecision } from '../schema';
import { EFFECTIVE, type Verdict } from './review';

export interface DecisionRow {
  id: number;
  personaId: number;
  personaName: string | null;
  personaExcerpt: string;
  personaStatus: PersonaStatus;
  reviewer: string;
  decision: 'accept' | 'reject' | 'undo';
  reasonCode: string | null;
  reasonLabel: string | null;
  note: string | null;
  undoesId: number | null;
  undoneById: number | null;
  statusBefore: PersonaStatus | null;
  statusAfter: PersonaStatus | null;
  batchId: string | null;
  settlement: boolean;
  createdAt: string;
}

/** The audit trail: decisions newest first, for one reviewer, one persona, or everyone. */
export function listDecisions({
  db,
  reviewer,
  personaId,
  limit = 200,
  offset = 0,
}: {
  db: Db;
  reviewer?: string;
  personaId?: number;
  limit?: number;
  offset?: number;
}): DecisionRow[] {
  const where = [sql`1 = 1`];
  if (reviewer !== undefined) where.push(sql`d.reviewer = ${reviewer}`);
  if (personaId !== undefined) where.push(sql`d.persona_id = ${personaId}`);
  return db
    .all<Omit<DecisionRow, 'settlement'> & { settlement: number }>(sql`
      SELECT d.id AS id, d.persona_id AS personaId, p.name AS personaName, substr(p.narrative, 1, 120) AS personaExcerpt,
        p.status AS personaStatus, d.reviewer AS reviewer, d.decision AS decision, d.reason_code AS reasonCode,
        rc.label AS reasonLabel, d.note AS note, d.undoes_id AS undoesId,
        (SELECT u.id FROM review_decisions u WHERE u.undoes_id = d.id LIMIT 1) AS undoneById,
        d.status_before AS statusBefore,
        d.status_after AS statusAfter,
        d.batch_id AS batchId, d.settlement AS settlement, d.created_at AS createdAt
      FROM review_decisions d
      JOIN personas p ON p.id = d.persona_id
      LEFT JOIN reason_codes rc ON rc.code = d.reason_code
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY d.id DESC
      LIMIT ${limit} OFFSET ${offset}`)
    .map((r) => ({ ...r, settlement: r.settlement === 1 }));
}

/** Reviewers with their decision counts and first and last decision times. */
export function listReviewers({ db }: { db: Db }) {
  return db.all<{ reviewer: string; decisions: number; accepts: number; rejects: number; undos: number; first: string; last: string }>(sql`
    SELECT reviewer, count(*) AS decisions, sum(decision = 'accept') AS accepts, sum(decision = 'reject') AS rejects,
      sum(decision = 'undo') AS undos, min(created_at) AS first, max(created_at) AS last
    FROM review_decisions GROUP BY reviewer ORDER BY max(id) DESC`);
}

/**
 * Each reviewer's current rating of each persona: their latest accept/reject that is in effect, settlements
 * excluded (a settlement adjudicates a conflict; it is not an independent rating).
 */
export function listCurrentRatings({ db }: { db: Db }) {
  return db.all<{ personaId: number; reviewer: string; decision: Verdict; decisionId: number; reasonCode: string | null; note: string | null; createdAt: string }>(sql`
    SELECT d.persona_id AS personaId, d.reviewer AS reviewer, d.decision AS decision, d.id AS decisionId,
      d.reason_code AS reasonCode, d.note AS note, d.created_at AS createdAt
    FROM review_decisions d
    WHERE ${EFFECTIVE} AND d.settlement = 0
      AND d.id = (SELECT max(d2.id) FROM review_decisions d2 WHERE d2.persona_id = d.persona_id AND d2.reviewer = d.reviewer
        AND d2.decision IN ('accept', 'reject') AND d2.settlement = 0
        AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d2.id))
    ORDER BY d.persona_id, d.reviewer`);
}

/** The latest settlement in effect per persona (id and decision), for personas that have one. */
export function listLatestSettlements({ db }: { db: Db }) {
  return db.all<{ personaId: number; decisionId: number; reviewer: string; decision: Verdict; createdAt: string }>(sql`
    SELECT d.persona_id AS personaId, max(d.id) AS decisionId, d.reviewer AS reviewer, d.decision AS decision, d.created_at AS createdAt
    FROM review_decisions d WHERE ${EFFECTIVE} AND d.settlement = 1 GROUP BY d.persona_id`);
}

/** A persona's latest decision row (any kind), or null. */
export function getLatestDecision({ db, personaId }: { db: Db; personaId: number }): ReviewDecision | null {
  return db.select().from(reviewDecisions).where(eq(reviewDecisions.personaId, personaId)).orderBy(desc(reviewDecisions.id)).limit(1).get() ?? null;
}
