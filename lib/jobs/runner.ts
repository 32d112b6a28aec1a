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
 *
 * Jobs planned as units (`unitJobKind(kind, plan)`, lib/jobs/units.ts: the pipeline's generation, measurement and
 * demographics reading) are not run by one handler: starting one plans its units in one transaction, and workers
 * (lib/jobs/worker.ts) in any process on the database claim them with leases. A process runs them itself in one of
 * two ways: a pool of local workers (`startLocalWorkers`: the server, `POPULACE_WORKERS` units at once, default 4, 0
 * for none) that takes units of every such job, or, in a process without a pool (the CLI, tests), a worker for the
 * one job it starts or runs (`params.concurrency` units at once). Their progress is counted from the units, so every
 * process sees all workers' progress; cancel marks the job, and workers abandon its units at their next heartbeat.
 */
import os from 'node:os';
import { getDb, type Db } from '../../db/client';
import {
  getJobRow,
  insertJob,
  listJobRows,
  listUnfinishedJobRows,
  markJobRunning,
  resetJobForRun,
  setJobStatus,
  updateJobProgress,
} from '../../db/queries/jobs';
import { claimedProgress, deleteJobUnits, jobsWithUnits, jobUnitState, writeTransaction } from '../../db/queries/jobUnits';
import { jobRunnerSchema, type JobRunner } from '../../db/json';
import type { Job, JobStatus } from '../../db/schema';
import { AppError } from '../errors';
import {
  isZombie,
  jobHasLiveHolders,
  planStages,
  settleUnitJob,
  unitJobResult,
  unitPlanOf,
  unitTableOf,
  withUnitPlan,
  type UnitPlan,
} from './units';
import { Worker } from './worker';

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

/**
 * Declares a job kind planned as units (lib/jobs/units.ts). Its handler runs the job's units in this process until
 * the job ends and returns its result; the runner and workers use the plan.
 */
export function unitJobKind<P>(kind: string, plan: UnitPlan<P>): JobKind<P> {
  const job: JobKind<P> = {
    kind,
    handler: withUnitPlan<P>(async (ctx) => (await runJob(ctx.jobId, job, ctx.db)).result ?? {}, plan),
  };
  return job;
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

/** A job this process runs: a plain job's handler (with its progress), or a worker for one job of units. */
interface ActiveJob {
  promise: Promise<JobView>;
  /** A plain job's progress as its handler reported it (written to the row throttled); null for a job of units. */
  progress: RunningJob['progress'] | null;
  cancel(id: number): void;
}

/** The pool of local workers (the server's): one worker taking units of every job of its kinds. */
interface LocalPool {
  worker: Worker;
  db: Db;
  kinds: ReadonlySet<string>;
}

interface RunnerState {
  active: Map<number, ActiveJob>;
  throttleMs: number;
  /** Workers running in this process (the pool's and one per job run here). */
  workers: Set<Worker>;
  pool: LocalPool | null;
  /** Unit plans by kind, as this process has seen them (to compute a cancelled job's result). */
  plans: Map<string, UnitPlan<unknown>>;
}

// One state per process, shared by every bundle that includes this module (instrumentation, route handlers).
const g = globalThis as { populaceJobRunner?: RunnerState };
const state: RunnerState = (g.populaceJobRunner ??= {
  active: new Map(),
  throttleMs: Number(process.env.POPULACE_JOB_PROGRESS_MS ?? 500),
  workers: new Set(),
  pool: null,
  plans: new Map(),
});
state.workers ??= new Set();
state.pool ??= null;
state.plans ??= new Map();

/** How long a local worker's claim holds without a heartbeat. */
const LEASE_MS = 30_000;
/** Claims of a unit before it is failed. */
export const UNIT_ATTEMPTS = 3;

/**
 * Units the server's pool of local workers runs at once: `POPULACE_WORKERS` (default 4; 0: no local workers, jobs of
 * units wait for `populace worker` processes).
 */
export function localWorkerCount(): number {
  const raw = process.env.POPULACE_WORKERS?.trim();
  if (!raw) return 4;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`POPULACE_WORKERS must be a whole number (0: no workers in this process), got "${raw}".`);
  return n;
}

const TERMINAL: readonly JobStatus[] = ['cancelled', 'failed', 'done'];

/** Sets how often progress is written to the database (ms); tests use small values. */
export function setProgressThrottle(ms: number): void {
  state.throttleMs = ms;
}

