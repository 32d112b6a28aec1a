/**
 * The exact- and near-duplicate checks over a source's current personas (a revised persona replaces its parent), run
 * after generation and after a persona import: a duplicate gets a 'duplicate' flag naming its earlier twin (and so
 * waits for review before it enters the pool); a persona that is no longer a duplicate loses the flag.
 */
import type { Db } from '../../db/client';
import { listSourcePersonas, updatePersonaChecks } from '../../db/queries/pipeline';
import { checkDuplicates } from './checks';

/** Re-checks a source; returns how many of its personas are flagged as duplicates. */
export function recheckSourceDuplicates({ db, sourceId, threshold }: { db: Db; sourceId: string; threshold: number }): number {
  const all = listSourcePersonas({ db, sourceId });
  const superseded = new Set(all.filter((x) => x.parentId !== null).map((x) => x.parentId));
  const current = all.filter((x) => !superseded.has(x.id));
  const dup = checkDuplicates(current, threshold);
  let flagged = 0;
  for (const x of current) {
    const r = dup.get(x.id)!;
    const had = x.flags.some((f) => f.code === 'duplicate');
    if (!r.passed) {
      flagged++;
      updatePersonaChecks({
        db,
        id: x.id,
        addFlags: [{ code: 'duplicate', reason: r.reasons.join('; '), relatedPersonaId: r.twinId! }],
        duplicateOfId: r.twinId,
        metadata: { duplicate: { similarity: r.score, twinId: r.twinId, threshold } },
      });
    } else if (had) {
      updatePersonaChecks({ db, id: x.id, removeFlagCodes: ['duplicate'], duplicateOfId: null });
    }
  }
  return flagged;
}
