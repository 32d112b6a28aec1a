/** Alignment runs: created when a run starts, completed (or failed) in one write, deleted with an audit entry. */
import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { parseStored, runConfigSchema, runDiagnosticsSchema, runMetricsSchema, type RunConfig, type RunDiagnostics, type RunMetrics } from '../json';
import { alignmentRuns, exports, type AlignmentRun } from '../schema';
import { appendAuditEntry, type AuditEntry } from './audit';

type RunJson = Pick<AlignmentRun, 'id' | 'config' | 'metrics' | 'diagnostics'>;

/** A run row with its JSON columns (config, metrics, diagnostics) parsed by their schemas in db/json.ts. */
export function readRunJson<R extends RunJson>(row: R): R {
  const at = (column: string) => ({ table: 'alignment run', id: row.id, column });
  return {
    ...row,
    config: parseStored(runConfigSchema, row.config, at('config')),
    metrics: row.metrics === null ? null : parseStored(runMetricsSchema, row.metrics, at('metrics')),
    diagnostics: row.diagnostics === null ? null : parseStored(runDiagnosticsSchema, row.diagnostics, at('diagnostics')),
  };
}

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
  config: RunConfig;
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
  metrics: RunMetrics;
  diagnostics: RunDiagnostics;
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

export function getRunById({ db, id }: { db: Db; id: number }): AlignmentRun | undefined {
  const row = db.select().from(alignmentRuns).where(eq(alignmentRuns.id, id)).get();
  return row && readRunJson(row);
}

export function getRunByJobId({ db, jobId }: { db: Db; jobId: number }): AlignmentRun | undefined {
  const row = db.select().from(alignmentRuns).where(eq(alignmentRuns.jobId, jobId)).get();
  return row && readRunJson(row);
}

/** A run's id, name, status and creation time (no JSON columns), or undefined. */
export function getRunHeader({ db, id }: { db: Db; id: number }) {
  return db
    .select({ id: alignmentRuns.id, name: alignmentRuns.name, status: alignmentRuns.status, createdAt: alignmentRuns.createdAt })
    .from(alignmentRuns)
    .where(eq(alignmentRuns.id, id))
    .get();
}

/** Recent finished runs, newest first: id, name and creation time (no JSON columns). */
export function listFinishedRunHeaders({ db, limit = 50 }: { db: Db; limit?: number }) {
  return db
    .select({ id: alignmentRuns.id, name: alignmentRuns.name, createdAt: alignmentRuns.createdAt })
    .from(alignmentRuns)
    .where(eq(alignmentRuns.status, 'done'))
    .orderBy(desc(alignmentRuns.id))
    .limit(limit)
    .all();
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
    .all()
    .map(readRunJson);
}

export function getRunsByIds({ db, ids }: { db: Db; ids: number[] }): AlignmentRun[] {
  return db.select().from(alignmentRuns).where(inArray(alignmentRuns.id, ids)).all().map(readRunJson);
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
