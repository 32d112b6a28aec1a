/**
 * Review decisions on PostgreSQL: the twin of db/queries/review.ts (same functions, arguments, results and status
 * rule; async, on a PgDb or PgTx). Decisions are append-only rows (triggers refuse UPDATE, DELETE and TRUNCATE on
 * review_decisions), each written together with the persona's new status in one transaction.
 *
 * How concurrent writers are serialised (SQLite takes the one write lock with an IMMEDIATE transaction):
 * - every review write first takes the review advisory lock of its transaction: shared by single decisions and
 *   undos, exclusive for a bulk decision (whose selection and count must not change under it, as on SQLite);
 * - a single decision or undo then locks the persona's row (SELECT ... FOR UPDATE) before reading its status, so
 *   two reviewers deciding on the same persona at the same moment are serialised and neither decision is lost,
 *   while decisions on different personas run side by side;
 * - an undo of "my latest decision" that finds, once the persona is locked, that a concurrent undo took the same
 *   decision, picks the next latest again (what it would have found after that undo on SQLite).
 *
 * Status rule (db/queries/review.ts): a persona's status is that of its latest accept/reject decision that has not
 * been undone; with none left, its pre-review status.
 */
import { eq, sql } from 'drizzle-orm';
import type { PersonaStatus, ReviewDecision } from '../../schema';
import type { BulkResult, DecisionInput, SaveResult, UndoResult, Verdict } from '../../queries/review';
import type { PgDb, PgSession, PgTx } from '../client';
import { personas, reasonCodes, reviewDecisions } from '../schema';

export type { DecisionRow } from '../../queries/reviewLog';

/** Where the twins run: the pool's database or a transaction (SQLite: Db | Tx). */
export type PgRunner = PgDb | PgTx;

const STATUS_OF: Record<Verdict, PersonaStatus> = { accept: 'accepted', reject: 'rejected' };

/** SQL condition: decision row `d` is an accept/reject that no undo row points at (the same text as on SQLite). */
export const EFFECTIVE = sql`d.decision IN ('accept', 'reject') AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d.id)`;

/** SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', 'now'): UTC, milliseconds, a trailing Z (the statement's time). */
export const ISO_NOW = sql`to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The advisory lock key of review writes ('review' read as bytes). */
const REVIEW_LOCK = sql`${'125780103882103'}::bigint`;

async function first<T>(db: PgSession, query: ReturnType<typeof sql>): Promise<T | undefined> {
  return (await db.execute<T & Record<string, unknown>>(query)).rows[0] as T | undefined;
}

/** Runs `fn` in a transaction (a savepoint when `db` is already one). */
function inTransaction<T>(db: PgRunner, fn: (tx: PgTx) => Promise<T>): Promise<T> {
  return (db as PgDb).transaction(fn);
}

export async function listReasonCodes({ db }: { db: PgRunner }) {
  return db.select().from(reasonCodes).orderBy(reasonCodes.position);
}

/** The status before any review decision (see preReviewStatus in db/queries/review.ts). */
async function preReviewStatus(db: PgSession, personaId: number): Promise<PersonaStatus> {
  const firstStatus = (
    await first<{ status: PersonaStatus | null }>(
      db,
      sql`SELECT status_before AS status FROM review_decisions WHERE persona_id = ${personaId} ORDER BY id LIMIT 1`,
    )
  )?.status;
  if (firstStatus === 'draft' || firstStatus === 'measured' || firstStatus === 'flagged') return firstStatus;
  const r = await first<{ flagged: boolean; measured: boolean }>(
    db,
    sql`SELECT jsonb_array_length(p.flags) > 0 AS flagged,
      EXISTS (SELECT 1 FROM trait_scores t WHERE t.persona_id = p.id) AS measured
    FROM personas p WHERE p.id = ${personaId}`,
  );
  if (!r) return 'draft';
  return r.flagged ? 'flagged' : r.measured ? 'measured' : 'draft';
}

/**
 * The status that follows from the decision log, optionally as if one more decision (`ignoring`, about to be undone)
 * were not there.
 */
export async function statusFromDecisions(db: PgSession, personaId: number, ignoring?: number): Promise<PersonaStatus> {
  const latest = await first<{ decision: Verdict }>(
    db,
    sql`SELECT d.decision AS decision FROM review_decisions d WHERE d.persona_id = ${personaId} AND ${EFFECTIVE}
      AND d.id <> ${ignoring ?? -1}
    ORDER BY d.id DESC LIMIT 1`,
  );
  return latest ? STATUS_OF[latest.decision] : preReviewStatus(db, personaId);
}

/** The persona's status, its row locked until the transaction ends; null when there is no such persona. */
async function lockedStatus(tx: PgTx, personaId: number): Promise<PersonaStatus | null> {
  return (await first<{ status: PersonaStatus }>(tx, sql`SELECT status FROM personas WHERE id = ${personaId} FOR UPDATE`))?.status ?? null;
}

async function setStatus(tx: PgTx, personaId: number, status: PersonaStatus): Promise<void> {
  await tx.update(personas).set({ status, updatedAt: ISO_NOW }).where(eq(personas.id, personaId));
}

async function insertDecision(tx: PgTx, personaId: number, input: DecisionInput, batchId: string | null): Promise<ReviewDecision | null> {
  const before = await lockedStatus(tx, personaId);
  if (before === null) return null;
  const after = STATUS_OF[input.decision];
  const [row] = await tx
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
    .returning();
  if (before !== after) await setStatus(tx, personaId, after);
  return row!;
}

async function reasonExists(tx: PgTx, code: string | null | undefined): Promise<boolean> {
  if (!code) return true;
  return Boolean(await first(tx, sql`SELECT 1 FROM reason_codes WHERE code = ${code}`));
}

/** Appends one decision and sets the persona's status, in one transaction. */
export async function saveReviewDecision({ db, personaId, ...input }: DecisionInput & { db: PgRunner; personaId: number }): Promise<SaveResult> {
  return inTransaction(db, async (tx): Promise<SaveResult> => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${REVIEW_LOCK})`);
    if (!(await reasonExists(tx, input.reasonCode))) return { ok: false, reason: 'reason_not_found' };
    const row = await insertDecision(tx, personaId, input, null);
    if (!row) return { ok: false, reason: 'persona_not_found' };
    return { ok: true, decision: row, status: row.statusAfter! };
  });
}

