/**
 * Jobs planned as units: claims, leases and their expiry, a store refused after the lease was lost (nothing
 * written), attempts, heartbeats, dead workers, stages, progress counted from the units, cancel and a run again.
 * Workers here are in-process, with test unit kinds; tests/integration/jobs/workers.test.ts runs real processes.
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useFreshDatabase } from '../../support/db';
import { getJobRow } from '@/db/queries/jobs';
import {
  claimJobUnits,
  commitJobUnit,
  failJobUnit,
  heartbeatJobUnits,
  listJobUnits,
  releaseJobUnit,
} from '@/db/queries/jobUnits';
import { cancelJob, getJob, runJob, startJob, startLocalWorkers, stopLocalWorkers, unitJobKind, UnitFailure, unitTableOf, waitForJob, Worker, type UnitPlan } from '@/lib/jobs';

let env: ReturnType<typeof useFreshDatabase>;
const saved = process.env.POPULACE_WORKERS;
beforeAll(() => {
  env = useFreshDatabase();
  env.db.run(sql`CREATE TABLE test_marks (job_id INTEGER, key TEXT, worker TEXT)`);
});
afterAll(() => {
  if (saved === undefined) delete process.env.POPULACE_WORKERS;
  else process.env.POPULACE_WORKERS = saved;
  env.cleanup();
});
beforeEach(() => {
  // jobs are planned here and run by the workers each test makes
  process.env.POPULACE_WORKERS = '0';
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const marks = (jobId: number) => env.db.all<{ key: string; worker: string }>(sql`SELECT key, worker FROM test_marks WHERE job_id = ${jobId} ORDER BY key`);
const mark = (jobId: number, key: string, worker: string) => env.db.run(sql`INSERT INTO test_marks VALUES (${jobId}, ${key}, ${worker})`);

type TestParams = {
  n: number;
  ms?: number;
  /** Keys that fail every attempt, and keys that fail at once for good. */
  flaky?: string[];
  broken?: string[];
  stages?: number;
  concurrency?: number;
};

let runs: string[] = [];
const plan: UnitPlan<TestParams> = {
  parse: (p) => p as unknown as TestParams,
  plan: ({ params }, after) => {
    const stage = after === null ? 1 : Number(after.slice(1)) + 1;
    if (stage > (params.stages ?? 1)) return null;
    return { stage: `s${stage}`, units: Array.from({ length: params.n }, (_, i) => ({ key: `s${stage}:${i}`, weight: 2 })), later: ((params.stages ?? 1) - stage) * params.n * 2 };
  },
  async run(ctx) {
    runs.push(ctx.key);
    ctx.progress(1);
    await sleep(ctx.params.ms ?? 5);
    ctx.signal.throwIfAborted();
    if (ctx.params.broken?.includes(ctx.key)) throw new UnitFailure(`${ctx.key} is broken`, { key: ctx.key }, false);
    if (ctx.params.flaky?.includes(ctx.key)) throw new Error(`${ctx.key} failed (attempt ${ctx.attempt})`);
    return { write: () => mark(ctx.jobId, ctx.key, 'w'), result: { key: ctx.key } };
  },
  result: ({ units }) => ({
    done: units.filter((u) => u.status === 'done').map((u) => u.key),
    failed: units.filter((u) => u.status === 'failed').map((u) => `${u.key}: ${u.error}`),
  }),
};
const testJob = unitJobKind('test.units', plan);
const plans = unitTableOf({ [testJob.kind]: testJob.handler });
const runner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };

