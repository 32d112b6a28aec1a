/** Fresh SQLite databases for tests, used as the process-wide connection (getDb()). */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDb, getDb, openDatabase, type Db } from '../../db/client';
import { prepareWorkspace } from '../../lib/workspace/prepare';

export interface TestDatabase {
  db: Db;
  dir: string;
  file: string;
  cleanup: () => void;
}

function attach(dir: string): TestDatabase {
  const file = path.join(dir, 'populace.db');
  process.env.POPULACE_DB = file;
  closeDb();
  const db = getDb();
  return {
    db,
    dir,
    file,
    cleanup: () => {
      closeDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An empty database with migrations applied. */
export function useFreshDatabase(): TestDatabase {
  return attach(mkdtempSync(path.join(os.tmpdir(), 'populace-test-')));
}

function hashInputs(): string {
  const h = createHash('sha256');
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) walk(path.join(p, n));
    else h.update(p).update(readFileSync(p));
  };
  for (const p of ['db/migrations', 'db/seed-data', 'db/schema.ts', 'db/queries/seed.ts', 'lib/demo', 'lib/instruments', 'lib/personas/extractDemographics.ts', 'lib/workspace/prepare.ts', 'lib/pipeline/checks', 'lib/pipeline/minhash.ts', 'lib/groups/demo.ts']) {
    walk(path.join(process.cwd(), p));
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * A database holding the seeded demo workspace. The seed runs once into a template file (cached in the temp folder
 * under a hash of the migrations, seed data and seeding code) and each call gets its own copy.
 */
export function useSeededDatabase(): TestDatabase {
  const template = path.join(os.tmpdir(), `populace-seeded-${hashInputs()}.db`);
  if (!existsSync(template)) {
    const tmp = `${template}.${process.pid}.tmp`;
    const db = openDatabase(tmp);
    prepareWorkspace(db);
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    db.$client.pragma('journal_mode = DELETE');
    db.$client.close();
    renameSync(tmp, template);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'populace-test-'));
  copyFileSync(template, path.join(dir, 'populace.db'));
  return attach(dir);
}
