/**
 * Backup of the database file.
 *
 * Backup uses SQLite's online backup API through better-sqlite3: it works while a server has the database open and
 * writes to it (WAL). All pages are copied in one backup step, so the copy is one consistent snapshot (a write by
 * another process between steps would restart the copy). The copy is written beside the destination, switched to
 * a single self-contained file (journal_mode DELETE), checked with PRAGMA integrity_check, fsynced and renamed into
 * place, so a half-written backup never carries the final name.
 *
 * Restore is in restore.ts; the checks both share are in backupCheck.ts.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { BackupError, fsyncPath, integrity, migrationLevel, removeSidecars, tableCounts, type MigrationLevel, type TableCounts } from './backupCheck';

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  ms: number;
  counts: TableCounts;
  migrations: MigrationLevel;
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
