/** Revisions of a persona: its parent chain and the revisions derived from it, each diffed against its parent. */
import { diffWordsWithSpace } from 'diff';
import type { Db } from '../../db/client';
import { getPersonaSummaries, listAncestorIds, listDescendantIds } from '../../db/queries/personaPage';

export interface DiffPart {
  /** 'same', 'added' (in the revision, not the parent) or 'removed' (in the parent, not the revision). */
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Word diff (whitespace kept, so both texts can be rebuilt from the parts) of a parent narrative and a revision, as plain text parts (rendered as text, never HTML). */
export function narrativeDiff(parent: string, revision: string): DiffPart[] {
  return diffWordsWithSpace(parent, revision).map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}

export function getRevisions(db: Db, id: number) {
  const ancestors = listAncestorIds({ db, id });
  const descendants = listDescendantIds({ db, id });
  const all = getPersonaSummaries({ db, ids: [id, ...ancestors, ...descendants] });
  const byId = new Map(all.map((p) => [p.id, p]));
  const entry = (pid: number) => {
    const p = byId.get(pid)!;
    const parent = p.parentId !== null ? byId.get(p.parentId) : undefined;
    return {
      id: p.id,
      name: p.name,
      status: p.status,
      parentId: p.parentId,
      createdAt: p.createdAt,
      diff: parent ? narrativeDiff(parent.narrative, p.narrative) : null,
      added: 0,
      removed: 0,
    };
  };
  const withCounts = (e: ReturnType<typeof entry>) => ({
    ...e,
    added: e.diff?.filter((d) => d.kind === 'added').reduce((a, d) => a + d.text.trim().split(/\s+/).filter(Boolean).length, 0) ?? 0,
    removed: e.diff?.filter((d) => d.kind === 'removed').reduce((a, d) => a + d.text.trim().split(/\s+/).filter(Boolean).length, 0) ?? 0,
  });
  return {
    /** Oldest first, ending with this persona. */
    chain: [...ancestors].reverse().concat(id).map((x) => withCounts(entry(x))),
    /** Revisions made from this persona (and from those), oldest first. */
    derived: descendants.map((x) => withCounts(entry(x))),
  };
}
