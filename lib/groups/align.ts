/**
 * Group alignment: the group set (retrieved, measured, non-rejected personas, with this group's revisions in place
 * of their parents) aligned to the group's target by the same engine and job as the studio's full runs
 * (lib/studio/runs.ts, with an explicit pool and the group id on the run).
 */
import { getDb, type Db } from '../../db/client';
import { LOCAL_ACTOR, type Actor } from '../audit/actor';
import { AppError } from '../http/errors';
import { DEFAULT_SELECTION, STUDIO_KDE_BANDWIDTH } from '../core/defaults';
import { startAlignmentRun } from '../studio/runs';
import { buildGroupSet, getGroup } from './service';
import { groupAlignRequestSchema } from './schema';

/** Starts the alignment of a group's set as a job owned by the actor: { runId, jobId, setSize, unmeasured }. */
export async function startGroupAlignment(groupId: number, input: unknown, db: Db = getDb(), actor: Actor = LOCAL_ACTOR) {
  const request = groupAlignRequestSchema.parse(input ?? {});
  const group = getGroup(groupId, db);
  const set = await buildGroupSet(group, db);
  if (set.personaIds.length < 2) {
    throw new AppError(
      'empty_group_set',
      `Only ${set.personaIds.length} of the ${set.retrieval.hits.length} retrieved personas have trait scores and are not rejected; at least two are needed. ` +
        (set.unmeasured.length ? `Measure the ${set.unmeasured.length} unmeasured hits (Pipeline → Measure, needs an LLM) or ` : '') +
        'widen the persona description or filters.',
      422,
    );
  }
  const size = request.size ?? set.personaIds.length;
  const { runId, jobId } = startAlignmentRun(
    {
      name: `Group: ${group.name}`,
      seed: request.seed,
      size,
      spec: group.definition.reference,
      config: { selection: request.selection ?? DEFAULT_SELECTION, bandwidth: request.bandwidth ?? STUDIO_KDE_BANDWIDTH, estimator: request.estimator },
    },
    db,
    {
      groupId,
      personaIds: set.personaIds,
      configExtras: {
        group: { id: group.id, name: group.name, definition: group.definition },
        retrieval: {
          method: set.retrieval.method,
          hits: set.retrieval.hits.length,
          candidates: set.retrieval.candidates,
          unmeasured: set.unmeasured.length,
          revised: set.revised,
        },
      },
    },
    actor,
  );
  return { runId, jobId, setSize: set.personaIds.length, unmeasured: set.unmeasured.length, method: set.retrieval.method };
}
