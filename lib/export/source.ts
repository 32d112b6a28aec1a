/** What an export is drawn from: a run, a group's latest (or named) run, or the current pool, resolved to personas and weights. */
import type { Db } from '../../db/client';
import { getLatestGroupRun } from '../../db/queries/groups';
import { listPoolPersonas } from '../../db/queries/pool';
import { getRunById } from '../../db/queries/runs';
import type { AlignmentRun } from '../../db/schema';
import { getGroup } from '../groups/service';
import type { GroupDefinition } from '../groups/schema';
import { AppError } from '../http/errors';
import type { ExportRequest } from './schema';

export interface Resolved {
  run: AlignmentRun | null;
  group: { id: number; name: string; definition: GroupDefinition } | null;
  personaIds: number[];
  weights: number[];
  selection: number[] | null;
}

export function resolveSource(request: ExportRequest, db: Db): Resolved {
  const s = request.source;
  if (s.kind === 'pool') {
    const pool = listPoolPersonas({ db });
    if (pool.length === 0) throw new AppError('empty_pool', 'The pool is empty: measure some personas first.', 422);
    return { run: null, group: null, personaIds: pool.map((p) => p.id), weights: pool.map(() => 1 / pool.length), selection: null };
  }
  let run: AlignmentRun | undefined;
  let group: Resolved['group'] = null;
  if (s.kind === 'group') {
    const g = getGroup(s.groupId, db);
    group = { id: g.id, name: g.name, definition: g.definition };
    run = s.runId ? getRunById({ db, id: s.runId }) : getLatestGroupRun({ db, groupId: s.groupId });
    if (!run) throw new AppError('no_group_run', `Group "${g.name}" has no finished alignment yet: align it first.`, 422);
    if (run.groupId !== s.groupId) throw new AppError('run_not_in_group', `Run ${run.id} does not belong to group "${g.name}".`, 422);
  } else {
    run = getRunById({ db, id: s.runId });
    if (!run) throw new AppError('not_found', `Run ${s.runId} does not exist.`, 404);
    if (run.groupId !== null) {
      try {
        const g = getGroup(run.groupId, db);
        group = { id: g.id, name: g.name, definition: g.definition };
      } catch {
        group = null;
      }
    }
  }
  if (run.status !== 'done' || !run.personaIds || !run.weights) {
    throw new AppError('run_not_done', `Run ${run.id} is ${run.status}: only finished runs can be exported.`, 422);
  }
  return { run, group, personaIds: run.personaIds, weights: run.weights, selection: run.selection ?? [] };
}

/** What the set is drawn from, for messages: "run 3's pool" or "the pool". */
export function poolLabel(r: Resolved): string {
  return r.run ? `run ${r.run.id}'s pool` : 'the pool';
}
