/**
 * Groups through their route handlers on the seeded demo workspace: ready-made groups, retrieval (BM25 without an
 * embedding model, cosine with a mock one), alignment as a job with metrics and a coverage statement, and LLM light
 * revision with re-measurement and drift checks against a local fake OpenAI-compatible server.
 */
import { MockEmbeddingModelV3 } from 'ai/test';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas, traitScores } from '@/db/schema';
import { ensureDemoGroups } from '@/lib/groups/demo';
import { setProgressThrottle, waitForJob } from '@/lib/jobs';
import { clearModelOverrides, setEmbeddingModelOverride } from '@/lib/llm';
import { useSeededDatabase } from '../../support/db';
import { keyedByItemText } from '../../support/instruments';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakeOpenaiServer';

let env: ReturnType<typeof useSeededDatabase>;
let server: FakeServer;
const saved = { ...process.env };

const ipipKey = keyedByItemText('ipip50');

beforeAll(async () => {
  env = useSeededDatabase();
  ensureDemoGroups(env.db);
  clearModelOverrides();
  setProgressThrottle(20);
  server = await startFakeOpenAiServer({
    respond: (task, _req, user) => {
      if (task === 'group_revision') {
        const persona = user.match(/<persona>\n([\s\S]*?)\n<\/persona>/)![1]!;
        return JSON.stringify({ narrative: `${persona} They now live in Seoul and eat kimchi with every meal.`, country: 'South Korea', changes: 'Moved to Seoul.' });
      }
      if (task === 'item_answer') {
        // every revision answers in line with its key: each trait scores 4.0 on the 1-5 scale
        const item = user.match(/<item id="[^"]+">([\s\S]*?)<\/item>/)![1]!.trim();
        return JSON.stringify({ answer: ipipKey.get(item) === '-' ? 2 : 4 });
      }
      return undefined;
    },
  });
});
afterAll(async () => {
  clearModelOverrides();
  for (const k of ['LLM_BASE_URL', 'LLM_MODEL', 'LLM_BACKOFF_MS']) delete process.env[k];
  Object.assign(process.env, saved);
  await server.close();
  env.cleanup();
});

