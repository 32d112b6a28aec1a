/** Alignment runs: created when a run starts, completed (or failed) in one write, deleted with an audit entry. */
import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { alignmentRuns, exports, type AlignmentRun } from '../schema';
import { appendAuditEntry, type AuditEntry } from './audit';

export function insertRun({
  db,
  name,
  seed,
  config,
  targetId,
  groupId,
  jobId,
  createdBy,
}: {
  db: Db;
  name: string;
  seed: number;
  config: Record<string, unknown>;
  targetId?: number | null;
  groupId?: number | null;
  jobId?: number | null;
  /** The signed-in user who started the run (null without sign-in). */
  createdBy?: string | null;
}): AlignmentRun {
  return db
    .insert(alignmentRuns)
    .values({ name, seed, config, targetId: targetId ?? null, groupId: groupId ?? null, jobId: jobId ?? null, status: 'running', createdBy: createdBy ?? null })
    .returning()
    .get();
}

export function completeRun({
  db,
  id,
  personaIds,
  weights,
  selection,
  metrics,
  diagnostics,
  trace,
}: {
  db: Db;
  id: number;
  personaIds: number[];
  weights: number[];
  selection: number[];
  metrics: Record<string, unknown>;
  diagnostics: Record<string, unknown>;
  trace: number[];
}): void {
  db.update(alignmentRuns)
    .set({ status: 'done', personaIds, weights, selection, metrics, diagnostics, trace, finishedAt: new Date().toISOString() })
    .where(eq(alignmentRuns.id, id))
    .run();
}

export function setRunStatus({ db, id, status }: { db: Db; id: number; status: 'failed' | 'cancelled' }): void {
  db.update(alignmentRuns).set({ status, finishedAt: new Date().toISOString() }).where(eq(alignmentRuns.id, id)).run();
}

export function setRunJob({ db, id, jobId }: { db: Db; id: number; jobId: number }): void {
  db.update(alignmentRuns).set({ jobId }).where(eq(alignmentRuns.id, id)).run();
}

export function getRunById({ db, id }: { db: Db; id: number }) {
  return db.select().from(alignmentRuns).where(eq(alignmentRuns.id, id)).get();
}

export function getRunByJobId({ db, jobId }: { db: Db; jobId: number }) {
  return db.select().from(alignmentRuns).where(eq(alignmentRuns.jobId, jobId)).get();
}

/** Recent runs without their large columns (weights, ids, selection). */
export function listRunSummaries({ db, limit = 50 }: { db: Db; limit?: number }) {
  return db
    .select({
      id: alignmentRuns.id,
      name: alignmentRuns.name,
      status: alignmentRuns.status,
      seed: alignmentRuns.seed,
      config: alignmentRuns.config,
      metrics: alignmentRuns.metrics,
      diagnostics: alignmentRuns.diagnostics,
      trace: alignmentRuns.trace,
      createdAt: alignmentRuns.createdAt,
      finishedAt: alignmentRuns.finishedAt,
      jobId: alignmentRuns.jobId,
      createdBy: alignmentRuns.createdBy,
    })
    .from(alignmentRuns)
    .orderBy(desc(alignmentRuns.id))
    .limit(limit)
    .all();
}

export function getRunsByIds({ db, ids }: { db: Db; ids: number[] }) {
  return db.select().from(alignmentRuns).where(inArray(alignmentRuns.id, ids)).all();
}

export type DeleteRunOutcome = { deleted: true } | { deleted: false; reason: 'not_found' } | { deleted: false; reason: 'has_exports'; exportIds: number[] };

/**
 * Deletes a run and appends the audit entry in one transaction (all or nothing). A run that exports refer to is
 * not deleted (the exports' run_id is a foreign key; the check runs inside the transaction).
 */
export function deleteRunRow({ db, id, audit }: { db: Db; id: number; audit: AuditEntry }): DeleteRunOutcome {
  return db.transaction((tx): DeleteRunOutcome => {
    if (!tx.select({ id: alignmentRuns.id }).from(alignmentRuns).where(eq(alignmentRuns.id, id)).get()) return { deleted: false, reason: 'not_found' };
    const exportIds = tx
      .select({ id: exports.id })
      .from(exports)
      .where(eq(exports.runId, id))
      .orderBy(exports.id)
      .all()
      .map((r) => r.id);
    if (exportIds.length) return { deleted: false, reason: 'has_exports', exportIds };
    tx.delete(alignmentRuns).where(eq(alignmentRuns.id, id)).run();
    appendAuditEntry({ db: tx, entry: audit });
    return { deleted: true };
  });
}
