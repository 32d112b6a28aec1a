/**
 * A PostgreSQL connection pool with the pg schema (db/pg/schema.ts) and its migrations (db/pg/migrations) applied.
 * Not used by the app yet: its queries (db/queries) run on SQLite (db/client.ts). Migrations run on one connection
 * holding an advisory lock, so processes opening the same database at once apply them once.
 */
import path from 'node:path';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema';

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };
/** A transaction of the pool (what `db.transaction` hands its callback). */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
/** Where a query may run: the pool, one checked-out connection (drizzle over a pg.PoolClient) or a transaction. */
export type PgSession = NodePgDatabase<typeof schema> | PgTx;

export interface PgDatabase {
  db: PgDb;
  pool: pg.Pool;
  /** Ends the pool (waits for checked-out connections to be released); safe to call twice. */
  close: () => Promise<void>;
}

/** Folder of the committed PostgreSQL migrations. */
export const pgMigrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), 'db', 'pg', 'migrations');

/** The advisory lock key held while migrations run ('populace' read as bytes, fits a bigint). */
const MIGRATION_LOCK = '8101817904294617957';

/**
 * Opens a pool on `url` (postgres://user:password@host:port/database) and applies the pending migrations.
 * `pool` passes settings to pg.Pool (max connections, timeouts).
 */
export async function openPgDatabase(
  url: string,
  { migrationsFolder = pgMigrationsFolder, pool: poolConfig = {} }: { migrationsFolder?: string; pool?: Omit<pg.PoolConfig, 'connectionString'> } = {},
): Promise<PgDatabase> {
  const pool = new pg.Pool({ ...poolConfig, connectionString: url });
  // An idle connection that breaks (server restart, network) is dropped by the pool and the next query opens a new
  // one; without a listener the error would end the process.
  pool.on('error', (e) => console.error(`PostgreSQL pool: idle connection failed: ${e.message}`));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await pool.end();
  };
  try {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK]);
      try {
        await migrate(drizzle(client, { schema }), { migrationsFolder });
      } finally {
        // a connection that cannot unlock is dead, and its session's lock went with it: keep the migration's error
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK]).catch((e: Error) => (broken = e));
      }
    } finally {
      client.release(broken);
    }
  } catch (e) {
    await close();
    throw e;
  }
  const db = drizzle(pool, { schema }) as PgDb;
  return { db, pool, close };
}
