/**
 * The generic job runner: persisted long work (generation, measurement, alignment) that runs in-process, reports
 * throttled progress, can be cancelled, and is resumed after a crash.
 *
 * A job kind is a value, `jobKind(kind, handler)`, declared by the domain that owns the work (lib/pipeline/jobs.ts,
 * lib/studio/runs.ts, lib/groups/revise.ts); this module imports none of them. `startJob(kind, params)` stores a
 * 'queued' row and runs the kind's handler in the background; `resumeJobs(table)` is handed the static table of every
 * kind (`{ [kind]: handler }`, lib/server/jobTable.ts) by its caller. The handler reports progress with
 * `ctx.progress({ done, total, failures })` (absolute values), watches `ctx.signal` for cancellation, and must be
 * idempotent: on resume it is called again with the same params and skips work that is already stored.
 *
 * Cross-process: the running process writes `{ pid, host }` into the job's result (`_runner`) so that another
 * process (the server while the CLI runs a job, or the reverse) does not resume a job that is still alive, and a
 * cancel requested by another process is noticed at the next progress write.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { getDb, type Db } from '../../db/client';
import {
  getJobRow,
  insertJob,
  listJobRows,
  listUnfinishedJobRows,
  markJobRunning,
  setJobStatus,
  updateJobProgress,
} from '../../db/queries/jobs';
import { jobRunnerSchema, type JobRunner } from '../../db/json';
import type { Job, JobStatus } from '../../db/schema';
import { AppError } from '../errors';

export interface JobProgressUpdate {
  done?: number;
  total?: number;
  failures?: number;
}

export interface JobContext<P = Record<string, unknown>> {
  jobId: number;
  params: P;
  signal: AbortSignal;
  progress(update: JobProgressUpdate): void;
  db: Db;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobHandler<P = any> = (ctx: JobContext<P>) => Promise<Record<string, unknown> | void>;

/** A job kind: the name stored in the job row and the handler that runs it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface JobKind<P = any> {
  readonly kind: string;
  readonly handler: JobHandler<P>;
}

/** Every job kind a process can resume: `{ [kind]: handler }`. */
export type JobTable = Readonly<Record<string, JobHandler>>;

/** Declares a job kind (a plain value: nothing is registered). */
export function jobKind<P>(kind: string, handler: JobHandler<P>): JobKind<P> {
  return { kind, handler };
}

/** The table `{ [kind]: handler }` of some job kinds; a kind named twice is a programming error. */
export function jobTableOf(kinds: readonly JobKind[]): JobTable {
  const table: Record<string, JobHandler> = {};
  for (const k of kinds) {
    if (k.kind in table) throw new Error(`The job kind "${k.kind}" is declared twice.`);
    table[k.kind] = k.handler;
  }
  return Object.freeze(table);
}

/** The process running a job: pid, host, when it started and the progress it started from. */
export type JobRunnerInfo = JobRunner;

/** A job as the API and the UI see it: the stored row plus derived rate (units per second) and time left. */
export interface JobView {
  id: number;
  kind: string;
  status: JobStatus;
  params: Record<string, unknown>;
  done: number;
  total: number;
  failures: number;
  error: string | null;
  result: Record<string, unknown> | null;
  createdAt: string;
  startedAt: string | null;
  updatedAt: string;
  finishedAt: string | null;
  /** done / total in [0, 1], null while the total is unknown. */
  fraction: number | null;
  /** Units per second during the current run (null when not running or too early to tell). */
  rate: number | null;
  /** Estimated seconds left (null when unknown). */
  secondsLeft: number | null;
  /** Whether this process is running the job right now. */
  activeHere: boolean;
}

interface RunningJob {
  controller: AbortController;
  progress: { done: number; total: number; failures: number };
  timer: ReturnType<typeof setTimeout> | null;
  db: Db;
}

type ActiveJob = RunningJob & { promise: Promise<JobView> };

interface RunnerState {
  active: Map<number, ActiveJob>;
  throttleMs: number;
}

// One state per process, shared by every bundle that includes this module (instrumentation, route handlers).
const g = globalThis as { populaceJobRunner?: RunnerState };
const state: RunnerState = (g.populaceJobRunner ??= {
  active: new Map(),
  throttleMs: Number(process.env.POPULACE_JOB_PROGRESS_MS ?? 500),
});

const TERMINAL: readonly JobStatus[] = ['cancelled', 'failed', 'done'];

/** Sets how often progress is written to the database (ms); tests use small values. */
export function setProgressThrottle(ms: number): void {
  state.throttleMs = ms;
}

