/**
 * Backup and restore of the database file.
 *
 * Backup uses SQLite's online backup API through better-sqlite3: it works while a server has the database open and
 * writes to it (WAL). All pages are copied in one backup step, so the copy is one consistent snapshot (a write by
 * another process between steps would restart the copy). The copy is written beside the destination, switched to
 * a single self-contained file (journal_mode DELETE), checked with PRAGMA integrity_check, fsynced and renamed into
 * place, so a half-written backup never carries the final name.
 *
 * Restore refuses while any other process has the database open: it takes SQLite's own exclusive lock
 * (locking_mode EXCLUSIVE + BEGIN EXCLUSIVE, which in WAL mode also fails while another connection holds the
 * shared-memory index). It checks the backup first (a SQLite file, integrity ok, a Populace migration history not
 * newer than this code), copies it to a temporary file in the database's folder, fsyncs it, renames it over the
 * database while still holding the lock, removes the stale -wal and -shm files and fsyncs the folder.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
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

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  ms: number;
  counts: TableCounts;
  migrations: MigrationLevel;
}

export interface RestoreResult {
  file: string;
  from: string;
  counts: TableCounts;
  migrations: MigrationLevel;
  /** Migrations of this code not yet in the backup (applied on the next start). */
  pendingMigrations: number;
}

function fsyncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeSidecars(file: string): void {
  for (const ext of ['-wal', '-shm', '-journal']) rmSync(file + ext, { force: true });
}

/** Row counts of every user table. */
function tableCounts(db: Database.Database): TableCounts {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all() as { name: string }[];
  const out: TableCounts = {};
  for (const { name } of tables) out[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  return out;
}

function migrationLevel(db: Database.Database): MigrationLevel | null {
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
function integrity(db: Database.Database): string {
  const rows = db.prepare('PRAGMA integrity_check(20)').all() as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}

/**
 * Opens a file as a Populace database for checking, read-only; throws BackupError naming the file when it is not
 * one. The caller closes the connection.
 */
function openChecked(file: string, what: string): { db: Database.Database; counts: TableCounts; migrations: MigrationLevel } {
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

/**
 * Copies the database at `source` to `out` with the online backup API, verifies the copy and returns its counts.
 * Safe while other processes read and write the source.
 */
export async function backupDatabase(o: { source: string; out: string }): Promise<BackupResult> {
  const t0 = performance.now();
  const out = path.resolve(o.out);
  if (!existsSync(o.source)) throw new BackupError('NOT_FOUND', `There is no database at ${o.source} to back up.`);
  if (path.resolve(o.source) === out) throw new BackupError('FAILED', 'The backup file must not be the database itself.');
  if (!existsSync(path.dirname(out))) throw new BackupError('NOT_FOUND', `The folder ${path.dirname(out)} does not exist.`);
  const tmp = `${out}.${process.pid}.partial`;
  removeSidecars(tmp);
  rmSync(tmp, { force: true });
  const src = new Database(o.source, { fileMustExist: true });
  let pages = 0;
  try {
    src.pragma('busy_timeout = 5000');
    // Everything in one step: one read transaction, hence one consistent snapshot.
    const meta = await src.backup(tmp, { progress: () => 0x7fffffff });
    pages = meta.totalPages;
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new BackupError('FAILED', `The backup of ${o.source} failed: ${(e as Error).message}.`);
  } finally {
    src.close();
  }
  let counts: TableCounts;
  let migrations: MigrationLevel;
  try {
    const copy = new Database(tmp, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      const check = integrity(copy);
      if (check !== 'ok') throw new BackupError('CORRUPT', `The copy fails the integrity check: ${check}.`);
      migrations = migrationLevel(copy) ?? { applied: 0, latest: null };
      counts = tableCounts(copy);
    } finally {
      copy.close();
    }
    fsyncPath(tmp);
    renameSync(tmp, out);
    fsyncPath(path.dirname(out));
  } catch (e) {
    removeSidecars(tmp);
    rmSync(tmp, { force: true });
    throw e;
  }
  return { file: out, bytes: statSync(out).size, pages, ms: performance.now() - t0, counts, migrations };
}

/** Checks a backup file without touching the database: integrity, Populace migration history, counts. */
export function inspectBackup(file: string): { counts: TableCounts; migrations: MigrationLevel } {
  const c = openChecked(file, 'The backup');
  c.db.close();
  return { counts: c.counts, migrations: c.migrations };
}

/**
 * Takes SQLite's exclusive lock on the database, or throws IN_USE when another process has it open.
 * Returns the locked connection (close it to release), or null when there is no database file yet.
 */
function lockDatabase(file: string): Database.Database | null {
  if (!existsSync(file)) return null;
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch {
    return null; // not openable as a database at all: no server can be using it either
  }
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    // Leave WAL while holding the lock, so closing this connection later cannot touch a -wal file by name.
    db.pragma('journal_mode = DELETE');
    return db;
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new BackupError(
        'IN_USE',
        `The database ${file} is open in another process (a running server or command). Stop it first, then run restore again.`,
      );
    }
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return null; // a broken file: replace it
    throw new BackupError('FAILED', `Could not lock ${file}: ${(e as Error).message}.`);
  }
}

/** Replaces the database at `target` with the backup `from`, atomically; refuses while the database is in use. */
export function restoreDatabase(o: { from: string; target: string }): RestoreResult {
  const from = path.resolve(o.from);
  const target = path.resolve(o.target);
  if (from === target) throw new BackupError('FAILED', 'The backup to restore is the database itself.');
  const checked = openChecked(from, 'The backup');
  checked.db.close();
  const code = codeMigrationLevel();
  if (checked.migrations.applied > code.applied || (checked.migrations.latest ?? 0) > (code.latest ?? 0)) {
    throw new BackupError(
      'TOO_NEW',
      `The backup ${from} was made by a newer version of Populace (${checked.migrations.applied} migrations, this version knows ${code.applied}); update Populace before restoring it.`,
    );
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.restore-${process.pid}.tmp`);
  rmSync(tmp, { force: true });
  removeSidecars(tmp);
  const lock = lockDatabase(target);
  try {
    // A copy through SQLite (not a byte copy): the result is a clean single file even if the backup had a WAL flag.
    const src = new Database(from, { readonly: true, fileMustExist: true });
    try {
      src.exec(`VACUUM INTO '${tmp.replace(/'/g, "''")}'`);
    } finally {
      src.close();
    }
    const copy = new Database(tmp, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      const check = integrity(copy);
      if (check !== 'ok') throw new BackupError('CORRUPT', `The restored copy fails the integrity check: ${check}.`);
    } finally {
      copy.close();
    }
    fsyncPath(tmp);
    renameSync(tmp, target);
    removeSidecars(target);
    fsyncPath(path.dirname(target));
  } catch (e) {
    rmSync(tmp, { force: true });
    removeSidecars(tmp);
    throw e instanceof BackupError ? e : new BackupError('FAILED', `The restore failed and the database was left as it was: ${(e as Error).message}.`);
  } finally {
    lock?.close();
  }
  return { file: target, from, counts: checked.counts, migrations: checked.migrations, pendingMigrations: code.applied - checked.migrations.applied };
}
