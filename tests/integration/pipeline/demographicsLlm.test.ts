/**
 * The LLM reading of persona demographics against the local fake OpenAI-compatible server, on the seeded demo
 * personas: origins, evidence and the extractor stored per field (given values untouched, rule values kept or
 * upgraded), a rerun that reads nothing again, a cancelled job resumed where it stopped (no persona read twice), a
 * malformed reply reported with the persona and the field while the stored values stay, and a personas import that
 * queues the reading.
 */
import { readFileSync } from 'node:fs';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { llmCalls, personas, type Persona } from '@/db/schema';
import { cancelJob, runJob, setProgressThrottle, waitForJob } from '@/lib/jobs';
import { demographicsJob } from '@/lib/pipeline/jobs';
import { clearModelOverrides } from '@/lib/llm';
import { DEMOGRAPHICS_PROMPT_VERSION } from '@/lib/pipeline/prompts';
import { startDemographicsExtraction } from '@/lib/pipeline/service';
import { startFakeOpenAiServer, type ChatRequest, type FakeServer } from '../../support/fakeOpenaiServer';
import { useSeededDatabase, type TestDatabase } from '../../support/db';

let env: TestDatabase;
let server: FakeServer;
const saved = { ...process.env };
/** Per-test override of the demographics answers (null: the fake server's reader). */
let hook: ((narrative: string) => string | undefined) | null = null;

const narrativeOf = (req: ChatRequest) => {
  const user = req.messages.filter((m) => m.role === 'user').at(-1)!;
  const text = typeof user.content === 'string' ? user.content : user.content.map((p) => p.text ?? '').join('');
  return text.match(/<narrative>\n([\s\S]*)\n<\/narrative>/)![1]!;
};
const demographicsRequests = () => server.requests.filter((r) => r.response_format?.json_schema?.name === 'demographics');

beforeAll(async () => {
  env = useSeededDatabase();
  clearModelOverrides();
  setProgressThrottle(20);
  server = await startFakeOpenAiServer({
    respond: (task, _req, user) => (task === 'demographics' && hook ? hook(user.match(/<narrative>\n([\s\S]*)\n<\/narrative>/)![1]!) : undefined),
  });
  process.env.LLM_BASE_URL = server.url;
  process.env.LLM_MODEL = 'fake-chat';
  process.env.LLM_BACKOFF_MS = '5';
  // the first use seeds the demo database template
}, 120_000);
afterAll(async () => {
  for (const k of ['LLM_BASE_URL', 'LLM_MODEL', 'LLM_BACKOFF_MS']) delete process.env[k];
  Object.assign(process.env, saved);
  await server.close();
  env.cleanup();
});
beforeEach(() => {
  hook = null;
});

const idsOf = (source: string, offset: number, limit: number) =>
  env.db.all<{ id: number }>(sql`SELECT id FROM personas WHERE source_id = ${source} ORDER BY id LIMIT ${limit} OFFSET ${offset}`).map((r) => r.id);
const rowsOf = (ids: number[]) => new Map(env.db.select().from(personas).where(inArray(personas.id, ids)).all().map((p) => [p.id, p]));
const byNarrative = (rows: Map<number, Persona>, start: string) => [...rows.values()].find((p) => p.narrative.startsWith(start))!;