function runnerOf(row: Job): JobRunnerInfo | null {
  const r = jobRunnerSchema.safeParse(row.result?._runner);
  return r.success ? r.data : null;
}

/** Whether another live process on this host runs the (plain) job. */
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

/** Whether the job is planned as units (it has some). */
function hasUnits(db: Db, id: number): boolean {
  return jobsWithUnits({ db, jobIds: [id] }).has(id);
}

/** Whether a worker of this process has units of the job in flight. */
function workedHere(id: number): boolean {
  for (const w of state.workers) if (w.inFlightOf(id) > 0) return true;
  return false;
}

/**
 * The view of a job row. `inFlight`: what the claimed units of a job of units have done so far (their workers'
 * last heartbeats), added to the done units the row counts.
 */
function toView(row: Job, inFlight = 0): JobView {
  const active = state.active.get(row.id);
  const progress = active?.progress;
  const done = progress ? progress.done : Math.min(row.total, row.done + inFlight);
  const total = progress ? progress.total : row.total;
  const failures = progress ? progress.failures : row.failures;
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
    activeHere: Boolean(active) || workedHere(row.id),
  };
}

function notFound(id: number): AppError {
  return new AppError('job_not_found', `There is no job ${id}.`, 404);
}

/** One job with derived rate and time left. */
export function getJob(id: number, db: Db = getDb()): JobView {
  const row = getJobRow({ db, id });
  if (!row) throw notFound(id);
  return viewsOf([row], db)[0]!;
}

/** The most recent jobs first. */
export function listJobs({ limit = 50, kind, db = getDb() }: { limit?: number; kind?: string; db?: Db } = {}): JobView[] {
  return viewsOf(listJobRows({ db, limit, kind }), db);
}

/** Views of job rows, with the progress of the units in flight of those running. */
function viewsOf(rows: Job[], db: Db): JobView[] {
  const running = rows.filter((r) => r.status === 'running' || r.status === 'cancelling').map((r) => r.id);
  const inFlight = claimedProgress({ db, jobIds: running });
  return rows.map((r) => toView(r, inFlight.get(r.id) ?? 0));
}

/**
 * Persists a queued job of this kind and runs it in this process without waiting. A job of units is planned in the
 * same transaction (a plan that throws stores the job as failed) and handed to this process's workers: the pool when
 * it takes this kind, else a worker for this job unless `POPULACE_WORKERS` is 0 (then `populace worker` runs it).
 */
export function startJob<P extends Record<string, unknown>>(job: JobKind<P>, params: P, db: Db = getDb()): JobView {
  const plan = unitPlanOf(job.handler);
  if (plan) {
    state.plans.set(job.kind, plan);
    const id = planNewJob(job.kind, plan, params, db);
    runUnitsHere(id, db, job.kind, plan, false).catch(() => {});
    return toView(getJobRow({ db, id })!);
  }
  const row = insertJob({ db, kind: job.kind, params });
  launch(row.id, db, job.handler);
  return toView(getJobRow({ db, id: row.id })!);
}

const describeError = (e: unknown) => `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`;

/** Inserts a job of units and plans its first stage in one transaction; a plan that throws leaves a failed job. */
function planNewJob(kind: string, plan: UnitPlan<unknown>, params: Record<string, unknown>, db: Db): number {
  try {
    return writeTransaction(db, () => {
      const row = insertJob({ db, kind, params });
      const parsed = plan.parse(row.params);
      if (!planStages(plan, { db, jobId: row.id, params: parsed }, null)) {
        setJobStatus({ db, id: row.id, status: 'done', result: unitJobResult(plan, db, row.id, parsed), finished: true });
      }
      return row.id;
    });
  } catch (e) {
    const row = insertJob({ db, kind, params });
    setJobStatus({ db, id: row.id, status: 'failed', error: describeError(e), finished: true });
    return row.id;
  }
}

/** Plans a job of units afresh (a failed or cancelled job run again, or a job stored before it had units). */
function replanJob(id: number, plan: UnitPlan<unknown>, db: Db): void {
  try {
    writeTransaction(db, () => {
      deleteJobUnits({ db, jobId: id });
      resetJobForRun({ db, id });
      const params = plan.parse(getJobRow({ db, id })!.params);
      if (!planStages(plan, { db, jobId: id, params }, null)) {
        setJobStatus({ db, id, status: 'done', result: unitJobResult(plan, db, id, params), finished: true });
      }
    });
  } catch (e) {
    setJobStatus({ db, id, status: 'failed', error: describeError(e), finished: true });
  }
}

