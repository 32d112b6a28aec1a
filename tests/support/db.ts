/** A fresh SQLite database file per test file, with migrations applied, used as the process-wide connection. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDb, getDb, type Db } from '../../db/client';

export function useFreshDatabase(): { db: Db; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'populace-test-'));
  process.env.POPULACE_DB = path.join(dir, 'populace.db');
  closeDb();
  const db = getDb();
  return {
    db,
    dir,
    cleanup: () => {
      closeDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
