import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignmentRuns, personas } from '@/db/schema';
import { listAuditEntries } from '@/db/queries/audit';
import { listPoolPersonas } from '@/db/queries/pool';
import { waitForJob } from '@/lib/jobs';
import { useSeededDatabase } from '../../support/db';
import { textOf } from '../../support/reactText';

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
    // The default estimator is chosen on held-out reference rows; the run keeps the candidate table.
    expect(run.diagnostics.estimator.choice).toBe('auto');
    expect(run.diagnostics.estimator.candidates.length).toBeGreaterThanOrEqual(5);
    expect(Array.isArray(run.trace)).toBe(true);
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
    // the OT tolerance each run was made with (the studio's Sinkhorn chart draws it): the engine's, as no request sets it
    const { DEFAULT_ALIGN_CONFIG } = await import('@/lib/align/alignConfig');
    expect(runs.map((r) => r.tolerance)).toEqual(runs.map(() => DEFAULT_ALIGN_CONFIG.tolerance));
    const cmp = compareRuns(runs[0]!.id, runs[1]!.id);
    expect(cmp.overlap.shared + cmp.overlap.onlyA).toBeGreaterThan(0);
    // The runs page, with two runs ticked, lines their settings up in words and marks the ones that differ:
    // 'whole sample' (seed 7) and 'after rejections' (seed 1, North America).
    const { describeRunSettings, describeRunDiagnostics } = await import('@/lib/studio/runs');
    const sa = describeRunSettings(cmp.a);
    const sb = describeRunSettings(cmp.b);
    expect(sa.map((s) => s.label)).toEqual(sb.map((s) => s.label));
    const differs = sa.filter((s, i) => s.value !== sb[i]!.value).map((s) => s.key);
    expect(differs).toEqual(expect.arrayContaining(['target', 'seed']));
    expect(differs).not.toContain('selection');
    expect(sa.find((s) => s.key === 'selection')!.value).toBe('systematic');
    expect(sa.find((s) => s.key === 'estimator')!.value).toMatch(/\(chosen by auto\)$/);
    const iterations = describeRunDiagnostics(cmp.a.diagnostics).find((d) => d.key === 'iterations')!.value;
    expect(iterations).toMatch(/^\d+$/);
    const page = (await import('@/app/studio/runs/page')).default;
    const tree = await page({ searchParams: Promise.resolve({ compare: [String(runs[0]!.id), String(runs[1]!.id)] }) });
    expect(textOf(tree)).toContain('The two selections share');
    const one = await page({ searchParams: Promise.resolve({ compare: String(runs[0]!.id) }) });
    expect(textOf(one)).toContain('Tick exactly two runs to compare (1 ticked).');
  });

  it('bounds the set size: the ceiling, 10 times the pool for draws with repeats, the pool for distinct sets', async () => {
    const runs = () => env.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM alignment_runs`)[0]!.n;
    const before = runs();
    const huge = await startRun({ name: 'huge', seed: 1, size: 10_000_000, spec: {} });
    expect(huge.status).toBe(422);
    expect(huge.body.error).toMatchObject({ code: 'size_limit', details: { field: 'size', value: 10_000_000, limit: 100_000 } });
    expect(huge.body.error.message).toBe('size: 10,000,000 was asked for, but the limit is 100,000 (POPULACE_MAX_SET_SIZE).');

    const pool = listPoolPersonas({ db: env.db }).length;
    const repeats = await startRun({ name: 'too many draws', seed: 1, size: 10 * pool + 1, spec: {} });
    expect(repeats.status).toBe(422);
    expect(repeats.body.error.details).toEqual({ field: 'size', value: 10 * pool + 1, limit: 10 * pool });
    expect(repeats.body.error.message).toMatch(/a draw with repeats holds at most 10 times the [\d,]+ personas of the pool/);

    const distinct = await startRun({ name: 'too many distinct', seed: 1, size: pool + 1, spec: {}, config: { selection: 'withoutReplacement' } });
    expect(distinct.status).toBe(422);
    expect(distinct.body.error.details).toEqual({ field: 'size', value: pool + 1, limit: pool });

    process.env.POPULACE_MAX_SET_SIZE = '200';
    try {
      const capped = await startRun({ name: 'capped', seed: 1, size: 201, spec: {} });
      expect(capped.status).toBe(422);
      expect(capped.body.error.message).toBe('size: 201 was asked for, but the limit is 200 (POPULACE_MAX_SET_SIZE).');
      process.env.POPULACE_MAX_SET_SIZE = 'lots';
      const bad = await startRun({ name: 'bad setting', seed: 1, size: 10, spec: {} });
      expect(bad.status).toBe(500);
      expect(bad.body.error.message).toMatch(/POPULACE_MAX_SET_SIZE must be a whole number/);
    } finally {
      delete process.env.POPULACE_MAX_SET_SIZE;
    }
    expect(runs()).toBe(before); // nothing stored

    // the job checks again against the pool it finds, so a stored selection stays bounded
    const { executeRun, runRequestSchema } = await import('@/lib/studio/runs');
    expect(() => executeRun(env.db, 1, runRequestSchema.parse({ seed: 1, size: pool + 1, spec: {}, config: { selection: 'topFraction' } }))).toThrow(
      /size: [\d,]+ was asked for, but the limit is/,
    );
  });

  it('deletes a finished run with an audit entry in loopback mode; a missing run is a 404', async () => {
    const started = await startRun({ name: 'to delete', seed: 3, size: 50, spec: {} });
    expect(started.status).toBe(200);
    expect((await waitForJob(started.body.jobId)).status).toBe('done');
    const id = started.body.runId as number;
    expect(env.db.select().from(alignmentRuns).where(eq(alignmentRuns.id, id)).get()!.createdBy).toBeNull();
    const { DELETE } = await import('@/app/api/runs/[id]/route');
    const del = () => DELETE(new Request(`http://localhost/api/runs/${id}`, { method: 'DELETE' }), { params: Promise.resolve({ id: String(id) }) });
    const res = await del();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: id });
    expect(env.db.select().from(alignmentRuns).where(eq(alignmentRuns.id, id)).get()).toBeUndefined();
    expect((await del()).status).toBe(404);
    const audit = listAuditEntries({ db: env.db, entity: 'run', entityId: id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: null, action: 'delete', entity: 'run' });
    expect(audit[0]!.details).toMatchObject({ name: 'to delete', status: 'done', seed: 3, selectionSize: 50 });
  });
});
