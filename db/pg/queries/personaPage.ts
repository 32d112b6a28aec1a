/**
 * The parts of the persona page on PostgreSQL: the twin of db/queries/personaPage.ts (same functions, arguments, rows
 * and order; async). What differs:
 * - the JSON columns are jsonb, read back parsed; trait_scores.spread, which SQLite hands back as its stored text, is
 *   returned as JSON text again (JSON.stringify of the jsonb value: the same JSON, but jsonb keeps object keys in its
 *   own order, shorter keys first, so the text may list them in another order than the one written);
 * - text is ordered in byte order (COLLATE "C", SQLite's BINARY) and NULLs first where SQLite sorts them (ascending);
 * - counts and sums are cast to integer (bigint comes back as a string); posts.kept is a boolean, read as 0 / 1;
 * - the JSON arrays of an alignment run are read with jsonb_array_elements_text ... WITH ORDINALITY (json_each).
 */
import { sql } from 'drizzle-orm';
import type {
  countReferenceBelow as countReferenceBelowSqlite,
  getDefaultReference as getDefaultReferenceSqlite,
  getPersonaSummaries as getPersonaSummariesSqlite,
  listItemAnswers as listItemAnswersSqlite,
  listPersonaPosts as listPersonaPostsSqlite,
  listPersonaRuns as listPersonaRunsSqlite,
  listTraitScores as listTraitScoresSqlite,
  PersonaRow,
} from '../../queries/personaPage';
import type { PgSession } from '../client';
import { inList } from './personaFilter';

export type { PersonaRow };

type Rows<F extends (...args: never[]) => unknown> = ReturnType<F> extends (infer R)[] ? R : never;

async function all<T>(db: PgSession, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute<T & Record<string, unknown>>(query)).rows as T[];
}

export async function getPersonaById({ db, id }: { db: PgSession; id: number }): Promise<PersonaRow | null> {
  const [r] = await all<PersonaRow>(
    db,
    sql`
    SELECT p.id AS "id", p.source_id AS "sourceId", s.name AS "sourceName", s.licence AS "sourceLicence", p.external_id AS "externalId",
      p.author_id AS "authorId", p.parent_id AS "parentId", p.name AS "name", p.narrative AS "narrative", p.age AS "age",
      p.age_band AS "ageBand", p.gender AS "gender", p.country AS "country", p.occupation AS "occupation", p.model AS "model",
      p.prompt_version AS "promptVersion", p.status AS "status", p.quality_scores AS "qualityScores", p.flags AS "flags",
      p.duplicate_of_id AS "duplicateOfId", p.min_critic_score AS "minCriticScore", p.metadata AS "metadata",
      p.demographics_origin AS "demographicsOrigin", p.created_at AS "createdAt", p.updated_at AS "updatedAt"
    FROM personas p JOIN sources s ON s.id = p.source_id WHERE p.id = ${id}`,
  );
  if (!r) return null;
  return { ...r, flags: r.flags ?? [] };
}

/** Short summaries of several personas (names for links: twins, revisions). */
export async function getPersonaSummaries({ db, ids }: { db: PgSession; ids: number[] }): Promise<ReturnType<typeof getPersonaSummariesSqlite>> {
  if (ids.length === 0) return [];
  return all(
    db,
    sql`
    SELECT id AS "id", name AS "name", status AS "status", source_id AS "sourceId", parent_id AS "parentId", narrative AS "narrative",
      created_at AS "createdAt"
    FROM personas WHERE ${inList(sql`id`, ids)} ORDER BY id`,
  );
}

/** Ids of the personas that duplicate this one (their duplicate_of_id points here). */
export async function listDuplicateIds({ db, id, limit = 50 }: { db: PgSession; id: number; limit?: number }): Promise<number[]> {
  const rows = await all<{ id: number }>(db, sql`SELECT id AS "id" FROM personas WHERE duplicate_of_id = ${id} ORDER BY id LIMIT ${limit}::bigint`);
  return rows.map((r) => r.id);
}

/** The posts a mined persona was grounded in. */
export async function listPersonaPosts({ db, personaId }: { db: PgSession; personaId: number }): Promise<ReturnType<typeof listPersonaPostsSqlite>> {
  return all(
    db,
    sql`
    SELECT po.id AS "id", po.text AS "text", po.cleaned_text AS "cleanedText", po.posted_at AS "postedAt", po.quality AS "quality",
      po.kept::integer AS "kept", po.source_id AS "sourceId"
    FROM persona_posts pp JOIN posts po ON po.id = pp.post_id WHERE pp.persona_id = ${personaId}
    ORDER BY po.posted_at COLLATE "C" NULLS FIRST, po.id`,
  );
}

/** Trait scores of a persona, one row per instrument (other instruments after the three known ones, by id). */
export async function listTraitScores({ db, personaId }: { db: PgSession; personaId: number }): Promise<ReturnType<typeof listTraitScoresSqlite>> {
  const rows = await all<Omit<Rows<typeof listTraitScoresSqlite>, 'spread'> & { spread: unknown }>(
    db,
    sql`
    SELECT ts.instrument_id AS "instrumentId", coalesce(i.name, ts.instrument_id) AS "instrumentName",
      ts."E" AS "E", ts."A" AS "A", ts."C" AS "C", ts."N" AS "N", ts."O" AS "O", ts.spread AS "spread"
    FROM trait_scores ts LEFT JOIN instruments i ON i.id = ts.instrument_id
    WHERE ts.persona_id = ${personaId}
    ORDER BY CASE ts.instrument_id WHEN 'ipip50' THEN 0 WHEN 'bfi44' THEN 1 WHEN 'mini-markers-40' THEN 2 ELSE 3 END,
      ts.instrument_id COLLATE "C"`,
  );
  return rows.map((r) => ({ ...r, spread: r.spread === null ? null : JSON.stringify(r.spread) }));
}

