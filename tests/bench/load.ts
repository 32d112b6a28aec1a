/**
 * Load test of the HTTP API: the built app (served as `npm start` serves it, on 127.0.0.1, a fresh copy of the seeded demo workspace)
 * under autocannon, one endpoint after the other:
 *   GET  /api/personas              (first page of the list)
 *   GET  /api/personas?q=...        (full-text search, rotating words)
 *   GET  /api/personas/:id          (spread over every persona)
 *   GET  /api/review/queue          (with the populace_reviewer cookie)
 *   POST /api/review/decisions      (accept / reject, spread over every persona)
 * Prints per endpoint: requests, errors (non-2xx + socket errors + timeouts), req/s, p50 and p99 latency.
 * Exits 1 when any endpoint had an error. Asserts nothing else: it is a benchmark.
 *
 * Run: npx tsx tests/bench/load.ts. Settings: LOAD_SECONDS (default 30 per endpoint), LOAD_CONNECTIONS (50),
 * LOAD_ONLY (run only the endpoints whose name contains it, e.g. LOAD_ONLY=queue).
 * Builds the app first when the build is out of date; holds the e2e lock (.e2e-lock) so it never races an e2e run
 * over the shared .next folder.
 */
import autocannon from 'autocannon';
import { closeDb } from '../../db/client';
import { ensureBuilt } from '../../lib/cli/build';
import { useSeededDatabase } from '../support/db';
import { startAppServer } from '../support/server';
import { acquireBuildLock } from '../support/lock';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const WORDS = ['shellfish', 'teacher', 'garden', 'music', 'family', 'travel', 'nurse', 'dog', 'city', 'work'];

interface Endpoint {
  name: string;
  requests: autocannon.Request[];
}

interface Row {
  name: string;
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  socketErrors: Record<string, number>;
  rps: number;
  p50: number;
  p99: number;
}

function runCannon(url: string, e: Endpoint): Promise<Row> {
  const socketErrors: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      { url, connections: CONNECTIONS, duration: SECONDS, timeout: 10, requests: e.requests },
      (err, r) => {
        if (err) return reject(err);
        resolve({
          name: e.name,
          requests: r.requests.total,
          errors: r.non2xx + r.errors + r.timeouts,
          non2xx: r.non2xx,
          timeouts: r.timeouts,
          socketErrors,
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
        });
      },
    );
    inst.on('reqError', (err: Error) => {
      const key = (err as NodeJS.ErrnoException).code ?? err.message;
      socketErrors[key] = (socketErrors[key] ?? 0) + 1;
    });
    process.once('SIGINT', () => inst.stop());
  });
}

async function main(): Promise<number> {
  if (!(SECONDS > 0) || !(CONNECTIONS > 0)) throw new Error('LOAD_SECONDS and LOAD_CONNECTIONS must be positive numbers');
  const release = await acquireBuildLock({ announce: true });
  const env = useSeededDatabase();
  let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
  try {
    const personaIds = (env.db.$client.prepare('SELECT id FROM personas ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    closeDb();
    ensureBuilt();
    server = await startAppServer({ dataDir: env.dir });
    const cookie = 'populace_reviewer=load';
    let i = 0;
    const next = () => personaIds[(i = (i * 7919 + 104729) % personaIds.length)]!;
    let w = 0;
    const endpoints: Endpoint[] = [
      { name: 'GET /api/personas', requests: [{ method: 'GET', path: '/api/personas?limit=100' }] },
      {
        name: 'GET /api/personas?q=',
        requests: [{ method: 'GET', path: '/api/personas', setupRequest: (r) => ({ ...r, path: `/api/personas?q=${WORDS[w++ % WORDS.length]}&limit=100` }) }],
      },
      { name: 'GET /api/personas/:id', requests: [{ method: 'GET', path: '/api/personas/1', setupRequest: (r) => ({ ...r, path: `/api/personas/${next()}` }) }] },
      { name: 'GET /api/review/queue', requests: [{ method: 'GET', path: '/api/review/queue?limit=50', headers: { cookie } }] },
      {
        name: 'POST /api/review/decisions',
        requests: [
          {
            method: 'POST',
            path: '/api/review/decisions',
            headers: { cookie, 'content-type': 'application/json' },
            setupRequest: (r) => {
              const reject = i % 3 === 0;
              return { ...r, body: JSON.stringify({ personaId: next(), decision: reject ? 'reject' : 'accept', reasonCode: reject ? 'other' : null }) };
            },
          },
        ],
      },
    ];
    process.stdout.write(`load: ${CONNECTIONS} connections, ${SECONDS} s per endpoint, ${personaIds.length} personas, ${server.url}\n`);
    const rows: Row[] = [];
    const only = process.env.LOAD_ONLY;
    for (const e of endpoints.filter((x) => !only || x.name.includes(only))) {
      // one warm-up request compiles nothing in production, but opens the route's first database statements
      await fetch(`${server.url}${e.requests[0]!.path}`, { headers: { cookie } }).catch(() => undefined);
      const row = await runCannon(server.url, e);
      rows.push(row);
      process.stdout.write(`  ${row.name.padEnd(28)} done: ${row.requests} requests, ${row.errors} errors\n`);
    }
    process.stdout.write('\n' + ['endpoint'.padEnd(28), 'requests'.padStart(9), 'errors'.padStart(7), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8)].join(' ') + '\n');
    for (const r of rows) {
      process.stdout.write(
        [r.name.padEnd(28), String(r.requests).padStart(9), String(r.errors).padStart(7), r.rps.toFixed(0).padStart(8), String(r.p50).padStart(8), String(r.p99).padStart(8)].join(' ') + '\n',
      );
    }
    const failed = rows.filter((r) => r.errors > 0);
    if (failed.length) {
      const detail = (r: Row) => `${r.name}: ${r.errors} (non-2xx ${r.non2xx}, timeouts > 10 s ${r.timeouts}, socket errors ${JSON.stringify(r.socketErrors)})`;
      process.stdout.write(`\nERRORS on ${failed.map(detail).join('; ')}\n--- server log (tail) ---\n${server.log().slice(-3000)}\n`);
      return 1;
    }
    return 0;
  } finally {
    await server?.stop();
    env.cleanup();
    release();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`load: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
