/**
 * A worker: the claim loop that runs units of jobs planned as units (lib/jobs/units.ts), in this process, beside any
 * number of workers in other processes on the same database.
 *
 * The loop claims units of runnable jobs of its kinds (or of one job) while it has fewer than `concurrency` in flight,
 * runs each, and stores its work in the transaction that marks it done after checking the worker still holds it. Every
 * `heartbeatMs` it extends the leases it holds (a unit it lost, or whose job was cancelled, is abandoned: aborted and,
 * when cancelled, given back), gives back units held by workers of this host whose process died, and settles the jobs
 * it looks after (the next stage, the end, a cancel nobody works on any more). A failed attempt leaves the unit pending
 * for any worker until it has failed `maxAttempts` times.
 *
 * `stop()` stops claiming and lets the units in flight finish (SIGTERM); a worker killed outright just dies and its
 * leases expire (or are given back at once by a worker on the same host that sees its process gone).
 */
import type { Db } from '../../db/client';
import { getJobRow } from '../../db/queries/jobs';
import {
  claimJobUnits,
  commitJobUnit,
  failJobUnit,
  heartbeatJobUnits,
  listClaimableJobs,
  listUnfinishedUnitJobs,
  listUnitHolders,
  releaseJobUnit,
  releaseWorkersUnits,
  type ClaimedUnit,
} from '../../db/queries/jobUnits';
import os from 'node:os';
import { localWorkerIds, newWorkerId, settleUnitJob, UnitFailure, workerGone, type UnitPlan } from './units';

export interface WorkerOptions {
  db: Db;
  /** The kinds this worker runs: `{ [kind]: plan }`. */
  plans: Readonly<Record<string, UnitPlan<unknown>>>;
  /** Units in flight at most. */
  concurrency: number;
  /** How long a claim holds without a heartbeat (ms). Default 30 s. */
  leaseMs?: number;
  /** Claims of a unit before it is failed. Default 3. */
  maxAttempts?: number;
  /** Only this job's units; the loop ends when the job has ended. */
  jobId?: number;
  /** End when no job of these kinds has work left (nothing pending, claimed or in flight). */
  once?: boolean;
  /** Time between looks for work while idle (ms). Default 200. */
  pollMs?: number;
  /** Time between heartbeats (ms). Default a third of the lease, at most 2 s. */
  heartbeatMs?: number;
  onEvent?: (e: WorkerEvent) => void;
}

export type WorkerEvent =
  | { type: 'claimed' | 'done' | 'lost' | 'released'; jobId: number; key: string }
  | { type: 'failed' | 'retry'; jobId: number; key: string; error: string }
  | { type: 'job'; jobId: number; status: string };

export interface WorkerStats {
  claimed: number;
  done: number;
  failed: number;
  retried: number;
  released: number;
  lost: number;
  /** Time spent in this worker's own database work: claims, heartbeats, stores (with the units' writes), settling. */
  dbMs: number;
  startedAt: number;
}

interface InFlight {
  unit: ClaimedUnit;
  kind: string;
  controller: AbortController;
  progress: number;
  /** Why the unit was abandoned: its job was cancelled (or the worker was told to drop it), or another worker has it. */
  stop: 'cancelled' | 'lost' | null;
}

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

export class Worker {
  readonly id = newWorkerId();
  readonly stats: WorkerStats = { claimed: 0, done: 0, failed: 0, retried: 0, released: 0, lost: 0, dbMs: 0, startedAt: Date.now() };
  private readonly db: Db;
  private readonly kinds: string[];
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly pollMs: number;
  private readonly heartbeatMs: number;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly params = new Map<number, unknown>();
  private stopping = false;
  private wakeUp: (() => void) | null = null;
  /** A wake that came while the loop was busy: the next pause returns at once. */
  private woken = false;
  private running: Promise<WorkerStats> | null = null;

  constructor(private readonly opts: WorkerOptions) {
    this.db = opts.db;
    this.kinds = Object.keys(opts.plans);
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.pollMs = opts.pollMs ?? 200;
    this.heartbeatMs = opts.heartbeatMs ?? Math.min(this.leaseMs / 3, 2000);
  }

  /** Units in flight now. */
  get busy(): number {
    return this.inFlight.size;
  }

  /** Units in flight now, by job. */
  inFlightOf(jobId: number): number {
    let n = 0;
    for (const e of this.inFlight.values()) if (e.unit.jobId === jobId) n++;
    return n;
  }

  /** Runs the loop until stopped (or, with `jobId`, until that job ends; with `once`, until there is no work). */
  run(): Promise<WorkerStats> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Stops claiming; the loop ends when the units in flight have finished. */
  stop(): void {
    this.stopping = true;
    this.wake();
  }

