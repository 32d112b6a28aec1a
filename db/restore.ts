/**
 * Restore of the database file from a backup.
 *
 * Restore refuses while any other process has the database open: it takes SQLite's own exclusive lock
 * (locking_mode EXCLUSIVE + BEGIN EXCLUSIVE, which in WAL mode also fails while another connection holds the
 * shared-memory index). It checks the backup first (a SQLite file, integrity ok, a Populace migration history not
 * newer than this code), copies it to a temporary file in the database's folder, fsyncs it, renames it over the
 * database while still holding the lock, removes the stale -wal and -shm files and fsyncs the folder.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BackupError, codeMigrationLevel, fsyncPath, integrity, openChecked, removeSidecars, type MigrationLevel, type TableCounts } from './backupCheck';

export interface RestoreResult {
  file: string;
  from: string;
  counts: TableCounts;
  migrations: MigrationLevel;
  /** Migrations of this code not yet in the backup (applied on the next start). */
  pendingMigrations: number;
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