describe('claims and leases (queries)', () => {
  it('a job is planned when it starts; claims share its units; progress is counted from them', () => {
    const job = startJob(testJob, { n: 5 });
    expect(job).toMatchObject({ status: 'queued', total: 10, done: 0 });
    const now = Date.now();
    const a = claimJobUnits({ db: env.db, jobId: job.id, workerId: 'A', limit: 3, leaseMs: 1000, maxAttempts: 3, now, runner });
    const b = claimJobUnits({ db: env.db, jobId: job.id, workerId: 'B', limit: 3, leaseMs: 1000, maxAttempts: 3, now, runner });
    const c = claimJobUnits({ db: env.db, jobId: job.id, workerId: 'C', limit: 3, leaseMs: 1000, maxAttempts: 3, now, runner });
    expect(a.units.map((u) => u.key)).toEqual(['s1:0', 's1:1', 's1:2']);
    expect(b.units.map((u) => u.key)).toEqual(['s1:3', 's1:4']);
    expect(c.units).toEqual([]);
    expect(getJobRow({ db: env.db, id: job.id })!.status).toBe('running');
    // a heartbeat stores how far a unit has got: it counts in the job's progress
    heartbeatJobUnits({ db: env.db, workerId: 'A', units: [{ id: a.units[0]!.id, jobId: job.id, progress: 1 }], leaseMs: 1000, now });
    expect(getJob(job.id).done).toBe(1);
    expect(getJobRow({ db: env.db, id: job.id })!.done).toBe(0);
    expect(commitJobUnit({ db: env.db, unitId: a.units[0]!.id, workerId: 'A', result: null, now, apply: () => mark(job.id, 's1:0', 'A') })).toBe(true);
    expect(failJobUnit({ db: env.db, unitId: b.units[0]!.id, workerId: 'B', error: 'no', details: null, retry: false, maxAttempts: 3, now })).toBe('failed');
    expect(getJobRow({ db: env.db, id: job.id })).toMatchObject({ done: 2, failures: 2, total: 10 });
    cancelJob(job.id);
  });

  it('a lease that expired is taken by another worker, and the first worker cannot store the unit any more', () => {
    const job = startJob(testJob, { n: 1 });
    const t = Date.now();
    const [unit] = claimJobUnits({ db: env.db, jobId: job.id, workerId: 'A', limit: 1, leaseMs: 1000, maxAttempts: 3, now: t, runner }).units;
    expect(claimJobUnits({ db: env.db, jobId: job.id, workerId: 'B', limit: 1, leaseMs: 1000, maxAttempts: 3, now: t + 500, runner }).units).toEqual([]);
    const [again] = claimJobUnits({ db: env.db, jobId: job.id, workerId: 'B', limit: 1, leaseMs: 1000, maxAttempts: 3, now: t + 1500, runner }).units;
    expect(again).toMatchObject({ id: unit!.id, attempts: 2 });
    // A finishes late: the check fails first, its writes never run
    let applied = false;
    expect(commitJobUnit({ db: env.db, unitId: unit!.id, workerId: 'A', result: null, now: t + 1600, apply: () => (applied = true) })).toBe(false);
    expect(applied).toBe(false);
    // A's heartbeat finds the unit lost; B's finds it held
    expect(heartbeatJobUnits({ db: env.db, workerId: 'A', units: [{ id: unit!.id, jobId: job.id, progress: 0 }], leaseMs: 1000, now: t + 1600 })).toMatchObject({ lost: [unit!.id] });
    expect(heartbeatJobUnits({ db: env.db, workerId: 'B', units: [{ id: unit!.id, jobId: job.id, progress: 0 }], leaseMs: 1000, now: t + 1600 })).toMatchObject({ held: [unit!.id] });
    expect(commitJobUnit({ db: env.db, unitId: unit!.id, workerId: 'B', result: null, now: t + 1700, apply: () => mark(job.id, 'only', 'B') })).toBe(true);
    expect(marks(job.id)).toEqual([{ key: 'only', worker: 'B' }]);
    // done once: nobody can claim or store it again
    expect(commitJobUnit({ db: env.db, unitId: unit!.id, workerId: 'B', result: null, now: t + 1800 })).toBe(false);
    expect(claimJobUnits({ db: env.db, jobId: job.id, workerId: 'C', limit: 1, leaseMs: 1000, maxAttempts: 3, now: t + 99_000, runner }).units).toEqual([]);
  });

  it('a store whose writes throw is rolled back whole, and the unit stays with its worker', () => {
    const job = startJob(testJob, { n: 1 });
    const [unit] = claimJobUnits({ db: env.db, jobId: job.id, workerId: 'A', limit: 1, leaseMs: 1000, maxAttempts: 3, now: Date.now(), runner }).units;
    expect(() =>
      commitJobUnit({
        db: env.db,
        unitId: unit!.id,
        workerId: 'A',
        result: null,
        now: Date.now(),
        apply: () => {
          mark(job.id, 'half', 'A');
          throw new Error('constraint');
        },
      }),
    ).toThrow('constraint');
    expect(marks(job.id)).toEqual([]);
    expect(listJobUnits({ db: env.db, jobId: job.id })[0]).toMatchObject({ status: 'claimed', workerId: 'A' });
    expect(releaseJobUnit({ db: env.db, unitId: unit!.id, workerId: 'A' })).toBe(true);
    expect(listJobUnits({ db: env.db, jobId: job.id })[0]).toMatchObject({ status: 'pending', workerId: null, attempts: 0 });
    cancelJob(job.id);
  });

  it('a unit is failed after its attempts: failed ones, and claims whose worker died each time', () => {
    const job = startJob(testJob, { n: 2 });
    const t = Date.now();
    const claim = (now: number, limit = 2) => claimJobUnits({ db: env.db, jobId: job.id, workerId: `W${now}`, limit, leaseMs: 100, maxAttempts: 2, now, runner });
    const first = claim(t).units;
    // unit 0 fails twice (pending again after the first)
    expect(failJobUnit({ db: env.db, unitId: first[0]!.id, workerId: `W${t}`, error: 'e1', details: null, retry: true, maxAttempts: 2, now: t })).toBe('pending');
    // unit 1's worker dies: its lease expires, twice
    const second = claim(t + 200).units;
    expect(second.map((u) => u.key)).toEqual(['s1:0', 's1:1']);
    expect(failJobUnit({ db: env.db, unitId: second[0]!.id, workerId: `W${t + 200}`, error: 'e2', details: { why: 'e2' }, retry: true, maxAttempts: 2, now: t + 200 })).toBe('failed');
    const third = claim(t + 400);
    expect(third.units).toEqual([]);
    expect(third.expiredFailed).toBe(1);
    const units = listJobUnits({ db: env.db, jobId: job.id });
    expect(units[0]).toMatchObject({ status: 'failed', error: 'e2', result: { why: 'e2' }, attempts: 2 });
    expect(units[1]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(units[1]!.error).toMatch(/lease expired/);
    expect(getJobRow({ db: env.db, id: job.id })).toMatchObject({ failures: 4, done: 0 });
  });
});

describe('workers in this process', () => {
  beforeEach(() => {
    runs = [];
  });

  it('two workers share a job of two stages: each unit stored once, the next stage planned when the first is settled', async () => {
    const job = startJob(testJob, { n: 6, ms: 10, stages: 2 });
    expect(job.total).toBe(24); // 12 planned + 12 expected from the second stage
    const w1 = new Worker({ db: env.db, plans, concurrency: 2, jobId: job.id, pollMs: 5 });
    const w2 = new Worker({ db: env.db, plans, concurrency: 2, jobId: job.id, pollMs: 5 });
    await Promise.all([w1.run(), w2.run()]);
    const end = getJob(job.id);
    expect(end).toMatchObject({ status: 'done', done: 24, total: 24, failures: 0 });
    expect((end.result as { done: string[] }).done).toHaveLength(12);
    expect(marks(job.id)).toHaveLength(12);
    expect(new Set(marks(job.id).map((m) => m.key)).size).toBe(12);
    expect(w1.stats.done + w2.stats.done).toBe(12);
    expect(w1.stats.done).toBeGreaterThan(0);
    expect(w2.stats.done).toBeGreaterThan(0);
    const units = listJobUnits({ db: env.db, jobId: job.id });
    expect(units.filter((u) => u.stage === 's2')).toHaveLength(6);
    // the second stage started after every unit of the first was done
    expect(Math.min(...units.filter((u) => u.stage === 's2').map((u) => u.id))).toBeGreaterThan(Math.max(...units.filter((u) => u.stage === 's1').map((u) => u.id)));
  });

  it('a unit whose lease was lost while it ran is not stored by its first worker', async () => {
    const job = startJob(testJob, { n: 1, ms: 300 });
    // no heartbeat: the lease of 100 ms expires while the unit runs
    const slow = new Worker({ db: env.db, plans, concurrency: 1, jobId: job.id, leaseMs: 100, heartbeatMs: 60_000, pollMs: 5 });
    const running = slow.run();
    await sleep(150);
    const other = new Worker({ db: env.db, plans, concurrency: 1, jobId: job.id, pollMs: 5 });
    await Promise.all([running, other.run()]);
    expect(slow.stats).toMatchObject({ done: 0, lost: 1 });
    expect(other.stats.done).toBe(1);
    expect(marks(job.id)).toEqual([{ key: 's1:0', worker: 'w' }]);
    expect(getJob(job.id)).toMatchObject({ status: 'done', done: 2, total: 2 });
  });

  it('gives back at once the units of a worker whose process died', async () => {
    const job = startJob(testJob, { n: 2 });
    // a pid that is not running on this host
    const dead = `${os.hostname()}:${2 ** 22 + 4321}:gone`;
    claimJobUnits({ db: env.db, jobId: job.id, workerId: dead, limit: 2, leaseMs: 3_600_000, maxAttempts: 3, now: Date.now(), runner });
    const w = new Worker({ db: env.db, plans, concurrency: 2, jobId: job.id, pollMs: 5 });
    await w.run();
    expect(getJob(job.id)).toMatchObject({ status: 'done', done: 4 });
    expect(listJobUnits({ db: env.db, jobId: job.id }).map((u) => u.attempts)).toEqual([2, 2]);
  });

  it('retries a failing unit up to the limit, fails a unit that cannot succeed at once, and reports them', async () => {
    const job = startJob(testJob, { n: 3, flaky: ['s1:0'], broken: ['s1:1'] });
    await new Worker({ db: env.db, plans, concurrency: 3, jobId: job.id, pollMs: 5, maxAttempts: 3 }).run();
    const end = getJob(job.id);
    expect(end).toMatchObject({ status: 'done', done: 2, failures: 4, total: 6 });
    expect(runs.filter((k) => k === 's1:0')).toHaveLength(3);
    expect(runs.filter((k) => k === 's1:1')).toHaveLength(1);
    expect(end.result).toMatchObject({ done: ['s1:2'], failed: ['s1:0: s1:0 failed (attempt 3)', 's1:1: s1:1 is broken'] });
  });

  it('cancel: workers abandon the job (units given back), it is cancelled with its result; run again, it finishes', async () => {
    process.env.POPULACE_WORKERS = '';
    const job = startJob(testJob, { n: 8, ms: 80, concurrency: 2 });
    await sleep(200);
    const mid = cancelJob(job.id);
    expect(mid.status).toBe('cancelling');
    const cancelled = await waitForJob(job.id);
    expect(cancelled.status).toBe('cancelled');
    const units = listJobUnits({ db: env.db, jobId: job.id });
    expect(units.filter((u) => u.status === 'claimed')).toEqual([]);
    const doneBefore = units.filter((u) => u.status === 'done').map((u) => u.key);
    expect(doneBefore.length).toBeGreaterThan(0);
    expect(doneBefore.length).toBeLessThan(8);
    expect((cancelled.result as { done: string[] }).done).toEqual(doneBefore);
    // nobody claims units of a cancelled job
    expect(claimJobUnits({ db: env.db, jobId: job.id, workerId: 'X', limit: 8, leaseMs: 1000, maxAttempts: 3, now: Date.now(), runner }).units).toEqual([]);

    const again = await runJob(job.id, testJob);
    expect(again).toMatchObject({ status: 'done', done: 16, total: 16, failures: 0 });
    // every unit stored once over both runs: the test plan stores blindly, so the second run stored the rest
    // and the units stored before the cancel again (a real plan skips what is stored)
    expect(marks(job.id).filter((m) => !doneBefore.includes(m.key)).length).toBe(8 - doneBefore.length);
  });

  it('a cancel seen at the heartbeat of a worker in another process', async () => {
    const job = startJob(testJob, { n: 2, ms: 400 });
    const w = new Worker({ db: env.db, plans, concurrency: 2, jobId: job.id, pollMs: 5, heartbeatMs: 50 });
    const running = w.run();
    await sleep(100);
    // what cancelJob does in a process that does not run the job: only the status changes
    env.db.run(sql`UPDATE jobs SET status = 'cancelling' WHERE id = ${job.id}`);
    await running;
    expect(w.stats).toMatchObject({ released: 2, done: 0 });
    expect(getJob(job.id).status).toBe('cancelled');
    expect(marks(job.id)).toEqual([]);
  });

  it('a plan that throws leaves a failed job', () => {
    const bad = unitJobKind('test.bad', { ...plan, plan: () => { throw new Error('no instrument'); } });
    const job = startJob(bad, { n: 1 });
    expect(job).toMatchObject({ status: 'failed', error: 'Error: no instrument' });
  });

  it('the pool of local workers (as the server runs it) takes the jobs of its kinds; with POPULACE_WORKERS=0 there is none and jobs wait', async () => {
    const table = { [testJob.kind]: testJob.handler };
    expect(startLocalWorkers(table, { db: env.db })).toBeNull();
    const waiting = startJob(testJob, { n: 2 });
    await sleep(300);
    expect(getJob(waiting.id)).toMatchObject({ status: 'queued', activeHere: false });
    process.env.POPULACE_WORKERS = '3';
    expect(startLocalWorkers(table, { db: env.db })).not.toBeNull();
    // the pool finds the waiting job, and takes a new one at once
    const job = startJob(testJob, { n: 4, ms: 50 });
    expect((await waitForJob(job.id)).status).toBe('done');
    expect((await waitForJob(waiting.id)).status).toBe('done');
    expect(marks(job.id)).toHaveLength(4);
    await stopLocalWorkers();
  });
});
