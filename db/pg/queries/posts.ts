/**
 * Imported social media posts and their authors on PostgreSQL: the twin of db/queries/posts.ts (same functions,
 * arguments and results, async, on a PgDb, PgTx or PgSession). Booleans are boolean columns (SQLite's 0/1 read back
 * as booleans there), counts and sums are cast to integer, and text keys are ordered in byte order (COLLATE "C",
 * SQLite's BINARY); groups come back in the order SQLite's GROUP BY gives them (by key, NULL first).
 */
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { PostRowInput } from '../../queries/posts';
import type { NewSource, Post, Source } from '../../schema';
import type { PgDb, PgSession } from '../client';
import { authors, posts, sources } from '../schema';

export type { PostRowInput };

/** Creates the source row when it does not exist; returns whether it was created. */
export async function ensureSource({ db, source }: { db: PgSession; source: NewSource }): Promise<boolean> {
  return (await db.insert(sources).values(source).onConflictDoNothing().returning({ id: sources.id })).length > 0;
}

export async function getSource({ db, id }: { db: PgSession; id: string }): Promise<Source | undefined> {
  const [row] = await db.select().from(sources).where(eq(sources.id, id)).limit(1);
  return row;
}

/**
 * Stores one batch of posts in one transaction: creates missing authors, skips posts whose external id is already
 * stored for the source (so importing the same file twice adds nothing). Returns the number inserted.
 */
export async function insertPostsBatch({ db, sourceId, rows }: { db: PgSession; sourceId: string; rows: PostRowInput[] }): Promise<number> {
  if (rows.length === 0) return 0;
  return (db as PgDb).transaction(async (tx) => {
    const externalAuthors = [...new Set(rows.map((r) => r.authorExternalId))];
    await tx
      .insert(authors)
      .values(externalAuthors.map((externalId) => ({ sourceId, externalId })))
      .onConflictDoNothing();
    const authorIds = new Map(
      (
        await tx
          .select({ id: authors.id, externalId: authors.externalId })
          .from(authors)
          .where(and(eq(authors.sourceId, sourceId), inArray(authors.externalId, externalAuthors)))
      ).map((a) => [a.externalId, a.id]),
    );
    const existing = new Set(
      (
        await tx
          .select({ externalId: posts.externalId })
          .from(posts)
          .where(and(eq(posts.sourceId, sourceId), inArray(posts.externalId, rows.map((r) => r.externalId))))
      ).map((p) => p.externalId),
    );
    const fresh = rows.filter((r) => !existing.has(r.externalId));
    for (let i = 0; i < fresh.length; i += 200) {
      await tx.insert(posts).values(
        fresh.slice(i, i + 200).map((r) => ({
          sourceId,
          authorId: authorIds.get(r.authorExternalId)!,
          externalId: r.externalId,
          text: r.text,
          postedAt: r.postedAt,
          metadata: r.metadata,
        })),
      );
    }
    return fresh.length;
  });
}

/** Posts of a source not yet decided (kept is null), in id order. */
export async function listUndecidedPosts({ db, sourceId }: { db: PgSession; sourceId: string }): Promise<Post[]> {
  return db.select().from(posts).where(and(eq(posts.sourceId, sourceId), isNull(posts.kept))).orderBy(posts.id);
}

export async function setPostsRejected({ db, rows }: { db: PgSession; rows: { id: number; reason: string }[] }): Promise<void> {
  await (db as PgDb).transaction(async (tx) => {
    for (const r of rows) await tx.update(posts).set({ kept: false, filterReason: r.reason }).where(eq(posts.id, r.id));
  });
}

export async function setPostCleaned({ db, id, cleanedText }: { db: PgSession; id: number; cleanedText: string }): Promise<void> {
  await db.update(posts).set({ cleanedText }).where(eq(posts.id, id));
}

export async function setPostLabel({
  db,
  id,
  quality,
  harmful,
  kept,
  filterReason,
}: {
  db: PgSession;
  id: number;
  quality: 'high' | 'medium' | 'low';
  harmful: boolean;
  kept: boolean;
  filterReason: string | null;
}): Promise<void> {
  await db.update(posts).set({ quality, harmful, kept, filterReason }).where(eq(posts.id, id));
}

/** Kept posts grouped by author, for authors with at least `minPosts` kept posts. */
export async function listAuthorsWithKeptPosts({ db, sourceId, minPosts }: { db: PgSession; sourceId: string; minPosts: number }) {
  const rows = await db
    .select({ id: posts.id, authorId: posts.authorId, text: posts.text, cleanedText: posts.cleanedText, externalId: authors.externalId })
    .from(posts)
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .where(and(eq(posts.sourceId, sourceId), eq(posts.kept, true)))
    .orderBy(posts.authorId, posts.id);
  const by = new Map<number, { authorId: number; externalId: string; posts: { id: number; text: string }[] }>();
  for (const r of rows) {
    let a = by.get(r.authorId);
    if (!a) by.set(r.authorId, (a = { authorId: r.authorId, externalId: r.externalId, posts: [] }));
    a.posts.push({ id: r.id, text: r.cleanedText ?? r.text });
  }
  return [...by.values()].filter((a) => a.posts.length >= minPosts);
}

/** Per posts-source counts for the pipeline screen. */
export async function listPostSources({ db }: { db: PgSession }) {
  const rows = await db
    .select({
      id: sources.id,
      name: sources.name,
      licence: sources.licence,
      posts: count(posts.id),
      authors: sql<number>`count(distinct ${posts.authorId})::integer`,
      kept: sql<number | null>`sum(case when ${posts.kept} = true then 1 else 0 end)::integer`,
      rejected: sql<number | null>`sum(case when ${posts.kept} = false then 1 else 0 end)::integer`,
      undecided: sql<number | null>`sum(case when ${posts.kept} is null then 1 else 0 end)::integer`,
    })
    .from(sources)
    .leftJoin(posts, eq(posts.sourceId, sources.id))
    .where(eq(sources.kind, 'posts'))
    .groupBy(sources.id)
    .orderBy(sql`${sources.id} COLLATE "C"`);
  return rows.map((r) => ({ ...r, kept: r.kept ?? 0, rejected: r.rejected ?? 0, undecided: r.undecided ?? 0 }));
}

/** How many posts of each filter reason a source has (by reason in byte order, then kept; NULL first). */
export async function countPostsByReason({ db, sourceId }: { db: PgSession; sourceId: string }) {
  return db
    .select({ reason: posts.filterReason, kept: posts.kept, n: count() })
    .from(posts)
    .where(eq(posts.sourceId, sourceId))
    .groupBy(posts.filterReason, posts.kept)
    .orderBy(sql`${posts.filterReason} COLLATE "C" NULLS FIRST`, sql`${posts.kept} NULLS FIRST`);
}

/** Every post of a source with its decision state (for progress accounting), in id order. */
export async function listPostStates({ db, sourceId }: { db: PgSession; sourceId: string }) {
  return db
    .select({ id: posts.id, authorId: posts.authorId, kept: posts.kept, filterReason: posts.filterReason })
    .from(posts)
    .where(eq(posts.sourceId, sourceId))
    .orderBy(asc(posts.id));
}
