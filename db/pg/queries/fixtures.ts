/**
 * Test fixtures on PostgreSQL: the twin of db/queries/fixtures.ts (same function and arguments, async). Removes what a
 * test stored in a shared database. Not used by the app. As on SQLite, review decisions are append-only (a trigger
 * refuses deleting one), so a source whose personas have decisions cannot be removed: the transaction is rolled back.
 */
import { inArray } from 'drizzle-orm';
import type { PgDb, PgSession } from '../client';
import { authors, itemResponses, personaPosts, personas, posts, reviewDecisions, sources, targets, traitScores } from '../schema';

/**
 * Deletes the given sources with everything stored under them (personas with their answers, scores, post links
 * and review decisions; posts; authors) and the named saved targets, in one transaction.
 */
export async function deleteFixtureData({ db, sourceIds, targetNames = [] }: { db: PgSession; sourceIds: string[]; targetNames?: string[] }): Promise<void> {
  await (db as PgDb).transaction(async (tx) => {
    if (sourceIds.length) {
      const ids = (await tx.select({ id: personas.id }).from(personas).where(inArray(personas.sourceId, sourceIds))).map((p) => p.id);
      const postIds = (await tx.select({ id: posts.id }).from(posts).where(inArray(posts.sourceId, sourceIds))).map((p) => p.id);
      if (ids.length) {
        await tx.delete(reviewDecisions).where(inArray(reviewDecisions.personaId, ids));
        await tx.delete(itemResponses).where(inArray(itemResponses.personaId, ids));
        await tx.delete(traitScores).where(inArray(traitScores.personaId, ids));
        await tx.delete(personaPosts).where(inArray(personaPosts.personaId, ids));
        // children (privacy rewrites) before their parents
        await tx.update(personas).set({ parentId: null }).where(inArray(personas.id, ids));
        await tx.delete(personas).where(inArray(personas.id, ids));
      }
      if (postIds.length) await tx.delete(personaPosts).where(inArray(personaPosts.postId, postIds));
      await tx.delete(posts).where(inArray(posts.sourceId, sourceIds));
      await tx.delete(authors).where(inArray(authors.sourceId, sourceIds));
      await tx.delete(sources).where(inArray(sources.id, sourceIds));
    }
    if (targetNames.length) await tx.delete(targets).where(inArray(targets.name, targetNames));
  });
}
