/** Start-up work: open (and migrate) the database, then seed the demo workspace on first start. */
import { getDb, type Db } from '../../db/client';
import { getSeedVersion, seedDemoWorkspace } from '../../db/queries/seed';
import { DEMO_SEED_VERSION, loadDemoWorkspace } from '../demo/workspace';
import { ensureDemoGroups } from '../groups/demo';

export interface PrepareResult {
  seeded: boolean;
  ms: number;
}

/** Migrates and seeds; a second call (or a second start) changes nothing. */
export function prepareWorkspace(db: Db = getDb()): PrepareResult {
  const start = performance.now();
  const seeded =
    getSeedVersion({ db }) === null &&
    seedDemoWorkspace({ db, workspace: loadDemoWorkspace(), version: DEMO_SEED_VERSION });
  ensureDemoGroups(db);
  return { seeded, ms: Math.round(performance.now() - start) };
}
