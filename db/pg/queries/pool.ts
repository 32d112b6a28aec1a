/**
 * The alignment pool on PostgreSQL: the twin of db/queries/pool.ts (same pool, order and rows; async). The preferred
 * instrument's tie-break among other instruments compares ids in byte order (COLLATE "C"), as SQLite's BINARY does.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PoolPersona } from '../../queries/pool';
import type { PgSession } from '../client';

export { INSTRUMENT_PREFERENCE, type PoolPersona } from '../../queries/pool';

/**
 * SQL that picks one trait_scores row per persona: ipip50, then bfi44, then mini-markers-40, then any other
 * instrument by id (preferredScoresOn of db/queries/pool.ts). Use as `LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}`.
 */
export function preferredScoresOn(personaAlias: string, scoresAlias: string): SQL {
  const p = sql.raw(personaAlias);
  const t = sql.raw(scoresAlias);
  return sql`${t}.persona_id = ${p}.id AND ${t}.instrument_id = (
    SELECT t2.instrument_id FROM trait_scores t2 WHERE t2.persona_id = ${p}.id
    ORDER BY CASE t2.instrument_id WHEN 'ipip50' THEN 0 WHEN 'bfi44' THEN 1 WHEN 'mini-markers-40' THEN 2 ELSE 3 END,
      t2.instrument_id COLLATE "C"
    LIMIT 1)`;
}

/**
 * The pool the studio aligns (listPoolPersonas of db/queries/pool.ts): personas with trait scores, not rejected and
 * not a group revision, scores from the preferred instrument, by persona id. metadata ->> 'groupRevision' is NULL
 * for a missing key and for a JSON null, as json_extract is on SQLite.
 */
export async function listPoolPersonas({ db }: { db: PgSession }): Promise<PoolPersona[]> {
  const r = await db.execute<PoolPersona & Record<string, unknown>>(sql`
    SELECT p.id AS "id", ts."E" AS "E", ts."A" AS "A", ts."C" AS "C", ts."N" AS "N", ts."O" AS "O", p.source_id AS "sourceId", p.status AS "status"
    FROM personas p
    JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}
    WHERE p.status <> 'rejected' AND (p.metadata ->> 'groupRevision') IS NULL
    ORDER BY p.id`);
  return r.rows;
}
