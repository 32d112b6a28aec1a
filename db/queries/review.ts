/**
 * Review decisions: append-only rows (the database refuses UPDATE and DELETE on review_decisions), each written
 * together with the persona's new status in one IMMEDIATE transaction, so two reviewers deciding at the same moment
 * (even from two processes) are serialised and neither decision is lost.
 *
 * Status rule: a persona's status is that of its latest accept/reject decision that has not been undone
 * ('accept' -> accepted, 'reject' -> rejected). With none left, it is the pre-review status: the status recorded
 * before the persona's first decision, or (without one) 'flagged' when it has flags, else 'measured' when it has trait
 * scores, else 'draft'.
 *
 * The audit trail is read in reviewLog.ts, the review queues in reviewQueue.ts.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { personas, reasonCodes, reviewDecisions, type PersonaStatus, type ReviewDecision } from '../schema';

/** The audit trail's row, read in reviewLog.ts (the decision table imports it from here). */
export type { DecisionRow } from './reviewLog';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Runner = Db | Tx;
/** Anything that runs read queries: the connection or a transaction. */
export type Queryable = Pick<Db, 'all' | 'get'>;

export type Verdict = 'accept' | 'reject';

const STATUS_OF: Record<Verdict, PersonaStatus> = { accept: 'accepted', reject: 'rejected' };

/** SQL condition: decision row `d` is an accept/reject that no undo row points at. */
export const EFFECTIVE = sql`d.decision IN ('accept', 'reject') AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d.id)`;

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