  /** Looks for work now (a job was started or cancelled). */
  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    if (w) w();
    else this.woken = true;
  }

  /** Abandons this worker's units of a job (it was cancelled here): aborted now, given back when they stop. */
  dropJob(jobId: number): void {
    for (const e of this.inFlight.values()) if (e.unit.jobId === jobId) this.abandon(e, 'cancelled');
    this.wake();
  }

  private abandon(e: InFlight, why: 'cancelled' | 'lost'): void {
    if (e.stop) return;
    e.stop = why;
    e.controller.abort(new Error(why === 'lost' ? 'another worker holds this unit now' : `job ${e.unit.jobId} was cancelled`));
  }

  private timed<T>(fn: () => T): T {
    const t = performance.now();
    try {
      return fn();
    } finally {
      this.stats.dbMs += performance.now() - t;
    }
  }

  private async loop(): Promise<WorkerStats> {
    localWorkerIds.add(this.id);
    try {
      let nextSweep = 0;
      for (;;) {
        let claimed = 0;
        try {
          if (Date.now() >= nextSweep) {
            this.sweep();
            nextSweep = Date.now() + this.heartbeatMs;
          }
          if (!this.stopping) claimed = this.fill();
          if (this.inFlight.size === 0 && claimed === 0) {
            if (this.stopping) break;
            if (this.opts.jobId !== undefined && this.jobEnded(this.opts.jobId)) break;
            if (this.opts.once && !this.workLeft()) break;
          }
        } catch (err) {
          // the database was closed under the worker (a test's cleanup, the process ending): nothing more to do
          if (/connection is not open/i.test((err as Error)?.message ?? '')) {
            for (const e of this.inFlight.values()) this.abandon(e, 'lost');
            break;
          }
          // a busy database or a passing error: told, and tried again a little later
          this.report('the claim loop', err);
          await this.pause(this.pollMs * 5);
          continue;
        }
        await this.pause(Math.max(1, Math.min(this.pollMs, nextSweep - Date.now())));
      }
    } finally {
      localWorkerIds.delete(this.id);
    }
    return this.stats;
  }

  private report(what: string, err: unknown): void {
    const message = /connection is not open/i.test((err as Error)?.message ?? '') ? null : err instanceof Error ? err.message : String(err);
    if (message) console.error(`worker ${this.id}: ${what}: ${message}`);
  }

  /** Waits until a unit ends, `wake()` is called, or `ms` pass. */
  private pause(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private jobEnded(jobId: number): boolean {
    const row = this.timed(() => getJobRow({ db: this.db, id: jobId }));
    return !row || TERMINAL.has(row.status);
  }

  /** Whether a job of these kinds still has units to do (pending or held), or is being cancelled. */
  private workLeft(): boolean {
    return this.timed(() => listUnfinishedUnitJobs({ db: this.db, kinds: this.kinds })).some((j) => this.opts.jobId === undefined || j.id === this.opts.jobId);
  }

  /** Claims units while there is room; returns how many. */
  private fill(): number {
    let free = this.opts.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const now = Date.now();
    const jobs = this.timed(() => listClaimableJobs({ db: this.db, kinds: this.kinds, jobId: this.opts.jobId, now }));
    let claimed = 0;
    for (const job of jobs) {
      if (free <= 0) break;
      const runner = { pid: process.pid, host: os.hostname(), startedAt: new Date(now).toISOString() };
      const { units, expiredFailed } = this.timed(() =>
        claimJobUnits({ db: this.db, jobId: job.id, workerId: this.id, limit: free, leaseMs: this.leaseMs, maxAttempts: this.maxAttempts, now: Date.now(), runner }),
      );
      if (expiredFailed) this.settle(job.id, job.kind);
      for (const unit of units) {
        this.start(unit, job.kind);
        free--;
        claimed++;
      }
    }
    return claimed;
  }

  private start(unit: ClaimedUnit, kind: string): void {
    const entry: InFlight = { unit, kind, controller: new AbortController(), progress: 0, stop: null };
    this.inFlight.set(unit.id, entry);
    this.stats.claimed++;
    this.opts.onEvent?.({ type: 'claimed', jobId: unit.jobId, key: unit.key });
    void this.execute(entry)
      .catch((err) => this.report(`unit ${unit.key} of job ${unit.jobId}`, err))
      .finally(() => {
        this.inFlight.delete(unit.id);
        this.wake();
      });
  }

  private paramsOf(jobId: number, plan: UnitPlan<unknown>): unknown {
    if (!this.params.has(jobId)) {
      const row = this.timed(() => getJobRow({ db: this.db, id: jobId }));
      if (!row) throw new UnitFailure(`job ${jobId} no longer exists`, null, false);
      this.params.set(jobId, plan.parse(row.params));
    }
    return this.params.get(jobId);
  }

  private async execute(e: InFlight): Promise<void> {
    const { unit, kind } = e;
    const plan = this.opts.plans[kind]!;
    const emit = (type: 'done' | 'lost' | 'released') => this.opts.onEvent?.({ type, jobId: unit.jobId, key: unit.key });
    try {
      const params = this.paramsOf(unit.jobId, plan);
      const outcome = await plan.run({
        db: this.db,
        jobId: unit.jobId,
        params,
        key: unit.key,
        stage: unit.stage,
        weight: unit.weight,
        attempt: unit.attempts,
        signal: e.controller.signal,
        progress: (done) => {
          e.progress = Math.max(0, Math.min(unit.weight, Math.round(done)));
        },
      });
      if (e.stop) throw e.controller.signal.reason;
      const stored = this.timed(() =>
        commitJobUnit({ db: this.db, unitId: unit.id, workerId: this.id, result: outcome?.result ?? null, now: Date.now(), apply: outcome?.write }),
      );
      if (stored) {
        this.stats.done++;
        emit('done');
      } else {
        this.stats.lost++;
        emit('lost');
      }
    } catch (err) {
      if (e.stop === 'lost') {
        this.stats.lost++;
        emit('lost');
      } else if (e.stop === 'cancelled') {
        this.timed(() => releaseJobUnit({ db: this.db, unitId: unit.id, workerId: this.id }));
        this.stats.released++;
        emit('released');
      } else {
        const error = err instanceof Error ? err.message : String(err);
        const failure = err instanceof UnitFailure ? err : null;
        const status = this.timed(() =>
          failJobUnit({
            db: this.db,
            unitId: unit.id,
            workerId: this.id,
            error,
            details: failure?.details ?? null,
            retry: failure?.retry ?? true,
            maxAttempts: this.maxAttempts,
            now: Date.now(),
          }),
        );
        if (status === 'failed') this.stats.failed++;
        else if (status === 'pending') this.stats.retried++;
        else this.stats.lost++;
        this.opts.onEvent?.(status === 'lost' ? { type: 'lost', jobId: unit.jobId, key: unit.key } : { type: status === 'failed' ? 'failed' : 'retry', jobId: unit.jobId, key: unit.key, error });
      }
    }
    this.settle(unit.jobId, kind);
  }

  /** Moves a job on when its units allow it (units.ts); reports a job that ended. */
  private settle(jobId: number, kind: string): void {
    const plan = this.opts.plans[kind];
    if (!plan) return;
    const outcome = this.timed(() => settleUnitJob(plan, this.db, jobId));
    if (outcome === 'done' || outcome === 'cancelled' || outcome === 'failed') {
      this.params.delete(jobId);
      this.opts.onEvent?.({ type: 'job', jobId, status: outcome });
    }
  }

  /** Heartbeat, units of dead workers given back, jobs settled. */
  private sweep(): void {
    const now = Date.now();
    const held = [...this.inFlight.values()].filter((e) => !e.stop);
    if (held.length) {
      const hb = this.timed(() =>
        heartbeatJobUnits({ db: this.db, workerId: this.id, units: held.map((e) => ({ id: e.unit.id, jobId: e.unit.jobId, progress: e.progress })), leaseMs: this.leaseMs, now }),
      );
      for (const id of hb.lost) this.abandon(this.inFlight.get(id)!, 'lost');
      for (const id of hb.stopped) this.abandon(this.inFlight.get(id)!, 'cancelled');
    }
    const holders = this.timed(() => listUnitHolders({ db: this.db, kinds: this.kinds, jobId: this.opts.jobId, now }));
    const gone = [...new Set(holders.map((h) => h.workerId))].filter((w) => w !== this.id && workerGone(w));
    if (gone.length) this.timed(() => releaseWorkersUnits({ db: this.db, workerIds: gone }));
    const unfinished = this.timed(() => listUnfinishedUnitJobs({ db: this.db, kinds: this.kinds }));
    for (const job of unfinished) {
      if (this.opts.jobId !== undefined && job.id !== this.opts.jobId) continue;
      this.settle(job.id, job.kind);
    }
    // params of jobs that ended (settled by other workers)
    const open = new Set(unfinished.map((j) => j.id));
    for (const id of this.params.keys()) if (!open.has(id)) this.params.delete(id);
  }
}