function runnerOf(row: Job): JobRunnerInfo | null {
  const r = jobRunnerSchema.safeParse(row.result?._runner);
  return r.success ? r.data : null;
}

/** Whether another live process on this host runs the job. */
function runningElsewhere(row: Job): boolean {
  const r = runnerOf(row);
  if (!r || r.host !== os.hostname() || r.pid === process.pid) return false;
  try {
    process.kill(r.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(r.pid);
}

/**
 * A killed process whose parent has not collected it yet (state Z in /proc/PID/stat on Linux) still answers
 * kill(pid, 0) but runs nothing: e.g. a server killed together with its parent and left for init to reap.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

function toView(row: Job): JobView {
  const active = state.active.get(row.id);
  const done = active ? active.progress.done : row.done;
  const total = active ? active.progress.total : row.total;
  const failures = active ? active.progress.failures : row.failures;
  const runner = runnerOf(row);
  let rate: number | null = null;
  let secondsLeft: number | null = null;
  if ((row.status === 'running' || row.status === 'cancelling') && runner) {
    const elapsed = (Date.now() - Date.parse(runner.startedAt)) / 1000;
    const did = done - runner.doneAtStart;
    if (elapsed > 0.5 && did > 0) {
      rate = did / elapsed;
      secondsLeft = total > done ? (total - done) / rate : 0;
    }
  }
  let result = row.result ?? null;
  if (result && '_runner' in result) {
    const { _runner, ...rest } = result;
    void _runner;
    result = Object.keys(rest).length ? rest : null;
  }
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    params: row.params,
    done,
    total,
    failures,
    error: row.error,
    result,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    updatedAt: row.updatedAt ?? row.createdAt,
    finishedAt: row.finishedAt,
    fraction: total > 0 ? Math.min(1, done / total) : null,
    rate,
    secondsLeft,
    activeHere: Boolean(active),
  };
}

function notFound(id: number): AppError {
  return new AppError('job_not_found', `There is no job ${id}.`, 404);
}

/** One job with derived rate and time left. */
export function getJob(id: number, db: Db = getDb()): JobView {
  const row = getJobRow({ db, id });
  if (!row) throw notFound(id);
  return toView(row);
}

/** The most recent jobs first. */
export function listJobs({ limit = 50, kind, db = getDb() }: { limit?: number; kind?: string; db?: Db } = {}): JobView[] {
  return listJobRows({ db, limit, kind }).map(toView);
}

/** Persists a queued job of this kind and runs it in this process without waiting. */
export function startJob<P extends Record<string, unknown>>(job: JobKind<P>, params: P, db: Db = getDb()): JobView {
  const row = insertJob({ db, kind: job.kind, params });
  launch(row.id, db, job.handler);
  return toView(getJobRow({ db, id: row.id })!);
}

/**
 * Runs (or resumes) a stored job of this kind in this process and waits for it to end. Used by the CLI and tests.
 * A job of another kind is refused (400).
 */
export function runJob(id: number, job: JobKind, db: Db = getDb()): Promise<JobView> {
  const row = getJobRow({ db, id });
  if (!row) throw notFound(id);
  if (row.kind !== job.kind) throw new AppError('wrong_job_kind', `Job ${id} is a ${row.kind} job, not ${job.kind}.`, 400);
  if (TERMINAL.includes(row.status) && row.status !== 'failed' && row.status !== 'cancelled') {
    return Promise.resolve(toView(row));
  }
  if (row.status !== 'queued' && !state.active.has(id)) setJobStatus({ db, id, status: 'queued', error: null });
  return launch(id, db, job.handler);
}

/** Waits for a job that runs in this process; resolves at once with the stored state otherwise. */
export function waitForJob(id: number, db: Db = getDb()): Promise<JobView> {
  return state.active.get(id)?.promise ?? Promise.resolve(getJob(id, db));
}

/** Requests cancellation: the handler sees its signal aborted; a job nobody runs is cancelled at once. */
export function cancelJob(id: number, db: Db = getDb()): JobView {
  const row = getJobRow({ db, id });
  if (!row) throw notFound(id);
  if (TERMINAL.includes(row.status)) return toView(row);
  const active = state.active.get(id);
  if (active) {
    setJobStatus({ db, id, status: 'cancelling', from: ['queued', 'running'] });
    active.controller.abort(new JobCancelledError(id));
  } else if (runningElsewhere(row)) {
    // the other process notices 'cancelling' at its next progress write
    setJobStatus({ db, id, status: 'cancelling', from: ['queued', 'running'] });
  } else {
    setJobStatus({ db, id, status: 'cancelled', finished: true });
  }
  return toView(getJobRow({ db, id })!);
}

export class JobCancelledError extends Error {
  constructor(id: number) {
    super(`Job ${id} was cancelled.`);
    this.name = 'JobCancelledError';
  }
}

/**
 * Called at server start with the table of every job kind (instrumentation.ts): re-queues and runs, on `db`, jobs
 * left 'queued' or 'running' by a process that is gone; finishes the cancellation of jobs left 'cancelling'. A job
 * whose kind is not in the table (a kind this version no longer has) is marked failed with that reason. Returns the
 * ids that were resumed.
 */
export function resumeJobs(table: JobTable, db: Db = getDb()): number[] {
  const ids: number[] = [];
  for (const row of listUnfinishedJobRows({ db })) {
    if (state.active.has(row.id) || runningElsewhere(row)) continue;
    if (row.status === 'cancelling') {
      setJobStatus({ db, id: row.id, status: 'cancelled', finished: true });
      continue;
    }
    const handler = Object.hasOwn(table, row.kind) ? table[row.kind] : undefined;
    if (!handler) {
      setJobStatus({ db, id: row.id, status: 'failed', error: `No job kind "${row.kind}" is known to this version.`, finished: true });
      continue;
    }
    if (row.status !== 'queued') setJobStatus({ db, id: row.id, status: 'queued' });
    ids.push(row.id);
    launch(row.id, db, handler);
  }
  return ids;
}

/**
 * An unfinished job of `kind` with exactly these params that no live process is running (e.g. left by a killed
 * CLI run), or null. The CLI resumes it instead of starting a new job.
 */
export function findResumableJob(kind: string, params: Record<string, unknown>, db: Db = getDb()): number | null {
  const want = JSON.stringify(params);
  for (const row of listUnfinishedJobRows({ db, kind })) {
    if (row.status === 'cancelling' || state.active.has(row.id) || runningElsewhere(row)) continue;
    if (JSON.stringify(row.params) === want) return row.id;
  }
  return null;
}

function writeProgress(id: number, job: RunningJob): void {
  job.timer = null;
  updateJobProgress({ db: job.db, id, ...job.progress });
  // a cancel requested by another process
  const row = getJobRow({ db: job.db, id });
  if (row?.status === 'cancelling' && !job.controller.signal.aborted) job.controller.abort(new JobCancelledError(id));
}

function launch(id: number, db: Db, handler: JobHandler): Promise<JobView> {
  const existing = state.active.get(id);
  if (existing) return existing.promise;
  const row = getJobRow({ db, id })!;
  const running: RunningJob = { controller: new AbortController(), progress: { done: row.done, total: row.total, failures: row.failures }, timer: null, db };
  const job: ActiveJob = Object.assign(running, { promise: execute(id, row, handler, running) });
  state.active.set(id, job);
  return job.promise;
}

/** The body of a launched job: runs the handler, then stores how it ended. */
async function execute(id: number, row: Job, handler: JobHandler, job: RunningJob): Promise<JobView> {
  const { controller, db } = job;
  // let launch register the job and startJob return first
  await Promise.resolve();
  const runner: JobRunnerInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), doneAtStart: row.done };
  try {
    markJobRunning({ db, id, runner });
    const ctx: JobContext = {
      jobId: id,
      params: row.params,
      signal: controller.signal,
      db,
      progress(u) {
        if (u.done !== undefined) job.progress.done = u.done;
        if (u.total !== undefined) job.progress.total = u.total;
        if (u.failures !== undefined) job.progress.failures = u.failures;
        if (!job.timer) job.timer = setTimeout(() => writeProgress(id, job), state.throttleMs);
      },
    };
    const result = (await handler(ctx)) ?? {};
    flush(id, job);
    if (controller.signal.aborted) {
      setJobStatus({ db, id, status: 'cancelled', result, finished: true });
    } else {
      setJobStatus({ db, id, status: 'done', result, finished: true });
    }
  } catch (err) {
    flush(id, job);
    if (controller.signal.aborted) setJobStatus({ db, id, status: 'cancelled', finished: true });
    else {
      const e = err as Error;
      setJobStatus({ db, id, status: 'failed', error: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`, finished: true });
    }
  } finally {
    state.active.delete(id);
  }
  return toView(getJobRow({ db, id })!);
}

function flush(id: number, job: RunningJob): void {
  if (job.timer) clearTimeout(job.timer);
  job.timer = null;
  updateJobProgress({ db: job.db, id, ...job.progress });
}

/** Runs `fn` over `items` with at most `concurrency` at once; stops starting new work when `signal` aborts. */
export async function forEachConcurrent<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      if (signal?.aborted) return;
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
