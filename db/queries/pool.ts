/** The alignment pool: personas with trait scores that have not been rejected (rejection takes effect at once). */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import type { PersonaStatus } from '../schema';

/** Instruments in order of preference when a persona has scores from several (see listPoolPersonas). */
export const INSTRUMENT_PREFERENCE = ['ipip50', 'bfi44', 'mini-markers-40'] as const;

/**
 * SQL that picks one trait_scores row per persona: ipip50, then bfi44, then mini-markers-40, then any other
 * instrument by id. Use as `LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}`.
 */
export function preferredScoresOn(personaAlias: string, scoresAlias: string): SQL {
  const p = sql.raw(personaAlias);
  const t = sql.raw(scoresAlias);
  return sql`${t}.persona_id = ${p}.id AND ${t}.instrument_id = (
    SELECT t2.instrument_id FROM trait_scores t2 WHERE t2.persona_id = ${p}.id
    ORDER BY CASE t2.instrument_id WHEN 'ipip50' THEN 0 WHEN 'bfi44' THEN 1 WHEN 'mini-markers-40' THEN 2 ELSE 3 END,
      t2.instrument_id
    LIMIT 1)`;
}

export interface PoolPersona {
  id: number;
  E: number;
  A: number;
  C: number;
  N: number;
  O: number;
  sourceId: string;
  status: PersonaStatus;
}

/**
 * The pool the studio aligns: one row per persona that has trait scores and whose status is not 'rejected', and that
 * is not a group revision (a revision adapted to one group belongs to that group's set, not the global pool),
 * scores from the preferred instrument (ipip50, then bfi44, then mini-markers-40), on the common 1-5 scale.
 * Ordered by persona id.
 */
export function listPoolPersonas({ db }: { db: Db }): PoolPersona[] {
  return db.all<PoolPersona>(sql`
    SELECT p.id AS id, ts.E AS E, ts.A AS A, ts.C AS C, ts.N AS N, ts.O AS O, p.source_id AS sourceId, p.status AS status
    FROM personas p
    JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}
    WHERE p.status <> 'rejected' AND json_extract(p.metadata, '$.groupRevision') IS NULL
    ORDER BY p.id`);
}
