import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshDatabase } from '../../support/db';
import { insertJob, setJobStatus, getJobRow } from '@/db/queries/jobs';
import {
  cancelJob,
  getJob,
  jobKind,
  jobTableOf,
  listJobs,
  resumeJobs,
  runJob,
  setProgressThrottle,
  startJob,
  waitForJob,
} from '@/lib/jobs';

let env: ReturnType<typeof useFreshDatabase>;
beforeAll(() => {
  env = useFreshDatabase();
  setProgressThrottle(5);
});
afterAll(() => env.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const countJob = jobKind<{ n: number }>('test.count', async ({ params, progress }) => {
  progress({ total: params.n });
  for (let i = 1; i <= params.n; i++) {
    await sleep(2);
    progress({ done: i });
  }
  return { counted: params.n };
});

describe('job runner', () => {
  it('runs a job, persists progress and the result', async () => {
    const job = startJob(countJob, { n: 5 });
    expect(job.status).toBe('queued');
    const end = await waitForJob(job.id);
    expect(end.status).toBe('done');
    expect(end.done).toBe(5);
    expect(end.total).toBe(5);
    expect(end.fraction).toBe(1);
    expect(end.result).toEqual({ counted: 5 });
    expect(getJobRow({ db: env.db, id: job.id })!.done).toBe(5);
    expect(listJobs().map((j) => j.id)).toContain(job.id);
  });

  it('derives a rate and time left while running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = jobKind('test.slow', async ({ progress }) => {
      progress({ total: 10 });
      await sleep(700);
      progress({ done: 5 });
      await gate;
      progress({ done: 10 });
    });
    const job = startJob(slow, {});
    await sleep(800);
    const mid = getJob(job.id);
    expect(mid.status).toBe('running');
    expect(mid.done).toBe(5);
    expect(mid.rate).toBeGreaterThan(0);
    expect(mid.secondsLeft).toBeGreaterThan(0);
    release();
    expect((await waitForJob(job.id)).status).toBe('done');
  });

  it('cancels a running job through its signal', async () => {
    const forever = jobKind('test.forever', async ({ signal, progress }) => {
      progress({ total: 1000 });
      for (let i = 0; i < 1000 && !signal.aborted; i++) {
        await sleep(5);
        progress({ done: i + 1 });
      }
    });
    const job = startJob(forever, {});
    await sleep(60);
    expect(cancelJob(job.id).status).toBe('cancelling');
    const end = await waitForJob(job.id);
    expect(end.status).toBe('cancelled');
    expect(end.done).toBeLessThan(1000);
    expect(end.finishedAt).not.toBeNull();
  });

  it('records a failing handler as failed with its error', async () => {
    const fail = jobKind('test.fail', async () => {
      throw new Error('boom');
    });
    const end = await waitForJob(startJob(fail, {}).id);
    expect(end.status).toBe('failed');
    expect(end.error).toContain('boom');
  });

  it('rejects unknown ids, running a job as another kind, and a kind declared twice', () => {
    expect(() => getJob(99999)).toThrow(/no job 99999/);
    const row = insertJob({ db: env.db, kind: 'test.count', params: { n: 1 } });
    expect(() => runJob(row.id, jobKind('test.other', async () => {}))).toThrow(/is a test.count job, not test.other/);
    cancelJob(row.id);
    expect(() => jobTableOf([countJob, countJob])).toThrow(/declared twice/);
  });

  it('resumes jobs left running by a dead process from the table, and fails jobs of a kind it does not have', async () => {
    const orphan = insertJob({ db: env.db, kind: 'test.count', params: { n: 3 } });
    setJobStatus({ db: env.db, id: orphan.id, status: 'running', result: { _runner: { pid: 2 ** 22 + 12345, host: 'gone', startedAt: new Date().toISOString(), doneAtStart: 0 } } });
    const gone = insertJob({ db: env.db, kind: 'test.gone', params: {} });
    const stale = insertJob({ db: env.db, kind: 'test.count', params: { n: 1 } });
    setJobStatus({ db: env.db, id: stale.id, status: 'cancelling' });

    const ids = resumeJobs(jobTableOf([countJob]));
    expect(ids).toEqual([orphan.id]);
    expect((await waitForJob(orphan.id)).status).toBe('done');
    expect(getJob(orphan.id).result).toEqual({ counted: 3 });
    expect(getJob(stale.id).status).toBe('cancelled');
    const failed = getJob(gone.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/No job kind "test.gone"/);
  });

  it('runJob reruns a failed job to completion', async () => {
    let attempts = 0;
    const flaky = jobKind('test.flaky', async () => {
      attempts++;
      if (attempts === 1) throw new Error('first time');
      return { attempts };
    });
    const job = startJob(flaky, {});
    expect((await waitForJob(job.id)).status).toBe('failed');
    const again = await runJob(job.id, flaky);
    expect(again.status).toBe('done');
    expect(again.result).toEqual({ attempts: 2 });
  });
});
