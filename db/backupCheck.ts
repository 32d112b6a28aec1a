/**
 * What backup and restore share: the error they refuse with, a database file's row counts and migration level, the
 * checks of a file (SQLite header, integrity, a Populace migration history) and the fsync and sidecar helpers.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { migrationsFolder } from './client';

/** A refused backup or restore, with a sentence a person can act on. */
export class BackupError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'NOT_SQLITE' | 'CORRUPT' | 'NOT_POPULACE' | 'TOO_NEW' | 'IN_USE' | 'FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

/** Rows per table (FTS shadow tables and SQLite's own tables left out). */
export type TableCounts = Record<string, number>;

export interface MigrationLevel {
  /** Migrations recorded in the file. */
  applied: number;
  /** created_at of the newest recorded migration (ms), or null when none. */
  latest: number | null;
}

export function fsyncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function removeSidecars(file: string): void {
  for (const ext of ['-wal', '-shm', '-journal']) rmSync(file + ext, { force: true });
}

/** Row counts of every user table. */
export function tableCounts(db: Database.Database): TableCounts {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all() as { name: string }[];
  const out: TableCounts = {};
  for (const { name } of tables) out[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  return out;
}

export function migrationLevel(db: Database.Database): MigrationLevel | null {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!has) return null;
  const r = db.prepare('SELECT count(*) AS n, max(created_at) AS latest FROM __drizzle_migrations').get() as { n: number; latest: number | null };
  return { applied: r.n, latest: r.latest === null ? null : Number(r.latest) };
}

/** The migrations this code knows (from db/migrations/meta/_journal.json). */
export function codeMigrationLevel(): MigrationLevel {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  const whens = journal.entries.map((e) => e.when);
  return { applied: whens.length, latest: whens.length ? Math.max(...whens) : null };
}

/** integrity_check of an open connection: 'ok' or the first problems. */
export function integrity(db: Database.Database): string {
  const rows = db.prepare('PRAGMA integrity_check(20)').all() as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}

/**
 * Opens a file as a Populace database for checking, read-only; throws BackupError naming the file when it is not
 * one. The caller closes the connection.
 */
export function openChecked(file: string, what: string): { db: Database.Database; counts: TableCounts; migrations: MigrationLevel } {
  if (!existsSync(file) || !statSync(file).isFile()) throw new BackupError('NOT_FOUND', `${what} ${file} does not exist.`);
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 16 || head.toString('latin1') !== 'SQLite format 3\0') {
    throw new BackupError('NOT_SQLITE', `${what} ${file} is not a SQLite database (it does not start with the SQLite header).`);
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new BackupError('NOT_SQLITE', `${what} ${file} cannot be opened as a SQLite database: ${(e as Error).message}.`);
  }
  try {
    const check = integrity(db);
    if (check !== 'ok') throw new BackupError('CORRUPT', `${what} ${file} fails the integrity check: ${check}.`);
    const migrations = migrationLevel(db);
    if (!migrations || migrations.applied === 0) {
      throw new BackupError('NOT_POPULACE', `${what} ${file} is a SQLite database but not a Populace one (it has no migration history).`);
    }
    return { db, counts: tableCounts(db), migrations };
  } catch (e) {
    db.close();
    if (e instanceof BackupError) throw e;
    throw new BackupError('CORRUPT', `${what} ${file} cannot be read: ${(e as Error).message}.`);
  }
}

/** Checks a backup file without touching the database: integrity, Populace migration history, counts. */
export function inspectBackup(file: string): { counts: TableCounts; migrations: MigrationLevel } {
  const c = openChecked(file, 'The backup');
  c.db.close();
  return { counts: c.counts, migrations: c.migrations };
}
