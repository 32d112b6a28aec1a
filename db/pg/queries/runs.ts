/**
 * Alignment runs on PostgreSQL: the twin of db/queries/runs.ts (same functions, arguments and results, async). The
 * JSON columns (config, persona_ids, weights, selection, metrics, diagnostics, trace) are jsonb; they read back equal
 * to what was written (object keys in jsonb's order). getRunsByIds returns its runs by id, the order SQLite gives
 * them in (primary key) without an ORDER BY.
 *
 * deleteRunRow runs in one transaction and locks the run's row (FOR UPDATE) before looking for exports: an export
 * insert referring to the run (its foreign key takes a KEY SHARE lock on the row) waits for the delete, then fails on
 * its foreign key, or the delete waits for the export and then sees it; never a run deleted under an export.
 */
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { parseStored, runConfigSchema, runDiagnosticsSchema, runMetricsSchema, type RunConfig, type RunDiagnostics, type RunMetrics } from '../../json';
import type * as sqlite from '../../queries/runs';
import type { DeleteRunOutcome } from '../../queries/runs';
import type { AlignmentRun } from '../../schema';
import type { PgDb, PgSession, PgTx } from '../client';
import { alignmentRuns, exports } from '../schema';
import { appendAuditEntry, type AuditEntry } from './audit';

export type { DeleteRunOutcome };

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

export async function insertRun({
  db,
  name,
  seed,
  config,
  targetId,
  groupId,
  jobId,
  createdBy,
}: {
  db: PgSession;
  name: string;
  seed: number;
  config: RunConfig;
  targetId?: number | null;
  groupId?: number | null;
  jobId?: number | null;
  /** The signed-in user who started the run (null without sign-in). */
  createdBy?: string | null;
}): Promise<AlignmentRun> {
  const [row] = await db
    .insert(alignmentRuns)
    .values({ name, seed, config, targetId: targetId ?? null, groupId: groupId ?? null, jobId: jobId ?? null, status: 'running', createdBy: createdBy ?? null })
    .returning();
  return row!;
}

export async function completeRun({
  db,
  id,
  personaIds,
  weights,
  selection,
  metrics,
  diagnostics,
  trace,
}: {
  db: PgSession;
  id: number;
  personaIds: number[];
  weights: number[];
  selection: number[];
  metrics: RunMetrics;
  diagnostics: RunDiagnostics;
  trace: number[];
}): Promise<void> {
  await db
    .update(alignmentRuns)
    .set({ status: 'done', personaIds, weights, selection, metrics, diagnostics, trace, finishedAt: new Date().toISOString() })
    .where(eq(alignmentRuns.id, id));
}

export async function setRunStatus({ db, id, status }: { db: PgSession; id: number; status: 'failed' | 'cancelled' }): Promise<void> {
  await db.update(alignmentRuns).set({ status, finishedAt: new Date().toISOString() }).where(eq(alignmentRuns.id, id));
}

export async function setRunJob({ db, id, jobId }: { db: PgSession; id: number; jobId: number }): Promise<void> {
  await db.update(alignmentRuns).set({ jobId }).where(eq(alignmentRuns.id, id));
}

export async function getRunById({ db, id }: { db: PgSession; id: number }): Promise<AlignmentRun | undefined> {
  const [row] = await db.select().from(alignmentRuns).where(eq(alignmentRuns.id, id)).limit(1);
  return row && readRunJson(row);
}

export async function getRunByJobId({ db, jobId }: { db: PgSession; jobId: number }): Promise<AlignmentRun | undefined> {
  // SQLite's .get() takes the first row the scan finds: the lowest id
  const [row] = await db.select().from(alignmentRuns).where(eq(alignmentRuns.jobId, jobId)).orderBy(alignmentRuns.id).limit(1);
  return row && readRunJson(row);
}

/** A run's id, name, status and creation time (no JSON columns), or undefined. */
export async function getRunHeader({ db, id }: { db: PgSession; id: number }): Promise<ReturnType<typeof sqlite.getRunHeader>> {
  const [row] = await db
    .select({ id: alignmentRuns.id, name: alignmentRuns.name, status: alignmentRuns.status, createdAt: alignmentRuns.createdAt })
    .from(alignmentRuns)
    .where(eq(alignmentRuns.id, id))
    .limit(1);
  return row;
}

/** Recent finished runs, newest first: id, name and creation time (no JSON columns). */
export async function listFinishedRunHeaders({ db, limit = 50 }: { db: PgSession; limit?: number }): Promise<ReturnType<typeof sqlite.listFinishedRunHeaders>> {
  return db
    .select({ id: alignmentRuns.id, name: alignmentRuns.name, createdAt: alignmentRuns.createdAt })
    .from(alignmentRuns)
    .where(eq(alignmentRuns.status, 'done'))
    .orderBy(desc(alignmentRuns.id))
    .limit(limit);
}

/** Recent runs without their large columns (weights, ids, selection). */
export async function listRunSummaries({ db, limit = 50 }: { db: PgSession; limit?: number }): Promise<ReturnType<typeof sqlite.listRunSummaries>> {
  const rows = await db
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
    .limit(limit);
  return rows.map(readRunJson);
}

/** The runs with these ids, by id. */
export async function getRunsByIds({ db, ids }: { db: PgSession; ids: number[] }): Promise<AlignmentRun[]> {
  return (await db.select().from(alignmentRuns).where(inArray(alignmentRuns.id, ids)).orderBy(alignmentRuns.id)).map(readRunJson);
}

/**
 * Deletes a run and appends the audit entry in one transaction (all or nothing). A run that exports refer to is
 * not deleted (the exports' run_id is a foreign key; the check runs inside the transaction, the run's row locked).
 */
export async function deleteRunRow({ db, id, audit }: { db: PgDb | PgTx; id: number; audit: AuditEntry }): Promise<DeleteRunOutcome> {
  return (db as PgDb).transaction(async (tx): Promise<DeleteRunOutcome> => {
    const found = await tx.execute(sql`SELECT id FROM alignment_runs WHERE id = ${id} FOR UPDATE`);
    if (found.rows.length === 0) return { deleted: false, reason: 'not_found' };
    const exportIds = (await tx.select({ id: exports.id }).from(exports).where(eq(exports.runId, id)).orderBy(exports.id)).map((r) => r.id);
    if (exportIds.length) return { deleted: false, reason: 'has_exports', exportIds };
    await tx.delete(alignmentRuns).where(eq(alignmentRuns.id, id));
    await appendAuditEntry({ db: tx, entry: audit });
    return { deleted: true };
  });
}
