/**
 * `npm run bench:workers`: pipeline jobs spread over `populace worker` processes on this machine, against the fake
 * OpenAI-compatible server (tests/support/fakeOpenaiServer.ts) with a fixed latency per call (200 ms).
 *
 * For 1, 2 and 4 worker processes (each `--concurrency 4`, LLM_CONCURRENCY 4), on a fresh copy of the seeded demo
 * workspace: a generation job (synthetic posts: WORKERS_BENCH_AUTHORS authors x 7 posts; 2 calls per post, 4 per
 * author) and a measurement job (WORKERS_BENCH_PERSONAS demo personas, IPIP-50 in batches of 10: 5 calls each).
 * The workers start first (their start-up is not timed); each job is timed from its start to its end.
 * Prints per job and worker count: LLM calls, seconds, calls per second, the speed-up against 1 worker, the
 * database's share of the workers' time: the time spent in SQLite statements in the worker processes (every
 * statement, waits for the write lock included; tests/bench/sqliteTiming.ts) over workers x seconds, the part of it
 * spent waiting to begin a write transaction, and the CPU the workers used (in cores: on a machine with few cores
 * and other work, CPU rather than the database can be what limits the speed-up).
 *
 * Settings: WORKERS_BENCH_COUNTS (default 1,2,4), WORKERS_BENCH_LATENCY_MS (200), WORKERS_BENCH_AUTHORS (120),
 * WORKERS_BENCH_PERSONAS (96). Asserts only that every job ends done with no failures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { getJobRow } from '../../db/queries/jobs';
import { clearModelOverrides } from '../../lib/llm';
import { importPosts } from '../../lib/pipeline/imports';
import { startGeneration, startMeasurement } from '../../lib/pipeline/service';
import { useSeededDatabase, type TestDatabase } from '../support/db';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakeOpenaiServer';

const COUNTS = (process.env.WORKERS_BENCH_COUNTS ?? '1,2,4').split(',').map(Number);
const LATENCY_MS = Number(process.env.WORKERS_BENCH_LATENCY_MS ?? 200);
// 120 authors: the authors stage's units (4 calls in a row each) fill 16 slots in 7.5 rounds; at 40 authors the 2.5
// rounds (3 in time) alone cap the 4-worker speed-up near 3.75, whatever the workers do.
const AUTHORS = Number(process.env.WORKERS_BENCH_AUTHORS ?? 120);
const PERSONAS = Number(process.env.WORKERS_BENCH_PERSONAS ?? 96);
const POSTS_PER_AUTHOR = 7;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TOPICS = ['gardening', 'night shifts', 'my daughter', 'the bus route', 'sourdough', 'our old dog', 'the choir', 'fixing bikes', 'tax season', 'the library'];
const PLACES = ['the kitchen', 'a park bench', 'the break room', 'my car', 'the porch', 'a cafe', 'the train', 'the garage'];

/** Synthetic posts: first person, over 45 words (kept as high quality by the fake server), different per author and post. */
function postsCsv(): string {
  const lines = ['id,author_id,text,time,lang'];
  for (let a = 0; a < AUTHORS; a++) {
    for (let k = 0; k < POSTS_PER_AUTHOR; k++) {
      const topic = TOPICS[(a + k) % TOPICS.length];
      const place = PLACES[(a * 3 + k) % PLACES.length];
      const text =
        `I keep coming back to ${topic} this week, author ${a} post ${k}, and I think it says something about me. ` +
        `I wrote this sitting in ${place} after a long day, trying to make sense of why ${topic} matters so much to me ` +
        `and to the people around me. Number ${a * 100 + k} in my little diary of ordinary days, honest and unpolished.`;
      lines.push(`b${a}-${k},bench-${a},"${text}",2024-02-${String((k % 27) + 1).padStart(2, '0')}T10:00:00.000Z,en`);
    }
  }
  return lines.join('\n') + '\n';
}

interface Proc {
  child: ChildProcess;
  err: () => string;
  out: () => string;
  exit: Promise<void>;
}

