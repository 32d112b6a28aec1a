/**
 * Jobs planned as units that worker processes share (lib/jobs/worker.ts). A unit kind declares, instead of one
 * handler that loops over its work:
 *
 * - `plan(ctx, after)`: the units of the stage after `after` (null: the first stage), or null when there is none. It
 *   runs inside a write transaction (the job's insert, or the settling of the stage before), so it may read and write
 *   the database (synchronously) and sees a consistent state. `later` estimates the progress units of the stages not
 *   planned yet (the job's total meanwhile).
 * - `run(ctx)`: one unit's work (LLM calls), returning what to store (`write`, run in the transaction that marks the
 *   unit done after checking the worker still holds it) and a small `result` kept on the unit for the job's result.
 *   A throw is a failed attempt (retried up to the worker's limit); `UnitFailure` with `retry: false` fails the unit
 *   at once (a reply that will not change).
 * - `result(ctx)`: the job's result from its units, when the job ends (done or cancelled).
 *
 * The job is done when no unit is pending or claimed and no stage follows; its progress is counted from its units
 * (db/queries/jobUnits.ts).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Db } from '../../db/client';
import { getJobRow, setJobStatus } from '../../db/queries/jobs';
import {
  insertJobUnits,
  jobUnitState,
  listJobUnits,
  listUnitHolders,
  recountJobProgress,
  writeTransaction,
} from '../../db/queries/jobUnits';
import type { JobUnit } from '../../db/schema';
import type { JobHandler } from './runner';

/** One stage's units: keys unique within the job ("author:12"), each with its share of the job's progress. */
export interface StagePlan {
  stage: string;
  units: { key: string; weight?: number }[];
  /** Progress units expected from the stages after this one (not planned yet). */
  later?: number;
}

export interface PlanContext<P> {
  db: Db;
  jobId: number;
  params: P;
}

export interface UnitContext<P> {
  db: Db;
  jobId: number;
  params: P;
  key: string;
  stage: string;
  weight: number;
  /** This claim's number (1 on the first). */
  attempt: number;
  /** Aborted when the job is cancelled or the worker lost the unit: stop, nothing will be stored. */
  signal: AbortSignal;
  /** How much of the unit's weight is done so far (stored at the next heartbeat, counted in the job's progress). */
  progress(done: number): void;
}

export interface UnitOutcome {
  /** Stores the unit's work: called inside the transaction that marks the unit done (synchronous queries on ctx.db). */
  write?: () => void;
  /** Kept on the unit for the job's result. */
  result?: Record<string, unknown>;
}

export interface ResultContext<P> {
  db: Db;
  jobId: number;
  params: P;
  units: JobUnit[];
}

export interface UnitPlan<P = Record<string, unknown>> {
  /** Reads the job's stored params (a zod parse). */
  parse(params: Record<string, unknown>): P;
  plan(ctx: PlanContext<P>, after: string | null): StagePlan | null;
  run(ctx: UnitContext<P>): Promise<UnitOutcome | void>;
  result(ctx: ResultContext<P>): Record<string, unknown>;
}

/** A failed attempt of a unit with details for the job's result; `retry: false` fails the unit at once. */
export class UnitFailure extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> | null = null,
    readonly retry = true,
  ) {
    super(message);
    this.name = 'UnitFailure';
  }
}

const UNITS = Symbol.for('populace.jobUnits');
type UnitHandler = JobHandler & { [UNITS]?: UnitPlan<unknown> };

/** Marks a handler as running a job planned as units with this plan (unitJobKind in runner.ts). */
export function withUnitPlan<P>(handler: JobHandler<P>, plan: UnitPlan<P>): JobHandler<P> {
  (handler as UnitHandler)[UNITS] = plan as UnitPlan<unknown>;
  return handler;
}

/** The unit plan of a kind's handler, or null for a plain kind. */
export function unitPlanOf(handler: JobHandler | undefined): UnitPlan<unknown> | null {
  return (handler as UnitHandler | undefined)?.[UNITS] ?? null;
}

/** The kinds of a table that are planned as units: `{ [kind]: plan }`. */
export function unitTableOf(table: Readonly<Record<string, JobHandler>>): Readonly<Record<string, UnitPlan<unknown>>> {
  const out: Record<string, UnitPlan<unknown>> = {};
  for (const [kind, handler] of Object.entries(table)) {
    const plan = unitPlanOf(handler);
    if (plan) out[kind] = plan;
  }
  return Object.freeze(out);
}

/**
 * Plans the stages after `after` (null: from the first) inside the caller's write transaction: a stage without
 * units is skipped to the next. Returns whether units were planned (false: the job has nothing left to do).
 */
