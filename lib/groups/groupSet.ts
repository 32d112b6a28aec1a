/** A group's persona set (retrieval hits that can be aligned, its measured revisions in place of parents) and its coverage. */
import { getDb, type Db } from '../../db/client';
import { listGroupRevisionRows, listPreferredScores } from '../../db/queries/groups';
import type { AlignmentRun } from '../../db/schema';
import type { TargetSpec } from '../targets/schema';
import { buildTarget } from '../targets/service';
import { groupCoverage, type GroupCoverage } from './coverage';
import { retrievePersonas, type RetrievalResult } from './retrieve';
import type { GroupView } from './service';

export interface GroupSet {
  /** Persona ids of the set (measured, not rejected; a measured revision for this group replaces its parent). */
  personaIds: number[];
  retrieval: RetrievalResult;
  /** Retrieved personas left out because they have no trait scores. */
  unmeasured: number[];
  /** Parents replaced by their revision for this group. */
  revised: { parentId: number; revisionId: number }[];
}

/** The group set: retrieval hits that can be aligned, with this group's measured revisions in place of parents. */
export async function buildGroupSet(group: GroupView, db: Db = getDb(), signal?: AbortSignal): Promise<GroupSet> {
  const retrieval = await retrievePersonas(db, group.definition.personas, { signal });
  const revisions = listGroupRevisionRows({ db, groupId: group.id }).filter((r) => r.instrumentId !== null && r.status !== 'rejected');
  const latestRevision = new Map<number, number>();
  for (const r of revisions) latestRevision.set(r.parentId, r.id);
  const ids: number[] = [];
  const unmeasured: number[] = [];
  const revised: GroupSet['revised'] = [];
  for (const h of retrieval.hits) {
    const rev = latestRevision.get(h.id);
    if (rev !== undefined) {
      ids.push(rev);
      revised.push({ parentId: h.id, revisionId: rev });
    } else if (h.measured) ids.push(h.id);
    else unmeasured.push(h.id);
  }
  return { personaIds: ids, retrieval, unmeasured, revised };
}

/** Coverage of a finished group run against the group's target (null when there is no finished run). */
export function coverageOfRun(
  run: Pick<AlignmentRun, 'personaIds' | 'diagnostics'>,
  spec: TargetSpec,
  db: Db = getDb(),
): GroupCoverage | null {
  const ids = run.personaIds ?? [];
  if (ids.length < 2) return null;
  const scores = listPreferredScores({ db, ids });
  const set = new Float64Array(scores.length * 5);
  scores.forEach((s, i) => set.set([s.E, s.A, s.C, s.N, s.O], i * 5));
  const target = buildTarget(spec, db);
  const diag = run.diagnostics;
  return groupCoverage({
    set,
    setN: scores.length,
    target: target.data,
    targetN: target.n,
    reference: target.reference,
    referenceN: target.n,
    ess: diag?.ess ?? null,
    khat: diag?.khat ?? null,
  });
}
