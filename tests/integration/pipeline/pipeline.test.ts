/**
 * The whole pipeline through its route handlers against the local fake OpenAI-compatible server: import posts,
 * generate personas (filter, denoise, label, persona, critic, privacy + rewrite, near-duplicates), measure them,
 * answer the no-persona baseline, and rerun without paying twice.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSeededDatabase } from '../../support/db';
import { keyedByItemText } from '../../support/instruments';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakeOpenaiServer';
import { baselineResponses, itemResponses, personaPosts, personas, posts, traitScores } from '@/db/schema';
import { waitForJob, setProgressThrottle } from '@/lib/jobs';
import { clearModelOverrides } from '@/lib/llm';
import { DEMOGRAPHICS_PROMPT_VERSION } from '@/lib/pipeline/prompts';

const fixtures = path.join(process.cwd(), 'tests', 'fixtures', 'posts');
let env: ReturnType<typeof useSeededDatabase>;
let server: FakeServer;
const saved = { ...process.env };

// consistent in-character answers: agree with '+' items, disagree with '-' items, except the astronaut (always 5)
const ipipKey = keyedByItemText('ipip50');

beforeAll(async () => {
  env = useSeededDatabase();
  clearModelOverrides();
  setProgressThrottle(20);
  server = await startFakeOpenAiServer({
    respond: (task, _req, user) => {
      if (task !== 'item_answer') return undefined;
      const item = user.match(/<item id="[^"]+">([\s\S]*?)<\/item>/)![1]!.trim();
      if (/astronaut/i.test(user)) return JSON.stringify({ answer: 5 });
      const keyed = ipipKey.get(item);
      return JSON.stringify({ answer: keyed === '-' ? 2 : 4 });
    },
  });
  process.env.LLM_BASE_URL = server.url;
  process.env.LLM_MODEL = 'fake-chat';
  process.env.LLM_BACKOFF_MS = '5';
});
afterAll(async () => {
  for (const k of ['LLM_BASE_URL', 'LLM_MODEL', 'LLM_BACKOFF_MS']) delete process.env[k];
  Object.assign(process.env, saved);
  await server.close();
  env.cleanup();
});

function upload(file: string, query: string): Request {
  return new Request(`http://localhost/api/pipeline/import?${query}`, {
    method: 'POST',
    body: Readable.toWeb(createReadStream(file)) as unknown as ReadableStream,
    // @ts-expect-error duplex is required by undici for streamed bodies
    duplex: 'half',
  });
}

async function post(mod: string, body: unknown) {
  const { POST } = await import(/* @vite-ignore */ mod);
  const res: Response = await POST(new Request('http://localhost/x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), undefined);
  return { status: res.status, body: await res.json() };
}

const SOURCE = 'posts-fixture';

describe('persona pipeline against a local OpenAI-compatible server', () => {
  it('imports posts from CSV, reporting bad rows by line and field without aborting', async () => {
    const { POST } = await import('@/app/api/pipeline/import/route');
    const res = await POST(upload(path.join(fixtures, 'posts.csv'), `kind=posts&filename=posts.csv&sourceId=${SOURCE}`), undefined);
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report.imported).toBe(98);
    expect(report.sourceId).toBe(SOURCE);
    const byLine = Object.fromEntries(report.bad.map((b: { line: number; field: string; reason: string }) => [b.line, b]));
    expect(report.badCount).toBe(4);
    expect(byLine[100].field).toBe('author_id');
    expect(byLine[101].field).toBe('text');
    expect(byLine[102].field).toBe('time');
    expect(byLine[102].reason).toMatch(/not a date/);
    expect(byLine[103].reason).toMatch(/column|field/i);

    const again = await (await POST(upload(path.join(fixtures, 'posts.csv'), `kind=posts&filename=posts.csv&sourceId=${SOURCE}`), undefined)).json();
    expect(again.imported).toBe(0);
    expect(again.skipped).toBe(98);
  });

  it('refuses to generate from an unknown source', async () => {
    const r = await post('@/app/api/pipeline/generate/route', { sourceId: 'nope' });
    expect(r.status).toBe(404);
  });

  it('generates grounded personas with critic, privacy and duplicate flags', async () => {
    const r = await post('@/app/api/pipeline/generate/route', { sourceId: SOURCE, concurrency: 4 });
    expect(r.status).toBe(200);
    const job = await waitForJob(r.body.job.id);
    expect(job.status).toBe('done');
    expect(job.failures).toBe(0);
    expect(job.done).toBe(job.total);

    const db = env.db;
    const reasons = (reason: string) => db.select().from(posts).where(and(eq(posts.sourceId, SOURCE), eq(posts.filterReason, reason))).all();
    expect(reasons('too_short')).toHaveLength(1);
    expect(reasons('no_first_person')).toHaveLength(1);
    expect(reasons('quality_low')).toHaveLength(1);
    expect(db.select().from(posts).where(and(eq(posts.sourceId, SOURCE), eq(posts.kept, true))).all().every((p) => p.cleanedText)).toBe(true);

    const all = db.select().from(personas).where(eq(personas.sourceId, SOURCE)).all();
    const byExt = new Map(all.map((p) => [p.externalId, p]));
    // 8 ordinary authors + twin-a + twin-b + leaky + astro; "few" has too few posts; plus the privacy rewrite
    expect(all.filter((p) => p.parentId === null)).toHaveLength(12);
    expect(byExt.has('author:few')).toBe(false);
    for (const p of all) {
      expect(p.promptVersion).toBeTruthy();
      // demographics the generator left unknown were read from the narrative by the LLM (a rewrite copies them)
      expect(p.demographicsOrigin?.llm?.promptVersion).toBe(DEMOGRAPHICS_PROMPT_VERSION);
      expect(p.model).toBe('fake-chat');
      expect(p.narrative).toMatch(/\bthe author\b|\bthey\b/i);
      expect(db.select().from(personaPosts).where(eq(personaPosts.personaId, p.id)).all().length).toBeGreaterThanOrEqual(6);
    }
    const u1 = byExt.get('author:u1')!;
    expect(u1.occupation).toBe('unknown');
    expect(u1.flags).toEqual([]);
    expect(u1.qualityScores?.overall?.score).toBe(9);
    expect(u1.qualityScores?.hallucination?.reason).toBeTruthy();

    const astro = byExt.get('author:astro')!;
    expect(astro.status).toBe('flagged');
    expect(astro.flags.map((f) => f.code)).toContain('critic');
    expect(astro.flags.find((f) => f.code === 'critic')!.reason).toMatch(/hallucination 4/);
    expect(astro.occupation).toBe('astronaut');

    const leaky = byExt.get('author:leaky')!;
    const privacy = leaky.flags.find((f) => f.code === 'privacy')!;
    expect(privacy.reason).toMatch(/email: jo\.gardener@example\.com/);
    expect(privacy.reason).toMatch(/phone/);
    expect(leaky.narrative).toContain('jo.gardener@example.com'); // the original is kept for audit
    const rewrite = byExt.get('author:leaky#private')!;
    expect(rewrite.parentId).toBe(leaky.id);
    expect(privacy.relatedPersonaId).toBe(rewrite.id);
    expect(rewrite.narrative).not.toContain('@example.com');
    expect(rewrite.flags).toEqual([]);

    const twinA = byExt.get('author:twin-a')!;
    const twinB = byExt.get('author:twin-b')!;
    expect(twinB.flags.find((f) => f.code === 'duplicate')?.relatedPersonaId).toBe(twinA.id);
    expect(twinB.duplicateOfId).toBe(twinA.id);
    expect(twinA.flags.some((f) => f.code === 'duplicate')).toBe(false);
    expect(all.filter((p) => p.flags.some((f) => f.code === 'duplicate'))).toHaveLength(1);
  });

  it('a second generation run adds nothing and calls no model', async () => {
    const before = server.requests.length;
    const count = env.db.select().from(personas).where(eq(personas.sourceId, SOURCE)).all().length;
    const r = await post('@/app/api/pipeline/generate/route', { sourceId: SOURCE });
    const job = await waitForJob(r.body.job.id);
    expect(job.status).toBe('done');
    expect(job.done).toBe(job.total);
    expect(env.db.select().from(personas).where(eq(personas.sourceId, SOURCE)).all().length).toBe(count);
    expect(server.requests.length).toBe(before);
  });

  it('measures IPIP-50 in character with repetitions, scores from the key and flags inconsistent personas', async () => {
    const r = await post('@/app/api/pipeline/measure/route', { sourceId: SOURCE, repetitions: 2, temperature: 0.7, concurrency: 4 });
    expect(r.status).toBe(200);
    const job = await waitForJob(r.body.job.id);
    expect(job.status).toBe('done');
    expect(job.total).toBe(13 * 50 * 2);
    expect(job.done).toBe(job.total);

    const db = env.db;
    const u1 = db.select().from(personas).where(and(eq(personas.sourceId, SOURCE), eq(personas.externalId, 'author:u1'))).get()!;
    expect(u1.status).toBe('measured');
    const s = db.select().from(traitScores).where(and(eq(traitScores.personaId, u1.id), eq(traitScores.instrumentId, 'ipip50'))).get()!;
    // '+' items answered 4, '-' items answered 2 -> 6 - 2 = 4: every trait 4
    for (const t of ['E', 'A', 'C', 'N', 'O'] as const) expect(s[t]).toBeCloseTo(4, 10);
    expect(s.spread).toEqual({ E: 0, A: 0, C: 0, N: 0, O: 0 });
    const answers = db.select().from(itemResponses).where(eq(itemResponses.personaId, u1.id)).all();
    expect(answers).toHaveLength(100);
    expect(new Set(answers.map((a) => a.repetition))).toEqual(new Set([0, 1]));
    expect(answers.every((a) => a.model === 'fake-chat' && a.temperature === 0.7 && a.llmCallId)).toBe(true);

    const astro = db.select().from(personas).where(and(eq(personas.sourceId, SOURCE), eq(personas.externalId, 'author:astro'))).get()!;
    const flag = astro.flags.find((f) => f.code === 'inconsistent');
    expect(flag?.reason).toMatch(/reverse-keyed/);
    const as = db.select().from(traitScores).where(eq(traitScores.personaId, astro.id)).get()!;
    expect(as.E).toBeCloseTo(3, 10); // 5 on '+' items and 6 - 5 = 1 on '-' items
  });

  it('measures IPIP-NEO-120 (added at first use) in batch mode', async () => {
    const u2 = env.db.select().from(personas).where(and(eq(personas.sourceId, SOURCE), eq(personas.externalId, 'author:u2'))).get()!;
    const r = await post('@/app/api/pipeline/measure/route', { personaIds: [u2.id], instrumentId: 'ipip-neo-120', mode: 'batch', batchSize: 30, temperature: 0 });
    const job = await waitForJob(r.body.job.id);
    expect(job.status).toBe('done');
    expect(job.done).toBe(120);
    expect(server.counts.item_answers).toBe(4);
    const s = env.db.select().from(traitScores).where(and(eq(traitScores.personaId, u2.id), eq(traitScores.instrumentId, 'ipip-neo-120'))).get()!;
    for (const t of ['E', 'A', 'C', 'N', 'O'] as const) {
      expect(s[t]).toBeGreaterThanOrEqual(1);
      expect(s[t]).toBeLessThanOrEqual(5);
    }
  });

  it('answers the no-persona baseline at temperatures 0, 0.7 and 1', async () => {
    const r = await post('@/app/api/pipeline/baseline/route', { mode: 'batch', batchSize: 25 });
    const job = await waitForJob(r.body.job.id);
    expect(job.status).toBe('done');
    const rows = env.db.select().from(baselineResponses).where(eq(baselineResponses.sourceId, 'populace-baseline')).all();
    expect(rows.map((x) => x.temperature).sort()).toEqual([0, 0.7, 1]);
    expect(Object.keys(rows[0]!.answers!)).toHaveLength(50);
    const again = await waitForJob((await post('@/app/api/pipeline/baseline/route', { mode: 'batch', batchSize: 25 })).body.job.id);
    expect(again.status).toBe('done');
    expect(env.db.select().from(baselineResponses).where(eq(baselineResponses.sourceId, 'populace-baseline')).all()).toHaveLength(3);
  });

  it('lists jobs and reports one job through the API', async () => {
    const { GET } = await import('@/app/api/jobs/route');
    const list = await (await GET(new Request('http://localhost/api/jobs?kind=pipeline.measure'), undefined)).json();
    expect(list.jobs.length).toBe(2);
    const one = await import('@/app/api/jobs/[id]/route');
    const res = await one.GET(new Request('http://localhost/api/jobs/1'), { params: Promise.resolve({ id: String(list.jobs[0].id) }) });
    expect((await res.json()).job.status).toBe('done');
    const missing = await one.GET(new Request('http://localhost/api/jobs/999'), { params: Promise.resolve({ id: '999' }) });
    expect(missing.status).toBe(404);
  });
});