export function planStages<P>(plan: UnitPlan<P>, ctx: PlanContext<P>, after: string | null, now = Date.now()): boolean {
  let stage = plan.plan(ctx, after);
  while (stage) {
    if (stage.units.length > 0) {
      insertJobUnits({ db: ctx.db, jobId: ctx.jobId, stage: stage.stage, units: stage.units.map((u) => ({ key: u.key, weight: u.weight ?? 1 })) });
      recountJobProgress({ db: ctx.db, jobId: ctx.jobId, now, later: stage.later ?? 0 });
      return true;
    }
    stage = plan.plan(ctx, stage.stage);
  }
  recountJobProgress({ db: ctx.db, jobId: ctx.jobId, now, later: 0 });
  return false;
}

/** The job's result from its units. */
export function unitJobResult<P>(plan: UnitPlan<P>, db: Db, jobId: number, params: P): Record<string, unknown> {
  return plan.result({ db, jobId, params, units: listJobUnits({ db, jobId }) });
}

const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/**
 * Moves a job of units on when its units allow it, in one write transaction: a cancelling job nobody works on any
 * more is cancelled (with its result); a queued or running job whose units are all done or failed gets its next
 * stage planned, or is done (with its result). Anything a plan or result throws fails the job. Returns what happened.
 */
export function settleUnitJob(plan: UnitPlan<unknown>, db: Db, jobId: number, now = Date.now()): 'open' | 'planned' | 'done' | 'cancelled' | 'failed' | 'finished' {
  // a cheap look first: most calls find units still open
  const before = getJobRow({ db, id: jobId });
  if (!before || before.status === 'done' || before.status === 'failed' || before.status === 'cancelled') return 'finished';
  if (before.status !== 'cancelling' && jobUnitState({ db, jobId }).open > 0) return 'open';
  try {
    return writeTransaction(db, () => {
      const job = getJobRow({ db, id: jobId });
      if (!job) return 'finished';
      const params = plan.parse(job.params);
      if (job.status === 'cancelling') {
        if (listUnitHolders({ db, jobId, now }).some((h) => h.live && !workerGone(h.workerId))) return 'open';
        setJobStatus({ db, id: jobId, status: 'cancelled', result: unitJobResult(plan, db, jobId, params), finished: true });
        return 'cancelled';
      }
      if (job.status !== 'queued' && job.status !== 'running') return 'finished';
      const state = jobUnitState({ db, jobId });
      if (state.open > 0) return 'open';
      if (planStages(plan, { db, jobId, params }, state.stage, now)) return 'planned';
      setJobStatus({ db, id: jobId, status: 'done', result: unitJobResult(plan, db, jobId, params), finished: true });
      return 'done';
    });
  } catch (e) {
    setJobStatus({ db, id: jobId, status: 'failed', error: describe(e), finished: true, from: ['queued', 'running', 'cancelling'] });
    return 'failed';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Workers: who holds a unit

/** Local workers of this process (by id), shared by every bundle that includes this module. */
const g = globalThis as { populaceLocalWorkers?: Set<string> };
export const localWorkerIds: Set<string> = (g.populaceLocalWorkers ??= new Set());

/** A new worker id: host, pid and a random part ("host:1234:k3x9"). */
export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/** The host and pid in a worker id. */
export function parseWorkerId(id: string): { host: string; pid: number } | null {
  const parts = id.split(':');
  if (parts.length < 3) return null;
  const pid = Number(parts[parts.length - 2]);
  return Number.isInteger(pid) && pid > 0 ? { host: parts.slice(0, -2).join(':'), pid } : null;
}

/**
 * Whether a worker is known to be gone: its process on this host has died (or is a zombie), or it was a worker of
 * this process that no longer runs. A worker on another host is never known to be gone: its lease expires.
 */
export function workerGone(id: string): boolean {
  const w = parseWorkerId(id);
  if (!w || w.host !== os.hostname()) return false;
  if (w.pid === process.pid) return !localWorkerIds.has(id);
  try {
    process.kill(w.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'EPERM';
  }
  return isZombie(w.pid);
}

/**
 * A killed process whose parent has not collected it yet (state Z in /proc/PID/stat on Linux) still answers
 * kill(pid, 0) but runs nothing: e.g. a server killed together with its parent and left for init to reap.
 */
export function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

/** Whether some worker that is not gone holds a live lease on a unit of the job. */
export function jobHasLiveHolders(db: Db, jobId: number, now = Date.now()): boolean {
  return listUnitHolders({ db, jobId, now }).some((h) => h.live && !workerGone(h.workerId));
}
