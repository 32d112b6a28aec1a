/**
 * Bench support, loaded into a worker process with `--import` (after tsx): adds up the time spent in SQLite
 * statements (every prepared statement's run / get / all / iterate, transactions' BEGIN and COMMIT included, waits
 * for the write lock included) and answers over the IPC channel: 'db-time:reset' sets the sum to 0,
 * 'db-time:report' sends `{ dbTimeMs }` back. The channel does not keep the process alive.
 */
import Database from 'better-sqlite3';

let ms = 0;
let lockMs = 0;
let cpu = process.cpuUsage();
const probe = new Database(':memory:');
const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
probe.close();
for (const name of ['run', 'get', 'all', 'iterate']) {
  const original = statement[name]!;
  statement[name] = function timed(this: { source?: string }, ...args: unknown[]) {
    const t = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const d = performance.now() - t;
      ms += d;
      if (this.source?.startsWith('BEGIN IMMEDIATE')) lockMs += d;
    }
  };
}
const database = Database.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const name of ['exec', 'pragma']) {
  const original = database[name]!;
  database[name] = function timed(this: unknown, ...args: unknown[]) {
    const t = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      ms += performance.now() - t;
    }
  };
}

if (process.send) {
  process.on('message', (m) => {
    if (m === 'db-time:reset') {
      ms = 0;
      lockMs = 0;
      cpu = process.cpuUsage();
    } else if (m === 'db-time:report') {
      const used = process.cpuUsage(cpu);
      process.send!({ dbTimeMs: ms, lockWaitMs: lockMs, cpuMs: (used.user + used.system) / 1000 });
    }
  });
  process.channel?.unref();
}
