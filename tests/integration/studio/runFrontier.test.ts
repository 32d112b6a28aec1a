import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTO_CANDIDATES, ESTIMATOR_CHOICES } from '@/lib/align';
import { PAPER_METRICS } from '@/lib/stats/metrics';
import { waitForJob } from '@/lib/jobs';
import { type StoredEstimator, type StoredFrontier } from '@/lib/studio/runs';
import { meanRatio as ratioToRaw } from '@/lib/stats';
import { AUTO_CANDIDATE_LABELS, ESTIMATOR_OPTIONS } from '@/components/studio/estimatorChoices';
import { frontierSentence } from '@/components/studio/RunDetails';
import { useSeededDatabase } from '../../support/db';

let env: ReturnType<typeof useSeededDatabase>;
beforeAll(() => {
  env = useSeededDatabase();
});
afterAll(() => env.cleanup());

interface StoredRun {
  status: string;
  selection: number[];
  weights: number[];
  metrics: Record<'raw' | 'resample' | 'weighted', Record<(typeof PAPER_METRICS)[number], number>>;
  diagnostics: { estimator: StoredEstimator; frontier: StoredFrontier | { error: string }; warnings: string[] };
}

async function run(body: Record<string, unknown>): Promise<StoredRun> {
  const { POST } = await import('@/app/api/runs/route');
  const res = await POST(
    new Request('http://localhost/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seed: 3, spec: {}, ...body }) }),
    undefined,
  );
  expect(res.status).toBe(200);
  const started = await res.json();
  expect((await waitForJob(started.jobId)).status).toBe('done');
  const { GET } = await import('@/app/api/runs/[id]/route');
  return (await GET(new Request('http://localhost'), { params: Promise.resolve({ id: String(started.runId) }) })).json();
}

function frontierOf(r: StoredRun): StoredFrontier {
  const f = r.diagnostics.frontier;
  if (!('sizes' in f)) throw new Error(`no frontier: ${f.error}`);
  return f;
}

/** Shape checks every stored frontier passes: plain arrays of one entry per size, ratios on Raw's scale. */
function checkFrontier(f: StoredFrontier, r: StoredRun) {
  expect(Array.isArray(f.sizes)).toBe(true);
  const L = f.sizes.length;
  expect(L).toBeGreaterThanOrEqual(5);
  for (let s = 1; s < L; s++) expect(f.sizes[s]!).toBeGreaterThan(f.sizes[s - 1]!);
  for (const m of PAPER_METRICS) {
    expect(Array.isArray(f.distinct[m]) && f.distinct[m].length === L).toBe(true);
    expect(Array.isArray(f.systematic[m]) && f.systematic[m].length === L).toBe(true);
  }
  expect(f.ratioToRaw).toHaveLength(L);
  expect(f.systematicRatioToRaw).toHaveLength(L);
  f.systematicDistinct.forEach((d, s) => {
    expect(d).toBeGreaterThanOrEqual(1);
    expect(d).toBeLessThanOrEqual(f.sizes[s]!);
  });
  // The ratios use the run's own Raw row as denominators, and the weighted pool is the run's weighted row.
  expect(f.raw).toEqual(r.metrics.raw);
  expect(f.weighted).toEqual(r.metrics.weighted);
  f.sizes.forEach((_, s) => {
    const at = Object.fromEntries(PAPER_METRICS.map((m) => [m, f.distinct[m][s]!])) as StoredRun['metrics']['raw'];
    expect(f.ratioToRaw[s]).toBeCloseTo(ratioToRaw(at, r.metrics.raw), 12);
    expect(f.ratioToRaw[s]).toBeGreaterThan(0);
  });
  // recommendedSize: the largest size within 10% of the best ratio.
  const best = Math.min(...f.ratioToRaw);
  const within = f.sizes.filter((_, s) => f.ratioToRaw[s]! <= 1.1 * best);
  expect(f.recommendedSize).toBe(within.at(-1));
  expect(f.positiveCount).toBe(r.weights.filter((w) => w > 0).length);
  expect(f.run.size).toBe(r.selection.length);
  expect(f.run.distinct).toBe(new Set(r.selection).size);
  expect(f.run.ratioToRaw).toBeCloseTo(ratioToRaw(r.metrics.resample, r.metrics.raw), 12);
}

describe('a run stores its estimator, candidate table and diversity-fidelity frontier', () => {
  it('auto: the candidate table with the winner, and the frontier including the run’s k', async () => {
    const r = await run({ name: 'frontier auto', config: { bandwidth: 0.5 } });
    const e = r.diagnostics.estimator;
    expect(e.choice).toBe('auto');
    expect(e.candidates!.map((c) => c.label)).toEqual(AUTO_CANDIDATES.map((c) => c.label));
    const ok = e.candidates!.filter((c) => c.error === null);
    expect(ok.length).toBeGreaterThanOrEqual(5);
    for (const c of ok) {
      for (const m of PAPER_METRICS) expect(Number.isFinite(c.heldOut[m])).toBe(true);
      // The score is the mean over the two folds of each fold's ratio to Raw; the stored held-out metrics are fold
      // means, so their ratio agrees with the score only up to the folds' spread (a few parts in a thousand).
      expect(Math.abs(c.score / ratioToRaw(c.heldOut, e.heldOut!.raw) - 1)).toBeLessThan(0.02);
      expect(c.ess).toBeGreaterThan(0);
      expect(c.distinct).toBeGreaterThan(0);
      expect(typeof c.converged).toBe('boolean');
    }
    // The winner is the lowest score, and it is what weighted the pool.
    const winner = ok.reduce((a, b) => (b.score < a.score ? b : a));
    expect(e.used).toBe(winner.label);
    expect(e.heldOut!.fitRows + e.heldOut!.heldOutRows).toBeGreaterThan(1000);

    const f = frontierOf(r);
    checkFrontier(f, r);
    expect(f.method).toBe('pivotal');
    expect(f.replicates).toBe(1);
    expect(f.sizes).toContain(1000); // the run's k, beside the default sizes
    expect(f.sizes[0]).toBe(50);
    expect(f.run.repeats).toBe(true);
    const k = f.sizes.indexOf(1000);
    const sentence = frontierSentence(f);
    expect(sentence).toContain(`1,000 draws use ${f.run.distinct.toLocaleString('en-US')} distinct personas`);
    expect(sentence).toContain(`1,000 distinct personas reach AMW ${f.distinct.amw[k]!.toFixed(2)}`);
    expect(sentence).toContain(`recommended k = ${f.recommendedSize.toLocaleString('en-US')}`);

    // The studio's list carries the same diagnostics (its runs table shows the estimator).
    const { listRuns } = await import('@/lib/studio/runs');
    const listed = listRuns().find((x) => x.name === 'frontier auto')!;
    expect((listed.diagnostics as StoredRun['diagnostics']).estimator.used).toBe(e.used);
  });

  it('a named estimator with unique personas: no candidate table, a distinct set, the frontier', async () => {
    const r = await run({ name: 'frontier raking', size: 300, config: { estimator: 'raking', selection: 'pivotal' } });
    expect(r.diagnostics.estimator.choice).toBe('raking');
    expect(r.diagnostics.estimator.candidates).toBeNull();
    expect(r.selection).toHaveLength(300);
    expect(new Set(r.selection).size).toBe(300);
    const f = frontierOf(r);
    checkFrontier(f, r);
    expect(f.run.repeats).toBe(false);
    expect(f.sizes).toContain(300);
    expect(frontierSentence(f)).toMatch(/^The run’s set holds 300 distinct personas .*300 systematic draws would use \d+ distinct personas/);
  });

  it('names how many distinct personas are available when k of them cannot be had', async () => {
    // The paper's method keeps 70% of the pool as OT candidates: the rest get weight 0.
    const r = await run({ name: 'frontier capped', size: 1200, config: { estimator: 'paper', selection: 'pivotal', bandwidth: 0.5 } });
    const positive = r.weights.filter((w) => w > 0).length;
    expect(positive).toBeLessThan(1200);
    expect(r.selection).toHaveLength(positive);
    expect(r.diagnostics.warnings.join(' ')).toContain(`Only ${positive} personas have a positive weight`);
    const f = frontierOf(r);
    checkFrontier(f, r);
    expect(f.sizes.at(-1)).toBe(positive);
  });
});

describe('the studio’s estimator choices', () => {
  it('list every engine choice and every auto candidate', () => {
    expect(ESTIMATOR_OPTIONS.map((o) => o.value).sort()).toEqual([...ESTIMATOR_CHOICES].sort());
    expect([...AUTO_CANDIDATE_LABELS]).toEqual(AUTO_CANDIDATES.map((c) => c.label));
  });
});
