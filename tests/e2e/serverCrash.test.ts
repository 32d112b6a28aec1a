/**
 * Server crash: the real app (served as `npm start` serves it, on the build the e2e setup made current) runs a generation job against
 * the fake OpenAI-compatible server; the test kills the server process group with SIGKILL mid-job and starts it
 * again on the same data folder. The job resumes at start (instrumentation -> resumeJobs) and finishes, with no
 * duplicate personas, every review decision made before the crash still there, and PRAGMA integrity_check ok.
 * It starts its own server instance (own port, own data folder); it needs no browser, only the build.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/db/client';
import { useSeededDatabase, type TestDatabase } from '../support/db';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakeOpenaiServer';
import { startAppServer, type AppServer } from '../support/server';
import { baseURL } from './browserSession';

interface JobJson {
  id: number;
  status: string;
  done: number;
  total: number;
}

describe.skipIf(!baseURL)('a server killed mid-job resumes the job when it starts again', () => {
  let env: TestDatabase;
  let llm: FakeServer;
  let server: AppServer | undefined;

  beforeAll(async () => {
    env = useSeededDatabase(); // the demo workspace, already seeded: the server starts at once
    closeDb();
    llm = await startFakeOpenAiServer({ latencyMs: 60 });
  });
  afterAll(async () => {
    await server?.stop();
    await llm?.close();
    env?.cleanup();
  });

  const start = () =>
    startAppServer({
      dataDir: env.dir,
      env: { LLM_BASE_URL: llm.url, LLM_MODEL: 'fake-chat', LLM_API_KEY: 'test', LLM_BACKOFF_MS: '5', POPULACE_JOB_PROGRESS_MS: '50' },
    });

  async function api<T>(s: AppServer, method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await fetch(`${s.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json', cookie: 'populace_reviewer=crash-tester', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}\n${s.log().slice(-2000)}`);
    return JSON.parse(text) as T;
  }

  it('finishes the job with no duplicate personas and no lost review decisions', async () => {
    server = await start();
    const s1 = server;

    // import the posts through the streaming upload route
    const file = path.join(process.cwd(), 'tests/fixtures/posts/posts.csv');
    const report = await api<{ imported: number }>(s1, 'POST', '/api/pipeline/import?kind=posts&filename=posts.csv&sourceId=fx', readFileSync(file, 'utf8'), {
      'content-type': 'text/csv',
    });
    expect(report.imported).toBe(98); // the fixture's 102 rows hold 4 bad ones on purpose

    // a few review decisions before the crash
    const db0 = new Database(env.file, { readonly: true });
    const reviewIds = (db0.prepare("SELECT id FROM personas WHERE source_id <> 'fx' ORDER BY id LIMIT 6").all() as { id: number }[]).map((r) => r.id);
    db0.close();
    const decisionIds: number[] = [];
    for (const [i, personaId] of reviewIds.entries()) {
      const r = await api<{ decision: { id: number } }>(s1, 'POST', '/api/review/decisions', {
        personaId,
        decision: i % 2 ? 'reject' : 'accept',
        reasonCode: i % 2 ? 'other' : null,
        note: `before the crash ${i}`,
      });
      decisionIds.push(r.decision.id);
    }

    const { job } = await api<{ job: JobJson }>(s1, 'POST', '/api/pipeline/generate', { sourceId: 'fx', concurrency: 2 });
    // wait until the job is under way but not finished
    const deadline = Date.now() + 40_000;
    let seen: JobJson = job;
    for (;;) {
      seen = (await api<{ job: JobJson }>(s1, 'GET', `/api/jobs/${job.id}`)).job;
      if (seen.total > 0 && seen.done / seen.total >= 0.4) break;
      if (seen.status === 'done' || seen.status === 'failed') throw new Error(`the job ended before the crash: ${JSON.stringify(seen)}`);
      if (Date.now() > deadline) throw new Error(`the job did not progress: ${JSON.stringify(seen)}\n${s1.log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await s1.crash();
    await expect(fetch(`${s1.url}/api/health`)).rejects.toThrow();

    const crashed = new Database(env.file, { readonly: true });
    const atCrash = crashed.prepare('SELECT status, done, total FROM jobs WHERE id = ?').get(job.id) as JobJson;
    crashed.close();
    expect(atCrash.status).toBe('running');
    expect(atCrash.done).toBeLessThan(atCrash.total);

    // start again on the same data folder: the job resumes by itself
    server = await start();
    const s2 = server;
    const until = Date.now() + 45_000;
    let final: JobJson;
    for (;;) {
      final = (await api<{ job: JobJson }>(s2, 'GET', `/api/jobs/${job.id}`)).job;
      if (final.status === 'done' || final.status === 'failed') break;
      if (Date.now() > until) throw new Error(`the job did not finish after the restart: ${JSON.stringify(final)}\n${s2.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(final.status, s2.log()).toBe('done');
    expect(final.done).toBe(final.total);
    const jobs = (await api<{ jobs: JobJson[] }>(s2, 'GET', '/api/jobs?kind=pipeline.generate')).jobs;
    expect(jobs.map((j) => j.id)).toEqual([job.id]); // resumed, not started again
    await s2.stop();

    const db = new Database(env.file, { readonly: true });
    try {
      expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
      const personas = db.prepare("SELECT external_id AS externalId, author_id AS authorId, parent_id AS parentId FROM personas WHERE source_id = 'fx'").all() as {
        externalId: string;
        authorId: number;
        parentId: number | null;
      }[];
      expect(personas.length).toBe(13); // the same set as an uninterrupted run (tests/integration/jobs/crashResume.test.ts)
      expect(new Set(personas.map((p) => p.externalId)).size).toBe(personas.length);
      const originals = personas.filter((p) => p.parentId === null);
      expect(new Set(originals.map((p) => p.authorId)).size).toBe(originals.length); // one persona per author
      const decisions = db.prepare(`SELECT id, note FROM review_decisions WHERE id IN (${decisionIds.join(',')}) ORDER BY id`).all() as { id: number; note: string }[];
      expect(decisions.map((d) => d.id)).toEqual(decisionIds);
      expect(decisions.map((d) => d.note)).toEqual(decisionIds.map((_, i) => `before the crash ${i}`));
    } finally {
      db.close();
    }
  });
});
