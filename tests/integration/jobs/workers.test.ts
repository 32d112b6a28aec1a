/**
 * `populace worker` processes sharing pipeline jobs: real processes (the CLI run by node with tsx), one SQLite file,
 * the fake OpenAI-compatible server over HTTP with a fixed latency per call.
 *
 * - Three workers measure demo personas; one is killed with SIGKILL while it holds units. The job completes: every
 *   unit is done once (a trigger counts the stores of trait scores: one per persona), none is lost, the killed
 *   worker's units were finished by the others, and the job's progress counts every worker's units.
 * - Two workers generate personas from posts; one gets SIGTERM mid-run, finishes the units it holds and exits 0; the
 *   other finishes the job: one persona per author, no unit left claimed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSeededDatabase, type TestDatabase } from '../../support/db';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakeOpenaiServer';
import { getJobRow } from '@/db/queries/jobs';
import { countUnitsByWorker, listJobUnits } from '@/db/queries/jobUnits';
import { itemResponses, personas, traitScores } from '@/db/schema';
import { clearModelOverrides } from '@/lib/llm';
import { importPosts } from '@/lib/pipeline/imports';
import { startGeneration, startMeasurement } from '@/lib/pipeline/service';

let env: TestDatabase;
let server: FakeServer;
const saved = { ...process.env };
const children: ChildProcess[] = [];

beforeAll(async () => {
  env = useSeededDatabase();
  clearModelOverrides();
  server = await startFakeOpenAiServer({ latencyMs: 25 });
  process.env.LLM_BASE_URL = server.url;
  process.env.LLM_MODEL = 'fake-chat';
  process.env.LLM_BACKOFF_MS = '5';
  // this process only plans the jobs: the worker processes run them
  process.env.POPULACE_WORKERS = '0';
  // counts every store of trait scores (a unit stored twice would store its scores twice)
  env.db.run(sql`CREATE TABLE test_score_writes (persona_id INTEGER NOT NULL)`);
  env.db.run(sql`CREATE TRIGGER test_scores_insert AFTER INSERT ON trait_scores BEGIN INSERT INTO test_score_writes VALUES (NEW.persona_id); END`);
  env.db.run(sql`CREATE TRIGGER test_scores_update AFTER UPDATE ON trait_scores BEGIN INSERT INTO test_score_writes VALUES (NEW.persona_id); END`);
}, 120_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const k of ['LLM_BASE_URL', 'LLM_MODEL', 'LLM_BACKOFF_MS', 'POPULACE_WORKERS']) delete process.env[k];
  Object.assign(process.env, saved);
  await server.close();
  env.cleanup();
});

interface WorkerProcess {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function worker(args: string[]): WorkerProcess {
  let out = '';
  let err = '';
  // node runs the CLI itself with tsx loaded (the tsx launcher would keep a grandchild alive after SIGKILL)
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'worker', ...args], {
    env: { ...process.env, POPULACE_DB: env.file, POPULACE_WORKERS: '', LLM_CONCURRENCY: '8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, out: () => out, err: () => err, exit };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const unitsHeldBy = (jobId: number, pid: number) =>
  listJobUnits({ db: env.db, jobId }).filter((u) => u.status === 'claimed' && u.workerId?.split(':').at(-2) === String(pid));

describe('populace worker processes share a job', () => {
  it('finish a measurement when one of three is killed with SIGKILL: every unit done once, none lost', async () => {
    const ids = env.db.all<{ id: number }>(sql`SELECT id FROM personas WHERE status <> 'rejected' ORDER BY id LIMIT 24`).map((r) => r.id);
    const started = startMeasurement({ personaIds: ids, onlyUnmeasured: false, concurrency: 2 });
    expect(started).toMatchObject({ status: 'queued', total: 24 * 50, done: 0 });
    const jobId = started.id;

    const args = ['--concurrency', '2', '--lease-seconds', '3', '--once'];
    const [a, b, c] = [worker(args), worker(args), worker(args)];
    // kill b while it holds units and the job is under way
    let progressBeforeKill = 0;
    await until('worker b to hold units mid-job', () => {
      const job = getJobRow({ db: env.db, id: jobId })!;
      progressBeforeKill = job.done;
      return job.done > 0.2 * job.total && unitsHeldBy(jobId, b.child.pid!).length > 0;
    });
    const heldByB = unitsHeldBy(jobId, b.child.pid!).map((u) => u.key);
    b.child.kill('SIGKILL');
    expect((await b.exit).signal).toBe('SIGKILL');
    expect(progressBeforeKill).toBeLessThan(24 * 50);

    const [ea, ec] = await Promise.all([a.exit, c.exit]);
    expect(ea.code, a.err()).toBe(0);
    expect(ec.code, c.err()).toBe(0);

    const job = getJobRow({ db: env.db, id: jobId })!;
    expect(job.status).toBe('done');
    expect(job).toMatchObject({ done: 24 * 50, total: 24 * 50, failures: 0 });
    expect(job.result).toMatchObject({ personas: 24, measured: 24 });

    const units = listJobUnits({ db: env.db, jobId });
    expect(units).toHaveLength(24);
    expect(units.every((u) => u.status === 'done')).toBe(true);
    // the units b held when it died were finished by the others
    for (const key of heldByB) expect(units.find((u) => u.key === key)!.workerId?.split(':').at(-2)).not.toBe(String(b.child.pid));
    // every worker that lived contributed, and the job's progress counts them all
    const byWorker = countUnitsByWorker({ db: env.db, jobId });
    const pids = Object.keys(byWorker).map((w) => w.split(':').at(-2));
    expect(pids).toContain(String(a.child.pid));
    expect(pids).toContain(String(c.child.pid));
    expect(Object.values(byWorker).reduce((s, n) => s + n, 0)).toBe(24);

    // stored once each: 50 answers and one store of the scores per persona
    for (const id of ids) {
      const answers = env.db.select().from(itemResponses).where(and(eq(itemResponses.personaId, id), eq(itemResponses.instrumentId, 'ipip50'), eq(itemResponses.model, 'fake-chat'))).all();
      expect(answers).toHaveLength(50);
      expect(env.db.select().from(traitScores).where(and(eq(traitScores.personaId, id), eq(traitScores.instrumentId, 'ipip50'))).all()).toHaveLength(1);
    }
    const writes = env.db.all<{ personaId: number; n: number }>(sql`SELECT persona_id AS personaId, count(*) AS n FROM test_score_writes GROUP BY persona_id`);
    expect(writes).toHaveLength(24);
    expect(writes.every((w) => w.n === 1)).toBe(true);

    // each printed the job's progress with every worker's units counted, and a summary
    expect(a.err()).toMatch(new RegExp(`job ${jobId} pipeline.measure done: 1200/1200 \\(100%\\)`));
    const summary = JSON.parse(a.out().trim().split('\n').at(-1)!);
    expect(summary.done).toBe(byWorker[summary.worker]);
    expect(summary.dbShare).toBeGreaterThanOrEqual(0);
  });

  it('finish a generation when one of two gets SIGTERM mid-run: it finishes its units and exits 0', async () => {
    await importPosts({ input: createReadStream('tests/fixtures/posts/posts.csv'), fileName: 'posts.csv', sourceId: 'fx' });
    const started = startGeneration({ sourceId: 'fx' });
    expect(started.status).toBe('queued');
    const jobId = started.id;
    const args = ['--concurrency', '3', '--lease-seconds', '5', '--once'];
    const first = worker(args);
    const second = worker(args);
    await until('the first worker to be under way', () => getJobRow({ db: env.db, id: jobId })!.done >= 20 && unitsHeldBy(jobId, first.child.pid!).length > 0);
    first.child.kill('SIGTERM');
    const end = await first.exit;
    expect(end.code, first.err()).toBe(0);
    expect(first.err()).toMatch(/SIGTERM: no new units/);
    // it gave nothing back half-done: it holds no unit, and the units it finished are stored
    expect(unitsHeldBy(jobId, first.child.pid!)).toEqual([]);
    const summary = JSON.parse(first.out().trim().split('\n').at(-1)!);
    expect(summary.done).toBeGreaterThan(0);
    expect(summary.lost + summary.released).toBe(0);

    expect((await second.exit).code, second.err()).toBe(0);
    const job = getJobRow({ db: env.db, id: jobId })!;
    expect(job.status).toBe('done');
    expect(job.done).toBe(job.total);
    expect(job.failures).toBe(0);
    const all = env.db.select().from(personas).where(eq(personas.sourceId, 'fx')).all();
    expect(all).toHaveLength(13);
    expect(new Set(all.filter((p) => p.parentId === null).map((p) => p.authorId)).size).toBe(12);
    for (const p of all) expect((p.metadata as { privacy?: unknown }).privacy, p.externalId).toBeTruthy();
    expect(listJobUnits({ db: env.db, jobId }).every((u) => u.status === 'done')).toBe(true);
  });
});
