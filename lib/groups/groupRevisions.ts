/** A group's persona revisions with their word diff against the parent and their trait drift. */
import { getDb, type Db } from '../../db/client';
import { listGroupRevisionRows } from '../../db/queries/groups';
import { narrativeDiff } from '../personas/revisions';
import { TRAIT_DRIFT_LIMIT } from './schema';

export interface RevisionView {
  id: number;
  parentId: number;
  name: string | null;
  status: string;
  narrative: string;
  diff: ReturnType<typeof narrativeDiff>;
  changes: string | null;
  measured: boolean;
  drift: Record<string, number> | null;
  maxDrift: number | null;
  drifted: boolean;
  comparedWith: string | null;
}

export function listGroupRevisions(groupId: number, db: Db = getDb()): RevisionView[] {
  return listGroupRevisionRows({ db, groupId }).map((r) => {
    const meta = (r.metadata ? JSON.parse(r.metadata) : {}) as {
      groupRevision?: { changes?: string; drift?: Record<string, number>; maxDrift?: number; comparedWith?: string };
    };
    const gr = meta.groupRevision ?? {};
    return {
      id: r.id,
      parentId: r.parentId,
      name: r.name,
      status: r.status,
      narrative: r.narrative,
      diff: narrativeDiff(r.parentNarrative, r.narrative),
      changes: gr.changes ?? null,
      measured: r.instrumentId !== null,
      drift: gr.drift ?? null,
      maxDrift: gr.maxDrift ?? null,
      drifted: (gr.maxDrift ?? 0) > TRAIT_DRIFT_LIMIT,
      comparedWith: gr.comparedWith ?? null,
    };
  });
}