type Ctx = { params: Promise<{ id: string }> };
const ctx = (id: number | string): Ctx => ({ params: Promise.resolve({ id: String(id) }) });
const req = (body?: unknown, method = 'POST') => new Request('http://localhost/x', { method, headers: body === undefined ? undefined : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

async function createGroup(body: unknown) {
  const { POST } = await import('@/app/api/groups/route');
  const res = await POST(req(body), undefined);
  return { status: res.status, body: await res.json() };
}
async function retrieve(id: number, body: unknown = {}) {
  const { POST } = await import('@/app/api/groups/[id]/retrieve/route');
  const res = await POST(req(body), ctx(id));
  return { status: res.status, body: await res.json() };
}
async function detail(id: number) {
  const { GET } = await import('@/app/api/groups/[id]/route');
  return (await GET(req(undefined, 'GET'), ctx(id))).json();
}
async function align(id: number, body: unknown = {}) {
  const { POST } = await import('@/app/api/groups/[id]/align/route');
  const res = await POST(req(body), ctx(id));
  return { status: res.status, body: await res.json() };
}

describe('groups', () => {
  it('has the paper regions and an age group ready-made, once', async () => {
    expect(ensureDemoGroups(env.db).created).toBe(0);
    const { GET } = await import('@/app/api/groups/route');
    const list = await (await GET(req(undefined, 'GET'), undefined)).json();
    const byName = Object.fromEntries(list.groups.map((g: { name: string }) => [g.name, g]));
    expect(Object.keys(byName)).toEqual(['East Asia', 'North America', 'Europe (Germany, Netherlands, UK)', 'Young adults 18-24']);
    // BIG5: CN 40 + JP 37 + KR 30 + HK 41 + MN 2 + TW 26 = 176 respondents; several countries under 100
    expect(byName['East Asia'].target.n).toBe(176);
    expect(byName['East Asia'].target.warnings.join(' ')).toMatch(/Few respondents in China \(40\), Japan \(37\)/);
    expect(byName['North America'].target.n).toBe(8753 + 924);
    expect(byName['Europe (Germany, Netherlands, UK)'].target.n).toBe(191 + 133 + 1531);
  });

  it('retrieves by BM25 without an embedding model, filters first, and says why each hit matched', async () => {
    const g = await createGroup({
      name: 'Teachers',
      definition: {
        reference: { filters: { countries: ['US'] } },
        personas: { description: 'school teachers who love teaching', filters: { sources: ['gpt4-biographies'] }, retrieveCount: 15 },
      },
    });
    expect(g.status).toBe(200);
    const r = await retrieve(g.body.id);
    expect(r.status).toBe(200);
    expect(r.body.method).toBe('bm25');
    expect(r.body.hits.length).toBeGreaterThan(3);
    expect(r.body.hits.length).toBeLessThanOrEqual(15);
    for (const h of r.body.hits) {
      expect(h.sourceId).toBe('gpt4-biographies');
      expect(h.why.method).toBe('bm25');
      expect(h.why.terms.length).toBeGreaterThan(0);
      expect(h.whyText).toMatch(/^matched /);
    }
    expect(r.body.hits[0].why.terms.map((t: { term: string }) => t.term).join(' ')).toMatch(/teach/);
    expect(r.body.note).toMatch(/BM25/);
  });

  it('ranks by cosine when an embedding model is configured', async () => {
    // a toy embedder: the count of "teach" and "school" in the text
    setEmbeddingModelOverride(
      new MockEmbeddingModelV3({
        modelId: 'toy-embedder',
        doEmbed: async ({ values }) => ({
          embeddings: values.map((v) => [(v.match(/teach/gi) ?? []).length, (v.match(/school/gi) ?? []).length, 0.01]),
          warnings: [],
        }),
      }),
    );
    try {
      const g = await createGroup({
        name: 'Teachers (embedded)',
        definition: { reference: { filters: { countries: ['US'] } }, personas: { description: 'teach school', filters: { sources: ['gpt4-biographies'], occupationContains: 'teach' }, retrieveCount: 5 } },
      });
      const r = await retrieve(g.body.id);
      expect(r.body.method).toBe('embedding');
      expect(r.body.hits.length).toBeGreaterThan(0);
      for (let i = 1; i < r.body.hits.length; i++) expect(r.body.hits[i - 1].score).toBeGreaterThanOrEqual(r.body.hits[i].score);
      expect(r.body.hits[0].why.method).toBe('embedding');
      expect(r.body.hits[0].whyText).toMatch(/^cosine \d\.\d{3}: “/);
      expect(r.body.hits.every((h: { occupation: string }) => /teach/i.test(h.occupation))).toBe(true);
    } finally {
      setEmbeddingModelOverride(null);
    }
  });

  it('aligns the group set to its target as a job and measures it (AMW, FD, SW, MMD, MAEcorr, ESS)', async () => {
    const list = await (await (await import('@/app/api/groups/route')).GET(req(undefined, 'GET'), undefined)).json();
    const europe = list.groups.find((g: { name: string }) => g.name.startsWith('Europe'));
    const started = await align(europe.id, { seed: 3 });
    expect(started.status).toBe(200);
    expect(started.body.setSize).toBeGreaterThan(20);
    const job = await waitForJob(started.body.jobId);
    expect(job.status).toBe('done');
    const d = await detail(europe.id);
    expect(d.latestRun.id).toBe(started.body.runId);
    expect(d.latestRun.setSize).toBe(started.body.setSize);
    expect(d.latestRun.selectionSize).toBe(started.body.setSize);
    for (const m of ['amw', 'fd', 'sw', 'mmd', 'maecorr']) expect(Number.isFinite(d.latestRun.metrics.resample[m])).toBe(true);
    expect(d.latestRun.diagnostics.ess).toBeGreaterThan(0);
    expect(d.latestRun.config.request.config).toMatchObject({ selection: 'systematic', bandwidth: 0.5 });
    expect(d.latestRun.config.group.name).toBe(europe.name);
    expect(typeof d.latestRun.coverage.statement).toBe('string');
    // the run is linked to the group and its pool is the group set, not the whole pool
    const { getRun } = await import('@/lib/studio/runs');
    const run = getRun(started.body.runId);
    expect(run.groupId).toBe(europe.id);
    expect(run.personaIds).toHaveLength(started.body.setSize);
  });

  it('says when the pool cannot cover the group and names the missing personas', async () => {
    // five personas with one occupation cannot cover a whole country
    const g = await createGroup({
      name: 'Thin set',
      definition: { reference: { filters: { countries: ['GB'] } }, personas: { description: 'nurse hospital', filters: { sources: ['gpt4-biographies'] }, retrieveCount: 6 } },
    });
    const started = await align(g.body.id, { seed: 1 });
    expect(started.status).toBe(200);
    expect((await waitForJob(started.body.jobId)).status).toBe('done');
    const d = await detail(g.body.id);
    const cov = d.latestRun.coverage;
    expect(cov.ok).toBe(false);
    expect(cov.statement).toMatch(/cannot fully cover/);
    expect(cov.uncoveredShare).toBeGreaterThan(0.05);
    expect(cov.gaps.length).toBeGreaterThan(0);
    expect(cov.statement).toMatch(/Missing: personas with (low|high) /);
    expect(cov.gaps[0].label).toMatch(/(low|high) [EACNO] \([≤≥] \d\.\d\)/);
  });

  it('refuses to align a set without two measured personas, saying what to do', async () => {
    const g = await createGroup({
      name: 'Unmeasured',
      definition: { reference: { filters: { countries: ['US'] } }, personas: { filters: { sources: ['synthetic-persona-chat'] }, retrieveCount: 3 } },
    });
    // make the three retrieved personas unmeasured
    const r = await retrieve(g.body.id);
    for (const h of r.body.hits) env.db.delete(traitScores).where(eq(traitScores.personaId, h.id)).run();
    const res = await align(g.body.id);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/Measure the 3 unmeasured hits/);
  });

  it('revises retrieved personas (place and culture only), stores them as new versions, re-measures them and checks drift', async () => {
    process.env.LLM_BASE_URL = server.url;
    process.env.LLM_MODEL = 'fake-chat';
    process.env.LLM_BACKOFF_MS = '5';
    const g = await createGroup({
      name: 'Korea revision',
      definition: { reference: { filters: { countries: ['KR'] } }, personas: { description: 'engineer', filters: { sources: ['gpt4-biographies'] }, retrieveCount: 4 } },
    });
    const hits = (await retrieve(g.body.id)).body.hits as { id: number }[];
    const [a, b] = [hits[0]!.id, hits[1]!.id];
    // parents' IPIP-50 scores: a close to the revision's 4.0 on every trait, b far from it
    env.db.insert(traitScores).values({ personaId: a, instrumentId: 'ipip50', E: 4.1, A: 3.9, C: 4, N: 4.2, O: 3.8 }).onConflictDoNothing().run();
    env.db.insert(traitScores).values({ personaId: b, instrumentId: 'ipip50', E: 2, A: 4, C: 4, N: 4, O: 4 }).onConflictDoNothing().run();
    const { POST } = await import('@/app/api/groups/[id]/revise/route');
    const res = await POST(req({ personaIds: [a, b] }), ctx(g.body.id));
    expect(res.status).toBe(200);
    const job = await waitForJob((await res.json()).jobId);
    expect(job.error).toBeNull();
    expect(job.status).toBe('done');
    expect(job.result).toMatchObject({ revised: 2, measured: 2, drifted: 1 });

    const d = await detail(g.body.id);
    expect(d.revisions).toHaveLength(2);
    const revA = d.revisions.find((r: { parentId: number }) => r.parentId === a);
    const revB = d.revisions.find((r: { parentId: number }) => r.parentId === b);
    expect(revA.measured).toBe(true);
    expect(revA.drifted).toBe(false);
    expect(revA.maxDrift).toBeCloseTo(0.2, 9);
    expect(revA.status).toBe('measured');
    expect(revB.drifted).toBe(true);
    expect(revB.drift.E).toBeCloseTo(2, 9);
    expect(revB.status).toBe('flagged');
    expect(revA.diff.filter((p: { kind: string }) => p.kind === 'added').map((p: { text: string }) => p.text).join('')).toMatch(/Seoul/);
    expect(revA.diff.filter((p: { kind: string }) => p.kind === 'removed')).toHaveLength(0);

    const rowA = env.db.select().from(personas).where(eq(personas.id, revA.id)).get()!;
    const parentA = env.db.select().from(personas).where(eq(personas.id, a)).get()!;
    expect(rowA.parentId).toBe(a);
    expect(rowA.sourceId).toBe(parentA.sourceId);
    expect(rowA.externalId).toBe(`${parentA.externalId}#rev-g${g.body.id}-1`);
    expect(rowA.country).toBe('South Korea');
    expect(rowA.promptVersion).toBe('group-revision-v1');
    expect(rowA.flags).toEqual([]);
    const flagsB = env.db.select().from(personas).where(eq(personas.id, revB.id)).get()!.flags;
    expect(flagsB[0]).toMatchObject({ code: 'trait-drift', relatedPersonaId: b });
    expect(flagsB[0]!.reason).toMatch(/E by 2\.00/);

    // the group set now uses the revisions in place of their parents, and revisions are not retrieval candidates
    const { buildGroupSet, getGroup } = await import('@/lib/groups/service');
    const set = await buildGroupSet(getGroup(g.body.id));
    expect(set.personaIds).toContain(revA.id);
    expect(set.personaIds).not.toContain(a);
    expect(set.revised).toEqual(expect.arrayContaining([{ parentId: a, revisionId: revA.id }]));
    expect(set.retrieval.hits.map((h) => h.id)).not.toContain(revA.id);
  });
});
