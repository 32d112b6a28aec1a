/** Persisted jobs: long work with progress, cancel and resume (see lib/jobs). */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { jobParamsSchema, jobResultSchema, parseStored, type JobParams, type JobResult, type JobRunner } from '../json';
import { jobs, type Job, type JobStatus } from '../schema';

const now = () => new Date().toISOString();

/** A job row with its params and result parsed (db/json.ts). */
function readJob(row: Job): Job {
  const at = (column: string) => ({ table: 'job', id: row.id, column });
  return { ...row, params: parseStored(jobParamsSchema, row.params, at('params')), result: row.result === null ? null : parseStored(jobResultSchema, row.result, at('result')) };
}

export function insertJob({ db, kind, params }: { db: Db; kind: string; params: JobParams }): Job {
  return readJob(db.insert(jobs).values({ kind, params, status: 'queued' }).returning().get());
}

export function getJobRow({ db, id }: { db: Db; id: number }): Job | undefined {
  const row = db.select().from(jobs).where(eq(jobs.id, id)).get();
  return row && readJob(row);
}

export function listJobRows({ db, limit = 50, kind }: { db: Db; limit?: number; kind?: string }): Job[] {
  const q = db.select().from(jobs);
  return (kind ? q.where(eq(jobs.kind, kind)) : q).orderBy(desc(jobs.id)).limit(limit).all().map(readJob);
}

/** Jobs that did not finish: queued, running or cancelling (after a crash these have no runner). */
export function listUnfinishedJobRows({ db, kind }: { db: Db; kind?: string }): Job[] {
  const unfinished = inArray(jobs.status, ['queued', 'running', 'cancelling'] as JobStatus[]);
  return db
    .select()
    .from(jobs)
    .where(kind ? and(unfinished, eq(jobs.kind, kind)) : unfinished)
    .orderBy(jobs.id)
    .all()
    .map(readJob);
}

/** Marks a job as running (keeps done/total from an earlier run so progress continues). */
export function markJobRunning({ db, id, runner }: { db: Db; id: number; runner: JobRunner }): void {
  const t = now();
  db.update(jobs)
    .set({ status: 'running', startedAt: t, updatedAt: t, error: null, finishedAt: null, result: { _runner: runner } })
    .where(eq(jobs.id, id))
    .run();
}

export function updateJobProgress({
  db,
  id,
  done,
  total,
  failures,
}: {
  db: Db;
  id: number;
  done: number;
  total: number;
  failures: number;
}): void {
  db.update(jobs).set({ done, total, failures, updatedAt: now() }).where(eq(jobs.id, id)).run();
}

/** Sets the status only when the job is currently in one of `from` (compare-and-set); returns whether it changed. */
export function setJobStatus({
  db,
  id,
  status,
  from,
  error,
  result,
  finished = false,
}: {
  db: Db;
  id: number;
  status: JobStatus;
  from?: readonly JobStatus[];
  error?: string | null;
  result?: JobResult | null;
  finished?: boolean;
}): boolean {
  const t = now();
  const set: Partial<Job> = { status, updatedAt: t };
  if (error !== undefined) set.error = error;
  if (result !== undefined) set.result = result;
  if (finished) set.finishedAt = t;
  const cond = from ? and(eq(jobs.id, id), inArray(jobs.status, [...from])) : eq(jobs.id, id);
  return db.update(jobs).set(set).where(cond).run().changes > 0;
}

/** Makes a finished job queued again with no progress, error or result (a job of units planned afresh). */
export function resetJobForRun({ db, id }: { db: Db; id: number }): void {
  db.update(jobs)
    .set({ status: 'queued', done: 0, total: 0, failures: 0, error: null, result: null, startedAt: null, finishedAt: null, updatedAt: now() })
    .where(eq(jobs.id, id))
    .run();
}