/**
 * Appends the same decision for every persona the selection returns (one row each, sharing batchId), in one
 * transaction holding the review lock exclusively. `selectIds` runs inside the transaction (on PostgreSQL it is
 * async: pass the pg listPersonaIds, db/pg/queries/personas.ts); when `expectedCount` is given and the selection no
 * longer has that many personas, nothing is written.
 */
export async function saveBulkDecisions({
  db,
  selectIds,
  expectedCount,
  batchId,
  ...input
}: DecisionInput & { db: PgRunner; selectIds: (tx: PgTx) => Promise<number[]> | number[]; expectedCount?: number; batchId: string }): Promise<BulkResult> {
  return inTransaction(db, async (tx): Promise<BulkResult> => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${REVIEW_LOCK})`);
    if (!(await reasonExists(tx, input.reasonCode))) return { ok: false, reason: 'reason_not_found' };
    const ids = await selectIds(tx);
    if (expectedCount !== undefined && ids.length !== expectedCount) return { ok: false, reason: 'count_changed', matched: ids.length };
    let changed = 0;
    for (const id of ids) {
      const row = (await insertDecision(tx, id, input, batchId))!;
      if (row.statusBefore !== row.statusAfter) changed++;
    }
    return { ok: true, saved: ids.length, changed };
  });
}

/**
 * Undoes a reviewer's decision (the given one, or their latest decision that is still in effect): appends an 'undo'
 * row naming it and sets the persona's status by the status rule. Only the reviewer who made a decision may undo it.
 */
export async function undoReviewDecision({ db, reviewer, decisionId }: { db: PgRunner; reviewer: string; decisionId?: number }): Promise<UndoResult> {
  return inTransaction(db, async (tx): Promise<UndoResult> => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${REVIEW_LOCK})`);
    for (;;) {
      const targetId =
        decisionId ??
        (
          await first<{ id: number }>(
            tx,
            sql`SELECT d.id AS id FROM review_decisions d WHERE d.reviewer = ${reviewer} AND ${EFFECTIVE} ORDER BY d.id DESC LIMIT 1`,
          )
        )?.id;
      if (targetId === undefined) return { ok: false, reason: 'nothing_to_undo' };
      const [target] = await tx.select().from(reviewDecisions).where(eq(reviewDecisions.id, targetId));
      if (!target) return { ok: false, reason: 'not_found' };
      if (target.reviewer !== reviewer) return { ok: false, reason: 'not_yours' };
      if (target.decision === 'undo') return { ok: false, reason: 'not_undoable' };
      // Lock the persona before checking for an undo: a concurrent undo of the same decision has committed by now.
      const before = (await lockedStatus(tx, target.personaId))!;
      if (await first(tx, sql`SELECT 1 FROM review_decisions WHERE undoes_id = ${target.id}`)) {
        if (decisionId === undefined) continue;
        return { ok: false, reason: 'already_undone' };
      }
      const after = await statusFromDecisions(tx, target.personaId, target.id);
      const [undo] = await tx
        .insert(reviewDecisions)
        .values({ personaId: target.personaId, reviewer, decision: 'undo', undoesId: target.id, statusBefore: before, statusAfter: after, settlement: false })
        .returning();
      if (after !== before) await setStatus(tx, target.personaId, after);
      return { ok: true, undo: undo!, undone: target, status: after };
    }
  });
}
