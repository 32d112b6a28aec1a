/**
 * Review decisions: append-only rows (the database refuses UPDATE and DELETE on review_decisions), each written
 * together with the persona's new status in one IMMEDIATE transaction, so two reviewers deciding at the same moment
 * (even from two processes) are serialised and neither decision is lost.
 *
 * Status rule: a persona's status is that of its latest accept/reject decision that has not been undone
 * ('accept' -> accepted, 'reject' -> rejected). With none left, it is the pre-review status: the status recorded
 * before the persona's first decision, or (without one) 'flagged' when it has flags, else 'measured' when it has trait
 * scores, else 'draft'.
 */
import { desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { personas, reasonCodes, reviewDecisions, type PersonaStatus, type ReviewDecision } from '../schema';
import { filterWhere, listPersonaIds, type FilterExtras, type PersonaQueryFilter } from './personas';
import { preferredScoresOn } from './pool';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Runner = Db | Tx;
/** Anything that runs read queries: the connection or a transaction. */
export type Queryable = Pick<Db, 'all' | 'get'>;

export type Verdict = 'accept' | 'reject';

const STATUS_OF: Record<Verdict, PersonaStatus> = { accept: 'accepted', reject: 'rejected' };

/** SQL condition: decision row `d` is an accept/reject that no undo row points at. */
const EFFECTIVE = sql`d.decision IN ('accept', 'reject') AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d.id)`;

export function listReasonCodes({ db }: { db: Db }) {
  return db.select().from(reasonCodes).orderBy(reasonCodes.position).all();
}

/**
 * The status a persona has before any review decision: the status recorded before its first decision when it has
 * one (so a measured persona with a duplicate flag returns to measured), else derived: flagged, measured or draft.
 */
function preReviewStatus(db: Runner, personaId: number): PersonaStatus {
  const first = db.get<{ status: PersonaStatus | null }>(sql`
    SELECT status_before AS status FROM review_decisions WHERE persona_id = ${personaId} ORDER BY id LIMIT 1`)?.status;
  if (first === 'draft' || first === 'measured' || first === 'flagged') return first;
  const r = db.get<{ flagged: number; measured: number }>(sql`
    SELECT json_array_length(p.flags) > 0 AS flagged,
      EXISTS (SELECT 1 FROM trait_scores t WHERE t.persona_id = p.id) AS measured
    FROM personas p WHERE p.id = ${personaId}`);
  if (!r) return 'draft';
  return r.flagged ? 'flagged' : r.measured ? 'measured' : 'draft';
}

/**
 * The status that follows from the decision log (see the status rule above), optionally as if one more decision
 * (`ignoring`, about to be undone) were not there.
 */
export function statusFromDecisions(db: Runner, personaId: number, ignoring?: number): PersonaStatus {
  const latest = db.get<{ decision: Verdict }>(sql`
    SELECT d.decision AS decision FROM review_decisions d WHERE d.persona_id = ${personaId} AND ${EFFECTIVE}
      AND d.id <> ${ignoring ?? -1}
    ORDER BY d.id DESC LIMIT 1`);
  return latest ? STATUS_OF[latest.decision] : preReviewStatus(db, personaId);
}

function currentStatus(db: Runner, personaId: number): PersonaStatus | null {
  return db.get<{ status: PersonaStatus }>(sql`SELECT status FROM personas WHERE id = ${personaId}`)?.status ?? null;
}

function setStatus(db: Runner, personaId: number, status: PersonaStatus): void {
  db.update(personas)
    .set({ status, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` })
    .where(eq(personas.id, personaId))
    .run();
}

export interface DecisionInput {
  reviewer: string;
  decision: Verdict;
  reasonCode?: string | null;
  note?: string | null;
  settlement?: boolean;
}

export type SaveResult = { ok: true; decision: ReviewDecision; status: PersonaStatus } | { ok: false; reason: 'persona_not_found' | 'reason_not_found' };

function insertDecision(tx: Runner, personaId: number, input: DecisionInput, batchId: string | null): ReviewDecision | null {
  const before = currentStatus(tx, personaId);
  if (before === null) return null;
  const after = STATUS_OF[input.decision];
  const row = tx
    .insert(reviewDecisions)
    .values({
      personaId,
      reviewer: input.reviewer,
      decision: input.decision,
      reasonCode: input.reasonCode ?? null,
      note: input.note ?? null,
      statusBefore: before,
      statusAfter: after,
      batchId,
      settlement: input.settlement ?? false,
    })
    .returning()
    .get();
  if (before !== after) setStatus(tx, personaId, after);
  return row;
}

function reasonExists(tx: Runner, code: string | null | undefined): boolean {
  if (!code) return true;
  return Boolean(tx.get(sql`SELECT 1 FROM reason_codes WHERE code = ${code}`));
}

/** Appends one decision and sets the persona's status, in one transaction. */
export function saveReviewDecision({ db, personaId, ...input }: DecisionInput & { db: Db; personaId: number }): SaveResult {
  return db.transaction(
    (tx): SaveResult => {
      if (!reasonExists(tx, input.reasonCode)) return { ok: false, reason: 'reason_not_found' };
      const row = insertDecision(tx, personaId, input, null);
      if (!row) return { ok: false, reason: 'persona_not_found' };
      return { ok: true, decision: row, status: row.statusAfter! };
    },
    { behavior: 'immediate' },
  );
}

export type BulkResult =
  | { ok: true; saved: number; changed: number }
  | { ok: false; reason: 'reason_not_found' | 'count_changed'; matched?: number };

/**
 * Appends the same decision for every persona the selection returns (one row each, sharing batchId), in one
 * transaction. `selectIds` runs inside the transaction; when `expectedCount` is given and the selection no longer
 * has that many personas (someone changed them meanwhile), nothing is written.
 */
export function saveBulkDecisions({
  db,
  selectIds,
  expectedCount,
  batchId,
  ...input
}: DecisionInput & { db: Db; selectIds: (tx: Queryable) => number[]; expectedCount?: number; batchId: string }): BulkResult {
  return db.transaction(
    (tx): BulkResult => {
      if (!reasonExists(tx, input.reasonCode)) return { ok: false, reason: 'reason_not_found' };
      const ids = selectIds(tx);
      if (expectedCount !== undefined && ids.length !== expectedCount) return { ok: false, reason: 'count_changed', matched: ids.length };
      let changed = 0;
      for (const id of ids) {
        const row = insertDecision(tx, id, input, batchId)!;
        if (row.statusBefore !== row.statusAfter) changed++;
      }
      return { ok: true, saved: ids.length, changed };
    },
    { behavior: 'immediate' },
  );
}

export type UndoResult =
  | { ok: true; undo: ReviewDecision; undone: ReviewDecision; status: PersonaStatus }
  | { ok: false; reason: 'nothing_to_undo' | 'not_found' | 'not_yours' | 'not_undoable' | 'already_undone' };

/**
 * Undoes a reviewer's decision (the given one, or their latest decision that is still in effect): appends an 'undo'
 * row naming it and sets the persona's status by the status rule. Only the reviewer who made a decision may undo it.
 */
export function undoReviewDecision({ db, reviewer, decisionId }: { db: Db; reviewer: string; decisionId?: number }): UndoResult {
  return db.transaction(
    (tx): UndoResult => {
      const targetId =
        decisionId ??
        tx.get<{ id: number }>(sql`
          SELECT d.id AS id FROM review_decisions d WHERE d.reviewer = ${reviewer} AND ${EFFECTIVE} ORDER BY d.id DESC LIMIT 1`)?.id;
      if (targetId === undefined) return { ok: false, reason: 'nothing_to_undo' };
      const target = tx.select().from(reviewDecisions).where(eq(reviewDecisions.id, targetId)).get();
      if (!target) return { ok: false, reason: 'not_found' };
      if (target.reviewer !== reviewer) return { ok: false, reason: 'not_yours' };
      if (target.decision === 'undo') return { ok: false, reason: 'not_undoable' };
      if (tx.get(sql`SELECT 1 FROM review_decisions WHERE undoes_id = ${target.id}`)) return { ok: false, reason: 'already_undone' };
      const before = currentStatus(tx, target.personaId)!;
      const after = statusFromDecisions(tx, target.personaId, target.id);
      const undo = tx
        .insert(reviewDecisions)
        .values({ personaId: target.personaId, reviewer, decision: 'undo', undoesId: target.id, statusBefore: before, statusAfter: after, settlement: false })
        .returning()
        .get();
      if (after !== before) setStatus(tx, target.personaId, after);
      return { ok: true, undo, undone: target, status: after };
    },
    { behavior: 'immediate' },
  );
}

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

/**
 * The review queues. 'pool': personas that can enter the alignment pool (trait scores, not rejected, not a group
 * revision: the condition of listPoolPersonas in pool.ts); 'drafts': personas without trait scores; 'all': every
 * persona. A queue is further narrowed by a persona filter and the scope extras (pending, second opinion, cursor).
 */
/** The review queues (lib/review/schema.ts REVIEW_QUEUES; a unit test keeps the two equal). */
export type ReviewQueue = 'pool' | 'drafts' | 'all';

const MEASURED = sql`EXISTS (SELECT 1 FROM trait_scores t WHERE t.persona_id = p.id)`;
const QUEUE_WHERE: Record<ReviewQueue, SQL> = {
  pool: sql`${MEASURED} AND p.status <> 'rejected' AND json_extract(p.metadata, '$.groupRevision') IS NULL`,
  drafts: sql`NOT ${MEASURED}`,
  all: sql`1 = 1`,
};

/** Review risk, the order of listPersonas' 'risk' sort: flagged first, then the lowest critic score, then id. */
const RISK_ORDER = sql`CASE WHEN p.status = 'flagged' OR json_array_length(p.flags) > 0 THEN 0 ELSE 1 END,
  coalesce(p.min_critic_score, 1e9), p.id`;

interface QueueArgs {
  db: Db;
  queue: ReviewQueue;
  filter: PersonaQueryFilter;
  extras: FilterExtras;
  runId: number | null;
}

/**
 * The WHERE clause of a queue. Filters on the current run's weights or selection are resolved first (listPersonaIds
 * holds the run's tables) and passed as one JSON array of ids.
 */
function queueWhere({ db, queue, filter, extras, runId }: QueueArgs): SQL {
  const { weightMin, weightMax, selected, ...rest } = filter;
  const parts = [filterWhere(rest, extras), QUEUE_WHERE[queue]];
  if (weightMin !== undefined || weightMax !== undefined || selected !== undefined) {
    const ids = listPersonaIds({ db, filter: { weightMin, weightMax, selected }, runId });
    parts.push(sql`p.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
  }
  return sql.join(parts, sql` AND `);
}

const QUEUE_FROM = sql`FROM personas p LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}`;

/** The ids of the next `limit` personas of a queue, riskiest first (after extras.riskAfter when given). */
export function listQueueIds(args: QueueArgs & { limit: number }): number[] {
  return args.db.all<{ id: number }>(sql`SELECT p.id AS id ${QUEUE_FROM} WHERE ${queueWhere(args)} ORDER BY ${RISK_ORDER} LIMIT ${args.limit}`).map((r) => r.id);
}

/** How many personas a queue holds (ignoring extras.riskAfter: what is left to decide). */
export function countQueue(args: QueueArgs): number {
  const extras = { ...args.extras, riskAfter: undefined };
  return args.db.get<{ n: number }>(sql`SELECT count(*) AS n ${QUEUE_FROM} WHERE ${queueWhere({ ...args, extras })}`)?.n ?? 0;
}
