/** Start-up work: open (and migrate) the database, then seed the demo workspace on first start. */
import { getDb, type Db } from '../../db/client';
import { getSeedVersion, seedDemoWorkspace } from '../../db/queries/seed';
import { DEMO_SEED_VERSION, loadDemoWorkspace } from '../demo/workspace';
import { ensureDemoGroups } from '../groups/demo';
import { backfillDemographics } from '../personas/service';

export interface PrepareResult {
  seeded: boolean;
  ms: number;
}

/** Migrates, seeds, and records how older personas' demographics were obtained; a second call changes nothing. */
export function prepareWorkspace(db: Db = getDb()): PrepareResult {
  const start = performance.now();
  const seeded =
    getSeedVersion({ db }) === null &&
    seedDemoWorkspace({ db, workspace: loadDemoWorkspace(), version: DEMO_SEED_VERSION });
  ensureDemoGroups(db);
  backfillDemographics(db);
  return { seeded, ms: Math.round(performance.now() - start) };
}
