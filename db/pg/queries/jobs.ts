/**
 * Persisted jobs on PostgreSQL: the twin of db/queries/jobs.ts (same functions, arguments and results, async, on a
 * PgDb, PgTx or PgSession). Timestamps are the caller's clock in the same ISO text form as on SQLite; params and
 * result are jsonb, read back through the same zod schemas (db/json.ts).
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { jobParamsSchema, jobResultSchema, parseStored, type JobParams, type JobResult, type JobRunner } from '../../json';
import type { Job, JobStatus } from '../../schema';
import type { PgSession } from '../client';
import { jobs } from '../schema';

const now = () => new Date().toISOString();

/** A job row with its params and result parsed (db/json.ts). */
function readJob(row: Job): Job {
  const at = (column: string) => ({ table: 'job', id: row.id, column });
  return { ...row, params: parseStored(jobParamsSchema, row.params, at('params')), result: row.result === null ? null : parseStored(jobResultSchema, row.result, at('result')) };
}

export async function insertJob({ db, kind, params }: { db: PgSession; kind: string; params: JobParams }): Promise<Job> {
  const [row] = await db.insert(jobs).values({ kind, params, status: 'queued' }).returning();
  return readJob(row!);
}

export async function getJobRow({ db, id }: { db: PgSession; id: number }): Promise<Job | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  return row && readJob(row);
}

export async function listJobRows({ db, limit = 50, kind }: { db: PgSession; limit?: number; kind?: string }): Promise<Job[]> {
  const q = db.select().from(jobs);
  return (await (kind ? q.where(eq(jobs.kind, kind)) : q).orderBy(desc(jobs.id)).limit(limit)).map(readJob);
}

/** Jobs that did not finish: queued, running or cancelling (after a crash these have no runner). */
export async function listUnfinishedJobRows({ db, kind }: { db: PgSession; kind?: string }): Promise<Job[]> {
  const unfinished = inArray(jobs.status, ['queued', 'running', 'cancelling'] as JobStatus[]);
  const rows = await db
    .select()
    .from(jobs)
    .where(kind ? and(unfinished, eq(jobs.kind, kind)) : unfinished)
    .orderBy(jobs.id);
  return rows.map(readJob);
}

/** Marks a job as running (keeps done/total from an earlier run so progress continues). */
export async function markJobRunning({ db, id, runner }: { db: PgSession; id: number; runner: JobRunner }): Promise<void> {
  const t = now();
  await db
    .update(jobs)
    .set({ status: 'running', startedAt: t, updatedAt: t, error: null, finishedAt: null, result: { _runner: runner } })
    .where(eq(jobs.id, id));
}

export async function updateJobProgress({
  db,
  id,
  done,
  total,
  failures,
}: {
  db: PgSession;
  id: number;
  done: number;
  total: number;
  failures: number;
}): Promise<void> {
  await db.update(jobs).set({ done, total, failures, updatedAt: now() }).where(eq(jobs.id, id));
}

/**
 * Sets the status only when the job is currently in one of `from` (compare-and-set); returns whether it changed.
 * The check and the write are one UPDATE: a concurrent writer of the same row waits for it and then re-checks the
 * committed status (READ COMMITTED), so of two compare-and-sets from the same status only one changes the row.
 */
export async function setJobStatus({
  db,
  id,
  status,
  from,
  error,
  result,
  finished = false,
}: {
  db: PgSession;
  id: number;
  status: JobStatus;
  from?: readonly JobStatus[];
  error?: string | null;
  result?: JobResult | null;
  finished?: boolean;
}): Promise<boolean> {
  const t = now();
  const set: Partial<Job> = { status, updatedAt: t };
  if (error !== undefined) set.error = error;
  if (result !== undefined) set.result = result;
  if (finished) set.finishedAt = t;
  const cond = from ? and(eq(jobs.id, id), inArray(jobs.status, [...from])) : eq(jobs.id, id);
  return (await db.update(jobs).set(set).where(cond).returning({ id: jobs.id })).length > 0;
}

/** Makes a finished job queued again with no progress, error or result (a job of units planned afresh). */
export async function resetJobForRun({ db, id }: { db: PgSession; id: number }): Promise<void> {
  await db
    .update(jobs)
    .set({ status: 'queued', done: 0, total: 0, failures: 0, error: null, result: null, startedAt: null, finishedAt: null, updatedAt: now() })
    .where(eq(jobs.id, id));
}
