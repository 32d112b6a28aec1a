/**
 * The one SQLite connection of a process: WAL journal, foreign keys on, migrations applied.
 * The database file lives in POPULACE_DATA_DIR (default ./var) as populace.db, or at POPULACE_DB when set.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction of the connection (what `db.transaction` hands its callback). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Folder of the committed SQL migrations. */
export const migrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), 'db', 'migrations');

/** Where the database lives, from the environment. */
export function databasePath(): string {
  if (process.env.POPULACE_DB) return path.resolve(process.env.POPULACE_DB);
  const dir = path.resolve(process.env.POPULACE_DATA_DIR ?? path.join(/* turbopackIgnore: true */ process.cwd(), 'var'));
  return path.join(dir, 'populace.db');
}

/** Opens (creating when needed) a database file, sets pragmas and applies migrations. */
export function openDatabase(file: string = databasePath()): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder });
  return db;
}

const globalForDb = globalThis as { populaceDb?: Db };

/** The process-wide connection (opened on first use). */
export function getDb(): Db {
  if (!globalForDb.populaceDb) globalForDb.populaceDb = openDatabase();
  return globalForDb.populaceDb;
}

/** The file a connection's database lives in ('' or ':memory:' for an in-memory database). */
export function databaseFile(db: Db): string {
  return db.$client.name;
}

/** Whether a connection's database is in memory (no file another process could open). */
export function isInMemoryDatabase(db: Db): boolean {
  return db.$client.memory;
}

/** Closes the process-wide connection (tests and CLI). */
export function closeDb(): void {
  globalForDb.populaceDb?.$client.close();
  globalForDb.populaceDb = undefined;
}