function spawnWorker(env: TestDatabase, server: FakeServer): Proc {
  let out = '';
  let err = '';
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './tests/bench/sqliteTiming.ts', 'lib/cli/main.ts', 'worker', '--concurrency', '4', '--quiet'], {
    env: { ...process.env, POPULACE_DB: env.file, LLM_BASE_URL: server.url, LLM_MODEL: 'fake-chat', LLM_CONCURRENCY: '4', POPULACE_WORKERS: '' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<void>((r) => child.once('exit', () => r()));
  return { child, err: () => err, out: () => out, exit };
}

interface Timing {
  dbTimeMs: number;
  lockWaitMs: number;
  cpuMs: number;
}

function reset(p: Proc): void {
  p.child.send('db-time:reset');
}

function report(p: Proc): Promise<Timing> {
  return new Promise((resolve) => {
    p.child.once('message', (m: Timing) => resolve(m));
    p.child.send('db-time:report');
  });
}

interface Figure {
  workers: number;
  job: string;
  calls: number;
  seconds: number;
  /** SQLite time over workers x seconds, and the part of it spent waiting to begin a write transaction. */
  dbShare: number;
  lockShare: number;
  /** CPU used by the worker processes, in cores. */
  cores: number;
}

async function timeJob(name: string, start: () => number, env: TestDatabase, server: FakeServer, procs: Proc[]): Promise<Figure> {
  for (const p of procs) reset(p);
  const calls0 = server.received;
  const t0 = performance.now();
  const id = start();
  for (;;) {
    const row = getJobRow({ db: env.db, id })!;
    if (row.status === 'done' || row.status === 'failed' || row.status === 'cancelled') {
      if (row.status !== 'done' || row.failures > 0) throw new Error(`${name} job ${id} ended ${row.status} with ${row.failures} failures: ${row.error ?? ''}`);
      break;
    }
    await sleep(20);
  }
  const seconds = (performance.now() - t0) / 1000;
  const timings = await Promise.all(procs.map(report));
  const sum = (k: keyof Timing) => timings.reduce((a, t) => a + t[k], 0) / 1000;
  const workerSeconds = procs.length * seconds;
  return {
    workers: procs.length,
    job: name,
    calls: server.received - calls0,
    seconds,
    dbShare: sum('dbTimeMs') / workerSeconds,
    lockShare: sum('lockWaitMs') / workerSeconds,
    cores: sum('cpuMs') / seconds,
  };
}

async function runWith(n: number): Promise<Figure[]> {
  const env = useSeededDatabase();
  const server = await startFakeOpenAiServer({ latencyMs: LATENCY_MS });
  process.env.LLM_BASE_URL = server.url;
  process.env.LLM_MODEL = 'fake-chat';
  clearModelOverrides();
  const procs: Proc[] = [];
  try {
    await importPosts({ input: Readable.from([postsCsv()]), fileName: 'bench-posts.csv', sourceId: 'bench' });
    const personaIds = env.db.all<{ id: number }>(sql`SELECT id FROM personas WHERE status <> 'rejected' ORDER BY id LIMIT ${PERSONAS}`).map((r) => r.id);
    for (let i = 0; i < n; i++) procs.push(spawnWorker(env, server));
    const deadline = Date.now() + 120_000;
    while (!procs.every((p) => /^Worker /m.test(p.err()))) {
      if (Date.now() > deadline) throw new Error(`the workers did not start:\n${procs.map((p) => p.err()).join('\n')}`);
      await sleep(50);
    }
    const figures = [
      await timeJob('generation', () => startGeneration({ sourceId: 'bench' }).id, env, server, procs),
      await timeJob('measurement', () => startMeasurement({ personaIds, mode: 'batch', batchSize: 10, onlyUnmeasured: false }).id, env, server, procs),
    ];
    return figures;
  } finally {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exit));
    await server.close();
    env.cleanup();
  }
}

async function main(): Promise<void> {
  // this process plans the jobs; the worker processes run them
  process.env.POPULACE_WORKERS = '0';
  process.stdout.write(
    `Workers bench: ${AUTHORS} authors x ${POSTS_PER_AUTHOR} posts (generation), ${PERSONAS} personas x IPIP-50 in batches of 10 (measurement); ` +
      `${LATENCY_MS} ms per call; each worker --concurrency 4; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}\n\n`,
  );
  const all: Figure[] = [];
  for (const n of COUNTS) {
    const figures = await runWith(n);
    all.push(...figures);
    for (const f of figures) {
      const base = all.find((x) => x.job === f.job && x.workers === COUNTS[0]);
      const rate = f.calls / f.seconds;
      const speedUp = base ? rate / (base.calls / base.seconds) : 1;
      process.stdout.write(
        `${f.job.padEnd(12)} ${String(n).padStart(2)} worker${n === 1 ? ' ' : 's'}: ${String(f.calls).padStart(5)} calls in ${f.seconds.toFixed(1).padStart(5)} s = ` +
          `${rate.toFixed(1).padStart(5)} calls/s, speed-up x${speedUp.toFixed(2)}; database ${(f.dbShare * 100).toFixed(1)}% of the workers' time ` +
          `(waiting for the write lock ${(f.lockShare * 100).toFixed(1)}%); workers' CPU ${f.cores.toFixed(2)} cores\n`,
      );
    }
  }
  process.stdout.write(`\nload average after: ${os.loadavg()[0]!.toFixed(1)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