/** Item answers of a persona with the item text and key. */
export async function listItemAnswers({ db, personaId }: { db: PgSession; personaId: number }): Promise<ReturnType<typeof listItemAnswersSqlite>> {
  return all(
    db,
    sql`
    SELECT r.instrument_id AS "instrumentId", r.item_id AS "itemId", it.position AS "position", it.trait AS "trait", it.keyed AS "keyed",
      it.text AS "text", r.value AS "value", r.model AS "model", r.temperature AS "temperature", r.repetition AS "repetition",
      i.scale_min AS "scaleMin", i.scale_max AS "scaleMax"
    FROM item_responses r
    LEFT JOIN instrument_items it ON it.instrument_id = r.instrument_id AND it.item_id = r.item_id
    LEFT JOIN instruments i ON i.id = r.instrument_id
    WHERE r.persona_id = ${personaId}
    ORDER BY r.instrument_id COLLATE "C", it.position NULLS FIRST, r.item_id COLLATE "C", r.repetition`,
  );
}

/** The default reference sample (the first one stored, by id) with its size. */
export async function getDefaultReference({ db }: { db: PgSession }): Promise<ReturnType<typeof getDefaultReferenceSqlite> | null> {
  const [r] = await all<ReturnType<typeof getDefaultReferenceSqlite>>(
    db,
    sql`
      SELECT rs.id AS "id", rs.name AS "name", rs.instrument_id AS "instrumentId",
        (SELECT count(*) FROM reference_respondents r WHERE r.reference_set_id = rs.id)::integer AS "n"
      FROM reference_sets rs ORDER BY rs.id COLLATE "C" LIMIT 1`,
  );
  return r ?? null;
}

/**
 * For each trait: how many reference respondents score below and exactly at the given value (the sums are NULL for
 * an empty sample, as SQLite's sum() is).
 */
export async function countReferenceBelow({
  db,
  referenceSetId,
  scores,
}: {
  db: PgSession;
  referenceSetId: string;
  scores: Record<'E' | 'A' | 'C' | 'N' | 'O', number>;
}): Promise<ReturnType<typeof countReferenceBelowSqlite>> {
  const parts = (['E', 'A', 'C', 'N', 'O'] as const).map((t) => {
    const col = sql.raw(`"${t}"`);
    const v = sql`${scores[t]}::double precision`;
    return sql`sum((${col} < ${v})::integer)::integer AS ${sql.raw(`"${t}_below"`)}, sum((${col} = ${v})::integer)::integer AS ${sql.raw(`"${t}_equal"`)}`;
  });
  const [r] = await all<Record<string, number>>(
    db,
    sql`SELECT count(*)::integer AS "n", ${sql.join(parts, sql`, `)} FROM reference_respondents WHERE reference_set_id = ${referenceSetId}`,
  );
  return r ?? { n: 0 };
}

/** The persona's place in recent alignment runs: its weight and whether it was selected. */
export async function listPersonaRuns({ db, personaId, limit = 10 }: { db: PgSession; personaId: number; limit?: number }): Promise<ReturnType<typeof listPersonaRunsSqlite>> {
  return all(
    db,
    sql`
      SELECT r.id AS "id", r.name AS "name", r.status AS "status", r.created_at AS "createdAt",
        coalesce(jsonb_array_length(r.persona_ids), 0) AS "poolSize",
        (SELECT (r.weights ->> (pid.k - 1)::integer)::double precision
          FROM jsonb_array_elements_text(r.persona_ids) WITH ORDINALITY pid(value, k)
          WHERE pid.value::integer = ${personaId} ORDER BY pid.k LIMIT 1) AS "weight",
        EXISTS (SELECT 1 FROM jsonb_array_elements_text(r.selection) s(value) WHERE s.value::integer = ${personaId}) AS "selected",
        EXISTS (SELECT 1 FROM jsonb_array_elements_text(r.persona_ids) pid(value) WHERE pid.value::integer = ${personaId}) AS "inPool"
      FROM alignment_runs r ORDER BY r.id DESC LIMIT ${limit}::bigint`,
  );
}

/** The parent chain of a persona, nearest first (at most 50 steps; stops at a cycle). */
export async function listAncestorIds({ db, id }: { db: PgSession; id: number }): Promise<number[]> {
  const rows = await all<{ id: number }>(
    db,
    sql`
      WITH RECURSIVE chain(id, parent_id, depth) AS (
        SELECT id, parent_id, 0 FROM personas WHERE id = ${id}
        UNION
        SELECT p.id, p.parent_id, c.depth + 1 FROM personas p JOIN chain c ON p.id = c.parent_id WHERE c.depth < 50
      )
      SELECT id AS "id" FROM chain WHERE depth > 0 ORDER BY depth`,
  );
  return rows.map((r) => r.id);
}

/** Every revision derived from a persona (children, their children, ...), oldest first (at most 200). */
export async function listDescendantIds({ db, id }: { db: PgSession; id: number }): Promise<number[]> {
  const rows = await all<{ id: number }>(
    db,
    sql`
      WITH RECURSIVE tree(id, depth) AS (
        SELECT id, 0 FROM personas WHERE id = ${id}
        UNION
        SELECT p.id, t.depth + 1 FROM personas p JOIN tree t ON p.parent_id = t.id WHERE t.depth < 50
      )
      SELECT id AS "id" FROM tree WHERE depth > 0 ORDER BY depth, id LIMIT 200`,
  );
  return rows.map((r) => r.id);
}
