/**
 * Full-text search over personas on PostgreSQL: the generated `search` column (name weighted A, narrative and
 * occupation B; migration 0001_search_triggers) matched with websearch_to_tsquery('english', ...), so a query reads
 * like a search box: words (all must occur, stemmed), "quoted phrases", `or`, and -excluded words.
 */
import { asc, desc, sql } from 'drizzle-orm';
import type { PgSession } from './client';
import { personas } from './schema';

/**
 * ts_rank's weights for {D, C, B, A}: a match in the name (A) counts twice one in the narrative or occupation (B), as
 * bm25(personas_fts, 1.0, 2.0, 1.0) weighs them on SQLite.
 */
export const RANK_WEIGHTS = '{0.1, 0.2, 0.5, 1.0}';

export interface PersonaSearchHit {
  id: number;
  name: string | null;
  occupation: string;
  /** ts_rank of the persona for the query (higher is better). */
  rank: number;
}

/** Personas matching a search, best first (ts_rank, then id), at most `limit`; none for a query without words. */
export async function searchPersonasPg(db: PgSession, query: string, limit = 50): Promise<PersonaSearchHit[]> {
  const q = query.trim();
  if (!q || limit <= 0) return [];
  const tsquery = sql`websearch_to_tsquery('english', ${q})`;
  const rank = sql<number>`ts_rank(${RANK_WEIGHTS}::real[], ${personas}."search", ${tsquery})`.mapWith(Number);
  return db
    .select({ id: personas.id, name: personas.name, occupation: personas.occupation, rank })
    .from(personas)
    .where(sql`${personas}."search" @@ ${tsquery}`)
    .orderBy(desc(rank), asc(personas.id))
    .limit(Math.floor(limit));
}
