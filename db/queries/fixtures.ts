/**
 * Test fixtures: removing what a test stored in a shared database (the e2e server's), so later tests see the
 * workspace as it was. Not used by the app.
 */
import { inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { authors, itemResponses, personaPosts, personas, posts, reviewDecisions, sources, targets, traitScores } from '../schema';

/**
 * Deletes the given sources with everything stored under them (personas with their answers, scores, post links
 * and review decisions; posts; authors) and the named saved targets, in one transaction.
 */
export function deleteFixtureData({ db, sourceIds, targetNames = [] }: { db: Db; sourceIds: string[]; targetNames?: string[] }): void {
  db.transaction((tx) => {
    if (sourceIds.length) {
      const ids = tx.select({ id: personas.id }).from(personas).where(inArray(personas.sourceId, sourceIds)).all().map((p) => p.id);
      const postIds = tx.select({ id: posts.id }).from(posts).where(inArray(posts.sourceId, sourceIds)).all().map((p) => p.id);
      if (ids.length) {
        tx.delete(reviewDecisions).where(inArray(reviewDecisions.personaId, ids)).run();
        tx.delete(itemResponses).where(inArray(itemResponses.personaId, ids)).run();
        tx.delete(traitScores).where(inArray(traitScores.personaId, ids)).run();
        tx.delete(personaPosts).where(inArray(personaPosts.personaId, ids)).run();
        // children (privacy rewrites) before their parents
        tx.update(personas).set({ parentId: null }).where(inArray(personas.id, ids)).run();
        tx.delete(personas).where(inArray(personas.id, ids)).run();
      }
      if (postIds.length) tx.delete(personaPosts).where(inArray(personaPosts.postId, postIds)).run();
      tx.delete(posts).where(inArray(posts.sourceId, sourceIds)).run();
      tx.delete(authors).where(inArray(authors.sourceId, sourceIds)).run();
      tx.delete(sources).where(inArray(sources.id, sourceIds)).run();
    }
    if (targetNames.length) tx.delete(targets).where(inArray(targets.name, targetNames)).run();
  });
}
