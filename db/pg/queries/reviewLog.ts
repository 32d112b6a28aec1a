/**
 * The review audit trail on PostgreSQL: the twin of db/queries/reviewLog.ts (same functions, arguments, rows and
 * order; async, on a PgDb or PgTx). Counts and sums are cast to integer (PostgreSQL returns bigint, which node-postgres
 * reads as a string); settlement is a boolean column.
 */
import { desc, eq, sql } from 'drizzle-orm';
import type { ReviewDecision } from '../../schema';
import type { Verdict } from '../../queries/review';
import type { DecisionRow } from '../../queries/reviewLog';
import { reviewDecisions } from '../schema';
import { EFFECTIVE, type PgRunner } from './review';

export type { DecisionRow };

/** The audit trail: decisions newest first, for one reviewer, one persona, or everyone. */
export async function listDecisions({
  db,
  reviewer,
  personaId,
  limit = 200,
  offset = 0,
}: {
  db: PgRunner;
  reviewer?: string;
  personaId?: number;
  limit?: number;
  offset?: number;
}): Promise<DecisionRow[]> {
  const where = [sql`1 = 1`];
  if (reviewer !== undefined) where.push(sql`d.reviewer = ${reviewer}`);
  if (personaId !== undefined) where.push(sql`d.persona_id = ${personaId}`);
  const r = await db.execute<DecisionRow & Record<string, unknown>>(sql`
      SELECT d.id AS "id", d.persona_id AS "personaId", p.name AS "personaName", substr(p.narrative, 1, 120) AS "personaExcerpt",
        p.status AS "personaStatus", d.reviewer AS "reviewer", d.decision AS "decision", d.reason_code AS "reasonCode",
        rc.label AS "reasonLabel", d.note AS "note", d.undoes_id AS "undoesId",
        (SELECT u.id FROM review_decisions u WHERE u.undoes_id = d.id LIMIT 1) AS "undoneById",
        d.status_before AS "statusBefore",
        d.status_after AS "statusAfter",
        d.batch_id AS "batchId", d.settlement AS "settlement", d.created_at AS "createdAt"
      FROM review_decisions d
      JOIN personas p ON p.id = d.persona_id
      LEFT JOIN reason_codes rc ON rc.code = d.reason_code
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY d.id DESC
      LIMIT ${limit}::bigint OFFSET ${offset}::bigint`);
  return r.rows;
}

/** Reviewers with their decision counts and first and last decision times. */
export async function listReviewers({ db }: { db: PgRunner }) {
  type Row = { reviewer: string; decisions: number; accepts: number; rejects: number; undos: number; first: string; last: string };
  const r = await db.execute<Row & Record<string, unknown>>(sql`
    SELECT reviewer AS "reviewer", count(*)::integer AS "decisions",
      count(*) FILTER (WHERE decision = 'accept')::integer AS "accepts",
      count(*) FILTER (WHERE decision = 'reject')::integer AS "rejects",
      count(*) FILTER (WHERE decision = 'undo')::integer AS "undos",
      min(created_at) AS "first", max(created_at) AS "last"
    FROM review_decisions GROUP BY reviewer ORDER BY max(id) DESC`);
  return r.rows as Row[];
}

/**
 * Each reviewer's current rating of each persona: their latest accept/reject that is in effect, settlements
 * excluded (a settlement adjudicates a conflict; it is not an independent rating).
 */
export async function listCurrentRatings({ db }: { db: PgRunner }) {
  type Row = { personaId: number; reviewer: string; decision: Verdict; decisionId: number; reasonCode: string | null; note: string | null; createdAt: string };
  const r = await db.execute<Row & Record<string, unknown>>(sql`
    SELECT d.persona_id AS "personaId", d.reviewer AS "reviewer", d.decision AS "decision", d.id AS "decisionId",
      d.reason_code AS "reasonCode", d.note AS "note", d.created_at AS "createdAt"
    FROM review_decisions d
    WHERE ${EFFECTIVE} AND NOT d.settlement
      AND d.id = (SELECT max(d2.id) FROM review_decisions d2 WHERE d2.persona_id = d.persona_id AND d2.reviewer = d.reviewer
        AND d2.decision IN ('accept', 'reject') AND NOT d2.settlement
        AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d2.id))
    ORDER BY d.persona_id, d.reviewer`);
  return r.rows as Row[];
}

/**
 * The latest settlement in effect per persona (id and decision), for personas that have one. SQLite takes the bare
 * columns of GROUP BY persona_id from the max(id) row; here DISTINCT ON picks that row, in persona order.
 */
export async function listLatestSettlements({ db }: { db: PgRunner }) {
  type Row = { personaId: number; decisionId: number; reviewer: string; decision: Verdict; createdAt: string };
  const r = await db.execute<Row & Record<string, unknown>>(sql`
    SELECT DISTINCT ON (d.persona_id) d.persona_id AS "personaId", d.id AS "decisionId", d.reviewer AS "reviewer",
      d.decision AS "decision", d.created_at AS "createdAt"
    FROM review_decisions d WHERE ${EFFECTIVE} AND d.settlement
    ORDER BY d.persona_id, d.id DESC`);
  return r.rows as Row[];
}

/** A persona's latest decision row (any kind), or null. */
export async function getLatestDecision({ db, personaId }: { db: PgRunner; personaId: number }): Promise<ReviewDecision | null> {
  const [row] = await db.select().from(reviewDecisions).where(eq(reviewDecisions.personaId, personaId)).orderBy(desc(reviewDecisions.id)).limit(1);
  return row ?? null;
}
