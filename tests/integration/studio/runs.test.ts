import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas } from '@/db/schema';
import { listPoolPersonas } from '@/db/queries/pool';
import { waitForJob } from '@/lib/jobs';
import { useSeededDatabase } from '../../support/db';

let env: ReturnType<typeof useSeededDatabase>;
beforeAll(() => {
  env = useSeededDatabase();
});
afterAll(() => env.cleanup());

async function startRun(body: unknown) {
  const { POST } = await import('@/app/api/runs/route');
  const res = await POST(new Request('http://localhost/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), undefined);
  return { status: res.status, body: await res.json() };
}

describe('full alignment runs', () => {
  it('run as a job, save config, weights, selection, metrics and trace, and beat Raw and RandomSelect', async () => {
    const started = await startRun({ name: 'whole sample', seed: 7, spec: {}, config: { bandwidth: 0.5 } });
    expect(started.status).toBe(200);
    const job = await waitForJob(started.body.jobId);
    expect(job.status).toBe('done');
    const { GET } = await import('@/app/api/runs/[id]/route');
    const res = await GET(new Request('http://localhost'), { params: Promise.resolve({ id: String(started.body.runId) }) });
    const run = await res.json();
    expect(run.status).toBe('done');
    expect(run.seed).toBe(7);
    const pool = listPoolPersonas({ db: env.db });
    expect(run.personaIds).toEqual(pool.map((p) => p.id));
    expect(run.weights).toHaveLength(pool.length);
    expect(run.weights.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 9);
    expect(run.selection).toHaveLength(1000);
    expect(run.trace.length).toBeGreaterThan(0);
    for (const m of ['amw', 'fd', 'sw', 'mmd'] as const) {
      expect(run.metrics.resample[m]).toBeLessThan(run.metrics.raw[m]);
      expect(run.metrics.resample[m]).toBeLessThan(run.metrics.randomSelect[m]);
    }
    expect(run.config.request.spec.filters).toEqual({ countries: [], genders: [] });
  });

  it('never lets a rejected persona in', async () => {
    const pool = listPoolPersonas({ db: env.db });
    const rejected = pool.slice(0, 25).map((p) => p.id);
    for (const id of rejected) env.db.update(personas).set({ status: 'rejected' }).where(eq(personas.id, id)).run();
    const started = await startRun({ name: 'after rejections', seed: 1, spec: { filters: { countries: ['US', 'CA'] } } });
    expect((await waitForJob(started.body.jobId)).status).toBe('done');
    const { GET } = await import('@/app/api/runs/[id]/route');
    const run = await (await GET(new Request('http://localhost'), { params: Promise.resolve({ id: String(started.body.runId) }) })).json();
    expect(run.personaIds).toHaveLength(pool.length - 25);
    for (const id of rejected) {
      expect(run.personaIds).not.toContain(id);
      expect(run.selection).not.toContain(id);
    }
  });

  it('can be cancelled while the alignment process computes: the process stops and the run is marked cancelled', async () => {
    const { cancelJob, getJob } = await import('@/lib/jobs');
    const started = await startRun({ name: 'to cancel', seed: 2, spec: {} });
    // Wait until the child process has started and reported (the job is running), then cancel.
    await expect.poll(() => getJob(started.body.jobId).status, { timeout: 20_000, interval: 50 }).toBe('running');
    cancelJob(started.body.jobId);
    const job = await waitForJob(started.body.jobId);
    expect(job.status).toBe('cancelled');
    const { GET } = await import('@/app/api/runs/[id]/route');
    const run = await (await GET(new Request('http://localhost'), { params: Promise.resolve({ id: String(started.body.runId) }) })).json();
    expect(run.status).toBe('cancelled');
    expect(run.weights).toBeNull();
  });

  it('refuses an empty target with a clear message and lists runs for comparison', async () => {
    const bad = await startRun({ name: 'nobody', seed: 1, spec: { filters: { countries: ['ZZ'] } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/No respondent matches/);
    const { compareRuns, listRuns } = await import('@/lib/studio/runs');
    const runs = listRuns().filter((r) => r.status === 'done');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const cmp = compareRuns(runs[0]!.id, runs[1]!.id);
    expect(cmp.overlap.shared + cmp.overlap.onlyA).toBeGreaterThan(0);
  });
});