/**
 * Hands a job of units to this process's workers: the pool when it takes the kind; else a worker for this job
 * (when `force`, or unless `POPULACE_WORKERS` is 0). Resolves when the job ends (at once when nothing here runs it).
 */
function runUnitsHere(id: number, db: Db, kind: string, plan: UnitPlan<unknown>, force: boolean): Promise<JobView> {
  const existing = state.active.get(id);
  if (existing) return existing.promise;
  const pool = state.pool;
  if (pool && pool.db === db && pool.kinds.has(kind)) {
    pool.worker.wake();
    return watch(id, db);
  }
  if (!force && localWorkerCount() === 0) return Promise.resolve(getJob(id, db));
  const row = getJobRow({ db, id })!;
  const concurrency = typeof row.params.concurrency === 'number' && row.params.concurrency > 0 ? row.params.concurrency : 4;
  const worker = new Worker({ db, plans: { [kind]: plan }, jobId: id, concurrency, leaseMs: LEASE_MS, maxAttempts: UNIT_ATTEMPTS });
  state.workers.add(worker);
  const promise = worker
    .run()
    .then(() => getJob(id, db))
    .finally(() => {
      state.active.delete(id);
      state.workers.delete(worker);
    });
  state.active.set(id, { promise, progress: null, cancel: (jobId) => worker.dropJob(jobId) });
  return promise;
}

