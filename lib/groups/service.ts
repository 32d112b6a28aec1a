/** Groups: saved definitions, their human target, their persona set, their latest alignment and its coverage. */
import { getDb, type Db } from '../../db/client';
import {
  deleteGroupRow,
  getGroupRow,
  getGroupRowByName,
  getLatestGroupRun,
  insertGroupRow,
  listGroupRunRows,
  listGroupRows,
  listPersonaSourceRows,
  updateGroupRow,
} from '../../db/queries/groups';
import type { RunConfig } from '../../db/json';
import type { Group } from '../../db/schema';
import { AppError } from '../http/errors';
import { checkRetrieveCount } from '../limits/sizes';
import { buildTarget } from '../targets/service';
import { listGroupRevisions } from './groupRevisions';
import { coverageOfRun } from './groupSet';
import { previewGroupTarget } from './groupTarget';
import { retrievePersonas } from './retrieve';
import { groupDefinitionSchema, groupInputSchema, type CustomRegion, type GroupDefinition } from './schema';

// The target (groupTarget.ts), the set and its coverage (groupSet.ts) and the revisions (groupRevisions.ts) live in
// their own modules; re-exported here for the pages, routes and services that use them.
export { listGroupRevisions, type RevisionView } from './groupRevisions';
export { buildGroupSet, coverageOfRun, type GroupSet } from './groupSet';
export { previewGroupTarget, sameReferenceSelection, type GroupTargetSummary } from './groupTarget';

export interface GroupView {
  id: number;
  name: string;
  definition: GroupDefinition;
  createdAt: string;
}

function toView(row: Group): GroupView {
  return { id: row.id, name: row.name, definition: row.definition, createdAt: row.createdAt };
}

export function getGroup(id: number, db: Db = getDb()): GroupView {
  const row = getGroupRow({ db, id });
  if (!row) throw new AppError('not_found', `Group ${id} does not exist.`, 404);
  return toView(row);
}

/** Saved groups with their target size, warnings and latest run. */
export function listGroups(db: Db = getDb()) {
  return listGroupRows({ db }).map((row) => {
    const g = toView(row);
    const run = getLatestGroupRun({ db, groupId: g.id });
    const metrics = run?.metrics?.resample ?? null;
    const diag = run?.diagnostics;
    return {
      ...g,
      target: previewGroupTarget(g.definition.reference, db),
      latestRun: run ? { id: run.id, createdAt: run.createdAt, metrics, ess: diag?.ess ?? null, setSize: run.personaIds?.length ?? 0 } : null,
    };
  });
}

/** Ids and names of the saved groups (for pointers from a missing group). */
export function listGroupNames(db: Db = getDb()) {
  return listGroupRows({ db }).map((r) => ({ id: r.id, name: r.name }));
}

/** Persona sources for the persona-side filter. */
export function listPersonaSources(db: Db = getDb()) {
  return listPersonaSourceRows({ db });
}

/** Custom regions saved with groups (unique by name). */
export function listCustomRegions(db: Db = getDb()): CustomRegion[] {
  const out = new Map<string, CustomRegion>();
  for (const row of listGroupRows({ db })) {
    const region = toView(row).definition.region;
    if (region && !out.has(region.name)) out.set(region.name, region);
  }
  return [...out.values()];
}

function checkName(db: Db, name: string, exceptId?: number) {
  const other = getGroupRowByName({ db, name });
  if (other && other.id !== exceptId) throw new AppError('name_taken', `A group named "${name}" already exists: choose another name.`, 409);
}

export function createGroup(input: unknown, db: Db = getDb()) {
  const g = groupInputSchema.parse(input);
  checkRetrieveCount('definition.personas.retrieveCount', g.definition.personas.retrieveCount);
  checkName(db, g.name);
  buildTarget(g.definition.reference, db); // refuse a group whose target matches nobody
  const row = insertGroupRow({ db, name: g.name, definition: g.definition });
  return toView(row);
}

export function updateGroup(id: number, input: unknown, db: Db = getDb()) {
  const g = groupInputSchema.parse(input);
  getGroup(id, db);
  checkRetrieveCount('definition.personas.retrieveCount', g.definition.personas.retrieveCount);
  checkName(db, g.name, id);
  buildTarget(g.definition.reference, db);
  const row = updateGroupRow({ db, id, name: g.name, definition: g.definition });
  return toView(row!);
}

export function deleteGroup(id: number, db: Db = getDb()) {
  if (!deleteGroupRow({ db, id })) throw new AppError('not_found', `Group ${id} does not exist.`, 404);
  return { deleted: id };
}

export async function retrieveForGroup(id: number, db: Db = getDb(), override?: { description?: string }) {
  const g = getGroup(id, db);
  const side = override?.description !== undefined ? { ...g.definition.personas, description: override.description } : g.definition.personas;
  return retrievePersonas(db, side);
}

/** True when a run was made for another definition of its group than the current one (the run's config keeps it). */
export function runIsStale(config: RunConfig, definition: GroupDefinition): boolean {
  const saved = config.group?.definition;
  if (saved === undefined) return false;
  const parsed = groupDefinitionSchema.safeParse(saved);
  if (!parsed.success) return true;
  const key = (d: GroupDefinition) => JSON.stringify({ reference: d.reference, personas: d.personas });
  return key(parsed.data) !== key(definition);
}

/** Everything the group page shows except retrieval (which may call an embedding model). */
export function getGroupDetail(id: number, db: Db = getDb()) {
  const group = getGroup(id, db);
  const target = previewGroupTarget(group.definition.reference, db);
  const latest = getLatestGroupRun({ db, groupId: id });
  const runs = listGroupRunRows({ db, groupId: id });
  let latestRun = null;
  if (latest) {
    const diag = latest.diagnostics;
    latestRun = {
      id: latest.id,
      name: latest.name,
      seed: latest.seed,
      createdAt: latest.createdAt,
      setSize: latest.personaIds?.length ?? 0,
      selectionSize: latest.selection?.length ?? 0,
      metrics: latest.metrics,
      diagnostics: diag,
      config: latest.config,
      coverage: target.error ? null : coverageOfRun(latest, group.definition.reference, db),
      stale: runIsStale(latest.config, group.definition),
    };
  }
  return { group, target, latestRun, runs, revisions: listGroupRevisions(id, db) };
}
