/** Imported social media posts and their authors (stage 1 of the persona pipeline). */
import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { authors, posts, sources, type NewSource, type Post } from '../schema';

/** Creates the source row when it does not exist; returns whether it was created. */
export function ensureSource({ db, source }: { db: Db; source: NewSource }): boolean {
  return db.insert(sources).values(source).onConflictDoNothing().run().changes > 0;
}

export function getSource({ db, id }: { db: Db; id: string }) {
  return db.select().from(sources).where(eq(sources.id, id)).get();
}

export interface PostRowInput {
  authorExternalId: string;
  externalId: string;
  text: string;
  postedAt: string | null;
  metadata: Record<string, unknown> | null;
}

/**
 * Stores one batch of posts in one transaction: creates missing authors, skips posts whose external id is already
 * stored for the source (so importing the same file twice adds nothing). Returns the number inserted.
 */
export function insertPostsBatch({ db, sourceId, rows }: { db: Db; sourceId: string; rows: PostRowInput[] }): number {
  if (rows.length === 0) return 0;
  return db.transaction((tx) => {
    const externalAuthors = [...new Set(rows.map((r) => r.authorExternalId))];
    tx.insert(authors)
      .values(externalAuthors.map((externalId) => ({ sourceId, externalId })))
      .onConflictDoNothing()
      .run();
    const authorIds = new Map(
      tx
        .select({ id: authors.id, externalId: authors.externalId })
        .from(authors)
        .where(and(eq(authors.sourceId, sourceId), inArray(authors.externalId, externalAuthors)))
        .all()
        .map((a) => [a.externalId, a.id]),
    );
    const existing = new Set(
      tx
        .select({ externalId: posts.externalId })
        .from(posts)
        .where(and(eq(posts.sourceId, sourceId), inArray(posts.externalId, rows.map((r) => r.externalId))))
        .all()
        .map((p) => p.externalId),
    );
    const fresh = rows.filter((r) => !existing.has(r.externalId));
    for (let i = 0; i < fresh.length; i += 200) {
      tx.insert(posts)
        .values(
          fresh.slice(i, i + 200).map((r) => ({
            sourceId,
            authorId: authorIds.get(r.authorExternalId)!,
            externalId: r.externalId,
            text: r.text,
            postedAt: r.postedAt,
            metadata: r.metadata,
          })),
        )
        .run();
    }
    return fresh.length;
  });
}

/** Posts of a source not yet decided (kept is null), in id order. */
export function listUndecidedPosts({ db, sourceId }: { db: Db; sourceId: string }): Post[] {
  return db.select().from(posts).where(and(eq(posts.sourceId, sourceId), isNull(posts.kept))).orderBy(posts.id).all();
}

export function setPostsRejected({ db, rows }: { db: Db; rows: { id: number; reason: string }[] }): void {
  db.transaction((tx) => {
    for (const r of rows) tx.update(posts).set({ kept: false, filterReason: r.reason }).where(eq(posts.id, r.id)).run();
  });
}

export function setPostCleaned({ db, id, cleanedText }: { db: Db; id: number; cleanedText: string }): void {
  db.update(posts).set({ cleanedText }).where(eq(posts.id, id)).run();
}

export function setPostLabel({
  db,
  id,
  quality,
  harmful,
  kept,
  filterReason,
}: {
  db: Db;
  id: number;
  quality: 'high' | 'medium' | 'low';
  harmful: boolean;
  kept: boolean;
  filterReason: string | null;
}): void {
  db.update(posts).set({ quality, harmful, kept, filterReason }).where(eq(posts.id, id)).run();
}

/** Kept posts grouped by author, for authors with at least `minPosts` kept posts. */
export function listAuthorsWithKeptPosts({ db, sourceId, minPosts }: { db: Db; sourceId: string; minPosts: number }) {
  const rows = db
    .select({ id: posts.id, authorId: posts.authorId, text: posts.text, cleanedText: posts.cleanedText, externalId: authors.externalId })
    .from(posts)
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .where(and(eq(posts.sourceId, sourceId), eq(posts.kept, true)))
    .orderBy(posts.authorId, posts.id)
    .all();
  const by = new Map<number, { authorId: number; externalId: string; posts: { id: number; text: string }[] }>();
  for (const r of rows) {
    let a = by.get(r.authorId);
    if (!a) by.set(r.authorId, (a = { authorId: r.authorId, externalId: r.externalId, posts: [] }));
    a.posts.push({ id: r.id, text: r.cleanedText ?? r.text });
  }
  return [...by.values()].filter((a) => a.posts.length >= minPosts);
}

/** Per posts-source counts for the pipeline screen. */
export function listPostSources({ db }: { db: Db }) {
  return db
    .select({
      id: sources.id,
      name: sources.name,
      licence: sources.licence,
      posts: count(posts.id),
      authors: sql<number>`count(distinct ${posts.authorId})`,
      kept: sql<number>`sum(case when ${posts.kept} = 1 then 1 else 0 end)`,
      rejected: sql<number>`sum(case when ${posts.kept} = 0 then 1 else 0 end)`,
      undecided: sql<number>`sum(case when ${posts.kept} is null then 1 else 0 end)`,
    })
    .from(sources)
    .leftJoin(posts, eq(posts.sourceId, sources.id))
    .where(eq(sources.kind, 'posts'))
    .groupBy(sources.id)
    .orderBy(sources.id)
    .all()
    .map((r) => ({ ...r, kept: r.kept ?? 0, rejected: r.rejected ?? 0, undecided: r.undecided ?? 0 }));
}

/** How many posts of each filter reason a source has. */
export function countPostsByReason({ db, sourceId }: { db: Db; sourceId: string }) {
  return db
    .select({ reason: posts.filterReason, kept: posts.kept, n: count() })
    .from(posts)
    .where(eq(posts.sourceId, sourceId))
    .groupBy(posts.filterReason, posts.kept)
    .all();
}

/** Every post of a source with its decision state (for progress accounting), in id order. */
export function listPostStates({ db, sourceId }: { db: Db; sourceId: string }) {
  return db
    .select({ id: posts.id, authorId: posts.authorId, kept: posts.kept, filterReason: posts.filterReason })
    .from(posts)
    .where(eq(posts.sourceId, sourceId))
    .orderBy(posts.id)
    .all();
}
