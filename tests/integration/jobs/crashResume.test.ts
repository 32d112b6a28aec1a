/**
 * Crash and resume: the CLI runs a generation job in a child process against the local fake OpenAI-compatible
 * server; the test kills it with SIGKILL mid-job, starts it again, and checks the job finishes with no duplicate
 * personas, no lost results and (almost) no paid call repeated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshDatabase } from '../../support/db';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakeOpenaiServer';
import { getJobRow } from '@/db/queries/jobs';
import { llmCalls, personaPosts, personas, posts } from '@/db/schema';
import { importPosts } from '@/lib/pipeline/imports';

let env: ReturnType<typeof useFreshDatabase>;
let server: FakeServer;

beforeAll(async () => {
  env = useFreshDatabase();
  server = await startFakeOpenAiServer({ latencyMs: 15, failEvery: 23 });
  await importPosts({ input: (await import('node:fs')).createReadStream('tests/fixtures/posts/posts.csv'), fileName: 'posts.csv', sourceId: 'fx' });
});
afterAll(async () => {
  await server.close();
  env.cleanup();
});

function cli(args: string[]): { child: ChildProcess; out: () => string; exit: Promise<number | null> } {
  let out = '';
  // node runs the CLI itself (the tsx launcher would keep a grandchild alive after SIGKILL)
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], {
    env: { ...process.env, POPULACE_DB: env.file, LLM_BASE_URL: server.url, LLM_MODEL: 'fake-chat', LLM_BACKOFF_MS: '5', POPULACE_JOB_PROGRESS_MS: '50' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exit };
}

describe('a job killed with SIGKILL resumes when the command is run again', () => {
  it('finishes with no duplicate personas and no lost results', async () => {
    const args = ['generate', '--source', 'fx', '--concurrency', '3'];
    const first = cli(args);
    // wait until the job is well under way (posts done, some personas written)
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = getJobRow({ db: env.db, id: 1 });
      if (job && job.total > 0 && job.done / job.total > 0.75) break;
      if (Date.now() > deadline) throw new Error(`the job did not progress:\n${first.out()}`);
      await new Promise((r) => setTimeout(r, 40));
    }
    first.child.kill('SIGKILL');
    await first.exit;
    const killed = getJobRow({ db: env.db, id: 1 })!;
    expect(killed.status).toBe('running');
    expect(killed.done).toBeLessThan(killed.total);
    const callsBefore = server.requests.length;

    const second = cli(args);
    const code = await second.exit;
    expect(code, second.out()).toBe(0);
    expect(second.out()).toMatch(/Resuming job 1/);

    const job = getJobRow({ db: env.db, id: 1 })!;
    expect(job.status).toBe('done');
    expect(job.done).toBe(job.total);
    expect(getJobRow({ db: env.db, id: 2 })).toBeUndefined();

    const all = env.db.select().from(personas).where(eq(personas.sourceId, 'fx')).all();
    expect(all).toHaveLength(13);
    expect(new Set(all.map((p) => p.authorId + (p.parentId ? '#r' : ''))).size).toBe(13);
    for (const p of all) {
      expect(p.qualityScores?.overall, `critic for ${p.externalId}`).toBeTruthy();
      expect((p.metadata as { privacy?: unknown }).privacy, `privacy for ${p.externalId}`).toBeTruthy();
      expect(env.db.select().from(personaPosts).where(eq(personaPosts.personaId, p.id)).all().length).toBeGreaterThanOrEqual(6);
    }
    expect(env.db.select().from(posts).all().filter((p) => p.kept === null)).toHaveLength(0);
    expect(all.find((p) => p.externalId === 'author:twin-b')!.flags.map((f) => f.code)).toContain('duplicate');

    // the second run only paid for what the first had not stored (plus calls in flight at the kill)
    const stored = env.db.select().from(llmCalls).all().filter((c) => c.response !== null).length;
    const ok = server.requests.length - (server.counts.fail503 ?? 0);
    // at most the calls in flight when the process died (LLM_CONCURRENCY 4, 3 workers) were paid twice
    expect(ok).toBeLessThanOrEqual(stored + 4);
    expect(server.requests.length - callsBefore).toBeLessThan(callsBefore);
  });
});