describe('demographics read by the LLM', () => {
  it('stores each value with its origin, evidence and extractor; given values stay; a rerun reads nothing again', async () => {
    const ids = [...idsOf('synthetic-persona-chat', 0, 40), ...idsOf('gpt4-biographies', 0, 5)];
    const before = rowsOf(ids);
    const { POST } = await import('@/app/api/pipeline/demographics/route');
    const res = await POST(
      new Request('http://localhost/api/pipeline/demographics', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ personaIds: ids, batchSize: 8, concurrency: 3 }),
      }),
      undefined,
    );
    expect(res.status).toBe(200);
    const job = await waitForJob((await res.json()).job.id);
    expect(job.status).toBe('done');
    expect(job).toMatchObject({ total: 45, done: 45, failures: 0 });
    expect(job.result).toMatchObject({ promptVersion: DEMOGRAPHICS_PROMPT_VERSION, model: 'fake-chat', extracted: 45, already: 0, failed: [] });

    const after = rowsOf(ids);
    for (const p of after.values()) {
      expect(p.demographicsOrigin!.llm, `persona ${p.id}`).toMatchObject({ promptVersion: DEMOGRAPHICS_PROMPT_VERSION, model: 'fake-chat' });
      expect(p.demographicsOrigin!.llm!.llmCallId).toBeGreaterThan(0);
    }
    // unknown to the rules, read by the LLM: a US state suggests the country, a job "in advertising" the occupation
    const dakota = byNarrative(after, 'I met my best friend in kindergarten.');
    expect(before.get(dakota.id)!.demographicsOrigin!.origin).toMatchObject({ country: 'unknown', occupation: 'unknown' });
    expect(dakota).toMatchObject({ country: 'US', occupation: 'advertising professional', age: null, gender: 'unknown' });
    expect(dakota.demographicsOrigin).toMatchObject({
      origin: { country: 'inferred', occupation: 'inferred', age: 'unknown', gender: 'unknown' },
      evidence: { country: 'grew up in north dakota', occupation: 'job working in advertising' },
      method: { country: 'llm', occupation: 'llm' },
    });
    // stated outright: "I am a nurse."
    const nurse = byNarrative(after, 'I do not get along with my dad.');
    expect(nurse.occupation).toBe('nurse');
    expect(nurse.demographicsOrigin).toMatchObject({ origin: { occupation: 'stated' }, evidence: { occupation: 'I am a nurse' }, method: { occupation: 'llm' } });
    // a rule value the LLM agrees with stays the rules' (same evidence)
    const rn = byNarrative(after, 'I work as a registered nurse');
    expect(rn.occupation).toBe(before.get(rn.id)!.occupation);
    expect(rn.demographicsOrigin!.evidence.occupation).toBe(before.get(rn.id)!.demographicsOrigin!.evidence.occupation);
    expect(rn.demographicsOrigin!.method).toMatchObject({ occupation: 'rules' });
    // the biographies give age and occupation: untouched; their pronoun-inferred gender stays the rules'
    for (const id of idsOf('gpt4-biographies', 0, 5)) {
      const [a, b] = [after.get(id)!, before.get(id)!];
      expect([a.age, a.ageBand, a.occupation, a.gender]).toEqual([b.age, b.ageBand, b.occupation, b.gender]);
      expect(a.demographicsOrigin!.origin).toEqual(b.demographicsOrigin!.origin);
      expect(a.demographicsOrigin!.method).toMatchObject({ gender: 'rules' });
      expect(a.demographicsOrigin!.method!.age).toBeUndefined();
    }
    // a value the LLM did not change is as it was
    const changedSome = [...after.values()].filter((p) => JSON.stringify([p.age, p.gender, p.country, p.occupation]) !== JSON.stringify([before.get(p.id)!.age, before.get(p.id)!.gender, before.get(p.id)!.country, before.get(p.id)!.occupation]));
    const totalChanged = Object.values(job.result!.changed as Record<string, number>).reduce((a, n) => a + n, 0);
    expect(changedSome.length).toBeGreaterThan(5);
    expect(totalChanged).toBeGreaterThanOrEqual(changedSome.length);
    for (const p of changedSome) expect(Object.values(p.demographicsOrigin!.method ?? {})).toContain('llm');

    const calls = env.db.select().from(llmCalls).where(eq(llmCalls.promptVersion, DEMOGRAPHICS_PROMPT_VERSION)).all();
    expect(calls.filter((c) => c.error === null)).toHaveLength(45);
    expect(calls.every((c) => c.role === 'critic')).toBe(true);

    const asked = demographicsRequests().length;
    const again = await waitForJob(startDemographicsExtraction({ personaIds: ids }).id);
    expect(again).toMatchObject({ status: 'done', done: 45, total: 45 });
    expect(again.result).toMatchObject({ extracted: 0, already: 45 });
    expect(demographicsRequests().length).toBe(asked);
  });

  it('a cancelled job resumes where it stopped: no persona is read twice', async () => {
    const ids = idsOf('synthetic-persona-chat', 40, 40);
    const narratives = new Map([...rowsOf(ids).values()].map((p) => [p.narrative, p.id]));
    const first = demographicsRequests().length;
    let jobId = 0;
    let seen = 0;
    // cancel while the third batch is being read
    hook = () => {
      if (++seen === 13) cancelJob(jobId);
      return undefined;
    };
    jobId = startDemographicsExtraction({ personaIds: ids, batchSize: 5, concurrency: 2 }).id;
    const cancelled = await waitForJob(jobId);
    expect(cancelled.status).toBe('cancelled');
    const readFirst = [...rowsOf(ids).values()].filter((p) => p.demographicsOrigin?.llm).map((p) => p.id);
    expect(readFirst.length).toBeGreaterThanOrEqual(10);
    expect(readFirst.length).toBeLessThan(40);
    expect(cancelled.result).toMatchObject({ extracted: readFirst.length });
    const askedBefore = demographicsRequests().length;

    hook = null;
    const resumed = await runJob(jobId, demographicsJob);
    expect(resumed.status).toBe('done');
    expect(resumed).toMatchObject({ done: 40, total: 40, failures: 0 });
    expect(resumed.result).toMatchObject({ already: readFirst.length, extracted: 40 - readFirst.length });
    const second = demographicsRequests().slice(askedBefore).map((r) => narratives.get(narrativeOf(r)));
    const readTwice = second.filter((id) => readFirst.includes(id!));
    expect(readTwice).toEqual([]);
    // every persona asked about once, except those whose answers the cancel cut off (asked again after the resume)
    const asked = demographicsRequests().slice(first).map((r) => narratives.get(narrativeOf(r)));
    expect(new Set(asked).size).toBe(40);
    expect(asked.length - 40).toBeLessThanOrEqual(2);
    expect([...rowsOf(ids).values()].every((p) => p.demographicsOrigin?.llm?.promptVersion === DEMOGRAPHICS_PROMPT_VERSION)).toBe(true);
  });

  it('reports a malformed reply with the persona and the field, and keeps the stored values', async () => {
    const ids = idsOf('synthetic-persona-chat', 80, 6);
    const before = rowsOf(ids);
    const [badCountry, badAge] = [ids[1]!, ids[4]!];
    const ok = { value: null, quote: null };
    hook = (narrative) => {
      if (narrative === before.get(badCountry)!.narrative) {
        return JSON.stringify({ age: ok, gender: ok, country: { value: 'Atlantis', quote: 'I live in Atlantis' }, occupation: ok });
      }
      if (narrative === before.get(badAge)!.narrative) return JSON.stringify({ age: { value: 'forty', quote: null }, gender: ok, country: ok, occupation: ok });
      return undefined;
    };
    const job = await waitForJob(startDemographicsExtraction({ personaIds: ids, batchSize: 3 }).id);
    expect(job.status).toBe('done');
    expect(job).toMatchObject({ total: 6, done: 4, failures: 2 });
    const failed = job.result!.failed as { personaId: number; field: string; reason: string }[];
    expect(failed).toHaveLength(2);
    expect(failed).toEqual(
      expect.arrayContaining([
        { personaId: badCountry, field: 'country', reason: expect.stringContaining('"Atlantis" is not a country') },
        { personaId: badAge, field: 'age', reason: expect.stringMatching(/number/) },
      ]),
    );
    expect(job.result!.failureLog).toContainEqual(expect.stringMatching(new RegExp(`^persona ${badCountry}: the demographics reply is malformed: country: "Atlantis"`)));
    const after = rowsOf(ids);
    for (const id of [badCountry, badAge]) expect(after.get(id)).toEqual(before.get(id));
    for (const id of ids.filter((x) => x !== badCountry && x !== badAge)) expect(after.get(id)!.demographicsOrigin!.llm).toBeTruthy();
    // the failed reply is on record with its error, not cached as an answer
    const failedCalls = env.db
      .select()
      .from(llmCalls)
      .where(and(eq(llmCalls.promptVersion, DEMOGRAPHICS_PROMPT_VERSION), sql`${llmCalls.error} IS NOT NULL`))
      .all();
    expect(failedCalls.map((c) => c.error)).toEqual([expect.stringMatching(/^malformed/), expect.stringMatching(/^malformed/)]);

    // once the model answers properly, a rerun reads just the two
    hook = null;
    const rerun = await waitForJob(startDemographicsExtraction({ personaIds: ids }).id);
    expect(rerun).toMatchObject({ status: 'done', failures: 0 });
    expect(rerun.result).toMatchObject({ extracted: 2, already: 4 });
  });

  it('a personas import through the API queues the reading of the new personas', async () => {
    const lines = readFileSync('db/seed-data/personas/synthetic-persona-chat/personas.jsonl', 'utf8').trim().split('\n').slice(0, 3);
    const rows = lines.map((l, i) => ({ id: `spc-${i}`, narrative: (JSON.parse(l).persona_sentences as string[]).join(' ') }));
    const { POST } = await import('@/app/api/pipeline/import/route');
    const res = await POST(
      new Request('http://localhost/api/pipeline/import?kind=personas&filename=spc.jsonl&sourceId=spc-import', {
        method: 'POST',
        body: rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
      }),
      undefined,
    );
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report).toMatchObject({ imported: 3, sourceId: 'spc-import' });
    expect(report.demographicsJob).toBeGreaterThan(0);
    const job = await waitForJob(report.demographicsJob);
    expect(job).toMatchObject({ kind: 'pipeline.demographics', status: 'done', done: 3, failures: 0 });
    const stored = env.db.select().from(personas).where(eq(personas.sourceId, 'spc-import')).all();
    expect(stored.every((p) => p.demographicsOrigin?.llm?.promptVersion === DEMOGRAPHICS_PROMPT_VERSION)).toBe(true);
    // "I run a dog obedience school." suggests the occupation
    expect(stored.find((p) => p.externalId === 'spc-0')).toMatchObject({ occupation: 'dog obedience school owner' });
  });
});
