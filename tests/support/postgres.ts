/**
 * Throw-away PostgreSQL clusters for tests: initdb in a fresh temp dir, a server on a free loopback port (fsync off),
 * one database, and stop() to shut it down (immediate) and remove the dir. The server binaries are looked up under
 * /usr/lib/postgresql/<version>/bin (Debian's layout; the highest version >= 15 wins). initdb refuses to run as root,
 * so as root the binaries run as the `postgres` OS user (runuser) and the dir is handed to that user.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client';
import { openPgDatabase, type PgDatabase, type PgDb } from '../../db/pg/client';

const run = promisify(execFile);

/** The lowest server version the PostgreSQL code is written for. */
export const MIN_POSTGRES_VERSION = 15;
const ROOT = '/usr/lib/postgresql';
const BINARIES = ['initdb', 'pg_ctl', 'postgres'];

/** The bin folder of the highest installed PostgreSQL >= 15, or null. */
export function postgresBinDir(): string | null {
  if (!existsSync(ROOT)) return null;
  const versions = readdirSync(ROOT)
    .filter((v) => /^\d+$/.test(v) && Number(v) >= MIN_POSTGRES_VERSION)
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(ROOT, v, 'bin');
    if (BINARIES.every((b) => existsSync(path.join(bin, b)))) return bin;
  }
  return null;
}

/** Whether the PostgreSQL server binaries (initdb, pg_ctl, postgres; version >= 15) are installed. */
export function postgresAvailable(): boolean {
  return postgresBinDir() !== null;
}

const REQUIRED = `PostgreSQL ${MIN_POSTGRES_VERSION}+ is required for these tests (initdb, pg_ctl and postgres under ${ROOT}/<version>/bin); .ci/run installs it`;

/**
 * A describe block for tests that need PostgreSQL: run when the server binaries are installed; without them skipped
 * with the reason printed, except under CI (.ci/run installs PostgreSQL), where one failing test names what is missing.
 */
export function describePostgres(title: string, body: () => void): void {
  if (postgresAvailable()) describe(title, body);
  else if (process.env.CI) describe(title, () => it('has the PostgreSQL server binaries', () => { throw new Error(REQUIRED); }));
  else {
    console.warn(`Skipping ${title}: ${REQUIRED}`);
    describe.skip(`${title} (skipped: no PostgreSQL ${MIN_POSTGRES_VERSION}+ server binaries under ${ROOT}/*/bin)`, body);
  }
}

/** What a parity suite compares: a throw-away PostgreSQL server and database, and an in-memory SQLite database. */
export interface BothDatabases {
  server: TestPostgres;
  pg: PgDatabase;
  db: PgDb;
  lite: Db;
}

/**
 * For a parity suite (call inside describePostgres): before its tests, a throw-away PostgreSQL cluster with the
 * migrations applied and a fresh in-memory SQLite database, each seeded when a seed is given, handed to `take`; after
 * them, both closed and the cluster removed.
 */
export function useBothDatabases(
  options: { pool?: Omit<pg.PoolConfig, 'connectionString'>; seedPg?: (db: PgDb) => Promise<void>; seedSqlite?: (db: Db) => void },
  take: (both: BothDatabases) => void,
): void {
  // Filled as each part opens, so that afterAll closes what opened when a later part fails.
  const both: Partial<BothDatabases> = {};
  beforeAll(async () => {
    both.server = await startPostgres();
    both.pg = await openPgDatabase(both.server.url, { pool: options.pool });
    both.db = both.pg.db;
    await options.seedPg?.(both.db);
    both.lite = openDatabase(':memory:');
    options.seedSqlite?.(both.lite);
    take(both as BothDatabases);
  }, 60_000);
  afterAll(async () => {
    both.lite?.$client.close();
    await both.pg?.close();
    await both.server?.stop();
  }, 60_000);
}

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url: string;
  /** The server version, e.g. "15.14". */
  version: string;
  /** Stops the server (immediate shutdown) and removes its dir. */
  stop: () => Promise<void>;
}

const asRoot = () => process.getuid?.() === 0;

/** A command line run as the postgres OS user when this process is root, as this user otherwise. */
function asServerUser(bin: string, args: string[]): [string, string[]] {
  return asRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function chownToServerUser(dir: string): void {
  if (!asRoot()) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
}

/** Starts a throw-away cluster with one database (`database`, default populace_test). */
export async function startPostgres({ database = 'populace_test' }: { database?: string } = {}): Promise<TestPostgres> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`not a plain database name: ${database}`);
  const bin = postgresBinDir();
  if (!bin) throw new Error(`PostgreSQL ${MIN_POSTGRES_VERSION}+ server binaries not found under ${ROOT}/*/bin`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'populace-pg-'));
  const data = path.join(dir, 'data');
  const sockets = path.join(dir, 'sockets');
  const log = path.join(dir, 'server.log');
  mkdirSync(sockets);
  chownToServerUser(dir);
  chownToServerUser(sockets);
  const pgCtl = path.join(bin, 'pg_ctl');
  let started = false;
  const stopSync = () => {
    if (started) {
      try {
        execFileSync(...asServerUser(pgCtl, ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
      } catch {
        // already stopped
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // a test process that ends without stop() (a crash, a timeout) still takes its cluster down
  process.once('exit', stopSync);
  try {
    await run(...asServerUser(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']));
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off`;
      try {
        await run(...asServerUser(pgCtl, ['-D', data, '-l', log, '-w', '-t', '30', '-o', options, 'start']));
        started = true;
        break;
      } catch (e) {
        // the port may have been taken between the probe and the start
        if (attempt >= 3) throw new Error(`pg_ctl start failed: ${(e as Error).message}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
      }
    }
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    let version: string;
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    } finally {
      await admin.end();
    }
    return {
      url: `postgres://postgres@127.0.0.1:${port}/${database}`,
      version,
      stop: async () => {
        process.removeListener('exit', stopSync);
        if (started) {
          await run(...asServerUser(pgCtl, ['-D', data, '-m', 'immediate', 'stop'])).catch(() => undefined);
          started = false;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw e;
  }
}

/** The text form SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', 'now') stores, which the PostgreSQL twins reproduce. */
export const SQLITE_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A query result made comparable across the two databases: arrays and plain objects walked, each object entry offered
 * to `entry(key, value)` first (its answer replaces the entry; `undefined` walks into the value), each value to
 * `value(v)` first (for values that are not plain objects: bytes, sets, maps).
 */
export function comparable(
  v: unknown,
  hooks: { entry?: (key: string, value: unknown) => unknown; value?: (v: unknown) => unknown } = {},
): unknown {
  const own = hooks.value?.(v);
  if (own !== undefined) return own;
  if (Array.isArray(v)) return v.map((x) => comparable(x, hooks));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hooks.entry?.(k, x) ?? comparable(x, hooks)]));
  }
  return v;
}

/**
 * An entry hook for comparable: a timestamp under one of `keys` is checked for SQLite's text form and masked (with
 * `nullable`, a value that is not a string, e.g. a null finishedAt, is compared as it is).
 */
export function maskTimestamps(keys: readonly string[], { nullable = true }: { nullable?: boolean } = {}): (key: string, value: unknown) => unknown {
  const set = new Set(keys);
  return (k, v) => {
    if (!set.has(k) || (nullable && typeof v !== 'string')) return undefined;
    expect(v, k).toMatch(SQLITE_TIMESTAMP);
    return '<iso>';
  };
}