/** Resolves when a job run by other workers (the pool, other processes) has ended. */
async function watch(id: number, db: Db): Promise<JobView> {
  for (;;) {
    const row = getJobRow({ db, id });
    if (!row) throw notFound(id);
    if (TERMINAL.includes(row.status)) return toView(row);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs (or resumes) a stored job of this kind in this process and waits for it to end. Used by the CLI and tests.
 * A job of another kind is refused (400). A job of units is run by a worker here for this job (beside any other
 * workers); a failed or cancelled one is planned afresh (work stored before is found and skipped).
 */
export function runJob(id: number, job: JobKind, db: Db = getDb()): Promise<JobView> {
  const row = getJobRow({ db, id });
  if (!row) throw notFound(id);
  if (row.kind !== job.kind) throw new AppError('wrong_job_kind', `Job ${id} is a ${row.kind} job, not ${job.kind}.`, 400);
  if (TERMINAL.includes(row.status) && row.status !== 'failed' && row.status !== 'cancelled') {
    return Promise.resolve(toView(row));
  }
  const plan = unitPlanOf(job.handler);
  if (plan) {
    state.plans.set(job.kind, plan);
    if (state.active.has(id)) return state.active.get(id)!.promise;
    if (row.status === 'cancelling') settleUnitJob(plan, db, id);
    const now = getJobRow({ db, id })!;
    if (now.status === 'failed' || now.status === 'cancelled' || jobUnitState({ db, jobId: id }).units === 0) replanJob(id, plan, db);
    else if (now.status === 'running' && !jobHasLiveHolders(db, id)) setJobStatus({ db, id, status: 'queued', from: ['running'] });
    return runUnitsHere(id, db, job.kind, plan, true);
  }
  if (row.status !== 'queued' && !state.active.has(id)) setJobStatus({ db, id, status: 'queued', error: null });
  return launch(id, db, job.handler);
}

/**
 * Waits for a job that runs in this process (its handler, or its units in this process's workers); resolves at once
 * with the stored state otherwise.
 */
export function waitForJob(id: number, db: Db = getDb()): Promise<JobView> {
  const active = state.active.get(id);
  if (active) return active.promise;
  const row = getJobRow({ db, id });
  const pool = state.pool;
  if (row && !TERMINAL.includes(row.status) && pool && pool.db === db && pool.kinds.has(row.kind)) return watch(id, db);
  return Promise.resolve(getJob(id, db));
}

/**
 * Requests cancellation: the handler sees its signal aborted; a job nobody runs is cancelled at once. A job of units
 * is marked cancelling: this process's workers abandon its units now, other workers at their next heartbeat, and it
 * is cancelled (with its result) when no worker holds a unit of it any more.
 */
export function cancelJob(id: number, db: Db = getDb()): JobView {
  const row = getJobRow({ db, id });
  if (!row) throw notFound(id);
  if (TERMINAL.includes(row.status)) return toView(row);
  const active = state.active.get(id);
  if (hasUnits(db, id)) {
    setJobStatus({ db, id, status: 'cancelling', from: ['queued', 'running'] });
    for (const w of state.workers) w.dropJob(id);
    if (!jobHasLiveHolders(db, id)) {
      const plan = state.plans.get(row.kind);
      if (plan) settleUnitJob(plan, db, id);
      else setJobStatus({ db, id, status: 'cancelled', finished: true, from: ['cancelling'] });
    }
  } else if (active) {
    setJobStatus({ db, id, status: 'cancelling', from: ['queued', 'running'] });
    active.cancel(id);
  } else if (runningElsewhere(row)) {
    // the other process notices 'cancelling' at its next progress write
    setJobStatus({ db, id, status: 'cancelling', from: ['queued', 'running'] });
  } else {
    setJobStatus({ db, id, status: 'cancelled', finished: true });
  }
  return getJob(id, db);
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
    const plan = Object.hasOwn(table, row.kind) ? unitPlanOf(table[row.kind]) : null;
    if (plan) {
      if (resumeUnits(row, plan, db)) ids.push(row.id);
      continue;
    }
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
 * Resumes a job of units at start: a cancel nobody works on is finished; otherwise the job goes to this process's
 * workers (units held by a process that died are given back by a worker, or reclaimed when their lease expires).
 * Returns whether a worker here takes it.
 */
function resumeUnits(row: Job, plan: UnitPlan<unknown>, db: Db): boolean {
  state.plans.set(row.kind, plan);
  if (state.active.has(row.id)) return true;
  if (row.status === 'cancelling') {
    settleUnitJob(plan, db, row.id);
    return false;
  }
  // a job stored before jobs had units, or left by a version that ran it in one process
  if (jobUnitState({ db, jobId: row.id }).units === 0) replanJob(row.id, plan, db);
  else if (row.status === 'running' && !jobHasLiveHolders(db, row.id)) setJobStatus({ db, id: row.id, status: 'queued', from: ['running'] });
  const pool = state.pool;
  if (pool && pool.db === db && pool.kinds.has(row.kind)) {
    pool.worker.wake();
    return true;
  }
  if (localWorkerCount() === 0) return false;
  runUnitsHere(row.id, db, row.kind, plan, false).catch(() => {});
  return true;
}

/**
 * Starts this process's pool of local workers on `db` for the kinds of `table` planned as units (the server does at
 * start, instrumentation.ts): `concurrency` units at once, default `POPULACE_WORKERS` (4); none when it is 0. Returns
 * the pool's worker, or null.
 */
export function startLocalWorkers(table: JobTable, { db = getDb(), concurrency = localWorkerCount() }: { db?: Db; concurrency?: number } = {}): Worker | null {
  if (state.pool) return state.pool.worker;
  if (concurrency <= 0) return null;
  const plans = unitTableOf(table);
  for (const [kind, plan] of Object.entries(plans)) state.plans.set(kind, plan);
  const worker = new Worker({ db, plans, concurrency, leaseMs: LEASE_MS, maxAttempts: UNIT_ATTEMPTS });
  state.pool = { worker, db, kinds: new Set(Object.keys(plans)) };
  state.workers.add(worker);
  void worker.run().finally(() => {
    state.workers.delete(worker);
    if (state.pool?.worker === worker) state.pool = null;
  });
  return worker;
}

/** Stops the pool of local workers: no new units; resolves when the units in flight have finished. */
export async function stopLocalWorkers(): Promise<void> {
  const pool = state.pool;
  if (!pool) return;
  pool.worker.stop();
  await pool.worker.run();
}

/**
 * An unfinished job of `kind` with exactly these params that no live process is running (e.g. left by a killed
 * CLI run), or null. The CLI resumes it instead of starting a new job.
 */
export function findResumableJob(kind: string, params: Record<string, unknown>, db: Db = getDb()): number | null {
  const want = JSON.stringify(params);
  const rows = listUnfinishedJobRows({ db, kind });
  const withUnits = jobsWithUnits({ db, jobIds: rows.map((r) => r.id) });
  for (const row of rows) {
    if (row.status === 'cancelling' || state.active.has(row.id)) continue;
    if (withUnits.has(row.id) ? jobHasLiveHolders(db, row.id) : runningElsewhere(row)) continue;
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
  const job: ActiveJob = {
    promise: execute(id, row, handler, running),
    progress: running.progress,
    cancel: (jobId) => running.controller.abort(new JobCancelledError(jobId)),
  };
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
