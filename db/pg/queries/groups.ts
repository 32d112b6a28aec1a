/**
 * Groups on PostgreSQL: the twin of db/queries/groups.ts (same functions, arguments and results, async, on a PgDb,
 * PgTx or connection). What differs from the SQLite text:
 * - personas.metadata is jsonb: "is not a group revision" is `metadata ->> 'groupRevision'` NULL (absent or JSON null,
 *   as SQLite's json_extract reads both), and a revision's group is `metadata #> '{groupRevision,groupId}'` compared as a
 *   JSON number (1 and 1.0 match, the string "1" does not, as on SQLite). listGroupRevisionRows returns metadata as
 *   JSON text like SQLite, but in jsonb's text form (`{"a": 1}`: spaces, keys in jsonb order): parse it, do not
 *   compare the text;
 * - lower() lower-cases every letter where SQLite's lower() changes ASCII letters only, so the occupation and
 *   country filters also match non-ASCII letters in another case;
 * - counts are cast to integer (count is a bigint on PostgreSQL, read back as a string); the trait columns E, A, C,
 *   N, O are upper case, so quoted; aliases are quoted to keep their case;
 * - text order (sources by id, and the instrument tie-break of the pg preferredScoresOn, ./pool.ts) is byte order
 *   (COLLATE "C"), as SQLite's BINARY collation sorts;
 * - rows SQLite returns without an ORDER BY in primary-key order (trait scores by persona) are ordered explicitly.
 * Ids run on without gaps, as SQLite AUTOINCREMENT keys do: a group is inserted only when its name is free (a taken
 * name throws, as the unique index does on SQLite), so a refused insert does not use up an identity value; the rows
 * insertGroupsIfAbsent skips do use theirs, as on SQLite.
 */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { groupDefinitionSchema, parseStored, type GroupDefinition } from '../../json';
import type * as sqlite from '../../queries/groups';
import type { CandidateFilters, CandidateRow } from '../../queries/groups';
import { inList } from '../../queries/personaFilter';
import { preferredScoresOn } from './pool';
import type { AlignmentRun, Group, NewPersona, Persona } from '../../schema';
import type { PgDb, PgSession, PgTx } from '../client';
import { alignmentRuns, groups, meta, personas } from '../schema';
import { readRunJson } from './runs';

export type { CandidateFilters, CandidateRow };

/** Where a write that runs a transaction may run: the pool's database or a transaction (SQLite: Db | Tx). */
type PgRunner = PgDb | PgTx;

/** A group row with its definition parsed (db/json.ts: defaults filled in). */
function readGroup(row: Group): Group {
  return { ...row, definition: parseStored(groupDefinitionSchema, row.definition, { table: 'group', id: row.id, column: 'definition' }) };
}

/** The error a taken group name raises: SQLite's message, PostgreSQL's unique_violation code. */
function duplicateName(): Error {
  return Object.assign(new Error('UNIQUE constraint failed: groups.name'), { code: '23505' });
}

async function all<T>(db: PgSession, query: SQL): Promise<T[]> {
  return (await db.execute<T & Record<string, unknown>>(query)).rows as T[];
}

/** No persona-side group revision in metadata (json_extract(metadata, '$.groupRevision') IS NULL on SQLite). */
const NOT_REVISION = sql`(p.metadata ->> 'groupRevision') IS NULL`;

export async function listGroupRows({ db }: { db: PgSession }): Promise<Group[]> {
  return (await db.select().from(groups).orderBy(groups.id)).map(readGroup);
}

export async function getGroupRow({ db, id }: { db: PgSession; id: number }): Promise<Group | undefined> {
  const [row] = await db.select().from(groups).where(eq(groups.id, id)).limit(1);
  return row && readGroup(row);
}

export async function getGroupRowByName({ db, name }: { db: PgSession; name: string }): Promise<Group | undefined> {
  const [row] = await db.select().from(groups).where(eq(groups.name, name)).limit(1);
  return row && readGroup(row);
}

/** Inserts a group; a taken name throws (nothing written, no id used up). */
export async function insertGroupRow({ db, name, definition }: { db: PgSession; name: string; definition: GroupDefinition }): Promise<Group> {
  const [row] = await all<Group>(
    db,
    sql`INSERT INTO groups (name, definition) SELECT ${name}::text, ${JSON.stringify(definition)}::jsonb
      WHERE NOT EXISTS (SELECT 1 FROM groups WHERE name = ${name})
      RETURNING id AS "id", name AS "name", definition AS "definition", created_at AS "createdAt"`,
  );
  if (!row) throw duplicateName();
  return readGroup(row);
}

/**
 * Inserts the groups whose name is free (one transaction); returns how many were added. Every row of the batch takes
 * an id, a skipped one too (the first row of a name wins), as SQLite AUTOINCREMENT does for rows its ON CONFLICT DO
 * NOTHING skips: the ids of the added groups are the ones SQLite gives them.
 */
export async function insertGroupsIfAbsent({ db, rows }: { db: PgRunner; rows: { name: string; definition: GroupDefinition }[] }): Promise<number> {
  if (rows.length === 0) return 0;
  return (db as PgDb).transaction(async (tx) => (await tx.insert(groups).values(rows).onConflictDoNothing().returning({ id: groups.id })).length);
}

export async function updateGroupRow({ db, id, name, definition }: { db: PgSession; id: number; name: string; definition: GroupDefinition }): Promise<Group | undefined> {
  const [row] = await db.update(groups).set({ name, definition }).where(eq(groups.id, id)).returning();
  return row && readGroup(row);
}

/**
 * Deletes a group; its runs stay (their group link is cleared) in the same transaction. The group's row is locked
 * first (FOR UPDATE): a run being inserted for the group at the same moment (its foreign key holds a KEY SHARE lock
 * on the row) is waited for and then has its link cleared too, or waits for the delete and then fails on its foreign
 * key; the delete never fails on a run it could not see.
 */
export async function deleteGroupRow({ db, id }: { db: PgRunner; id: number }): Promise<boolean> {
  return (db as PgDb).transaction(async (tx) => {
    await tx.execute(sql`SELECT id FROM groups WHERE id = ${id} FOR UPDATE`);
    await tx.update(alignmentRuns).set({ groupId: null }).where(eq(alignmentRuns.groupId, id));
    return ((await tx.delete(groups).where(eq(groups.id, id))).rowCount ?? 0) > 0;
  });
}

export async function getMetaValue({ db, key }: { db: PgSession; key: string }): Promise<string | null> {
  const [row] = await db.select().from(meta).where(eq(meta.key, key)).limit(1);
  return row?.value ?? null;
}

export async function setMetaValue({ db, key, value }: { db: PgSession; key: string; value: string }): Promise<void> {
  await db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
}

/**
 * Retrieval candidates: non-rejected personas that are not group revisions, after the demographic filters, in id
 * order, with the instrument of their preferred trait scores (null when unmeasured).
 */
export async function listGroupCandidates({ db, filters }: { db: PgSession; filters: CandidateFilters }): Promise<CandidateRow[]> {
  const parts: SQL[] = [sql`p.status <> 'rejected'`, NOT_REVISION];
  if (filters.ageBands?.length) parts.push(inList(sql`p.age_band`, filters.ageBands));
  if (filters.genders?.length) parts.push(inList(sql`p.gender`, filters.genders));
  if (filters.countries?.length) parts.push(inList(sql`lower(p.country)`, filters.countries.map((c) => c.toLowerCase())));
  if (filters.sources?.length) parts.push(inList(sql`p.source_id`, filters.sources));
  if (filters.occupationContains) {
    const esc = filters.occupationContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    parts.push(sql`lower(p.occupation) LIKE ${`%${esc}%`} ESCAPE ${'\\'}`);
  }
  return all<CandidateRow>(
    db,
    sql`
    SELECT p.id AS "id", p.name AS "name", p.narrative AS "narrative", p.occupation AS "occupation", p.age_band AS "ageBand",
      p.gender AS "gender", p.country AS "country", p.source_id AS "sourceId", p.status AS "status", ts.instrument_id AS "instrumentId"
    FROM personas p LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}
    WHERE ${sql.join(parts, sql` AND `)}
    ORDER BY p.id`,
  );
}

/** Revisions made for a group (newest last), with their parent's narrative. */
export async function listGroupRevisionRows({ db, groupId }: { db: PgSession; groupId: number }): Promise<ReturnType<typeof sqlite.listGroupRevisionRows>> {
  return all(
    db,
    sql`
    SELECT p.id AS "id", p.parent_id AS "parentId", p.name AS "name", p.narrative AS "narrative", par.narrative AS "parentNarrative",
      p.status AS "status", p.metadata::text AS "metadata", ts.instrument_id AS "instrumentId"
    FROM personas p JOIN personas par ON par.id = p.parent_id
    LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}
    WHERE p.metadata #> '{groupRevision,groupId}' = to_jsonb(${groupId}::double precision)
    ORDER BY p.id`,
  );
}

/** Inserts a revised persona (one row). */
export async function insertRevisionRow({ db, persona }: { db: PgSession; persona: NewPersona }): Promise<Persona> {
  const [row] = await db.insert(personas).values(persona).returning();
  return row!;
}

export async function countRevisionsOf({ db, parentId, groupId }: { db: PgSession; parentId: number; groupId: number }): Promise<number> {
  const [row] = await all<{ n: number }>(
    db,
    sql`SELECT count(*)::integer AS "n" FROM personas WHERE parent_id = ${parentId}
      AND metadata #> '{groupRevision,groupId}' = to_jsonb(${groupId}::double precision)`,
  );
  return row?.n ?? 0;
}

const idList = (ids: number[]) =>
  sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );

/** Trait scores of personas for one instrument (by persona, the order of SQLite's primary key). */
export async function listScoresForInstrument({ db, ids, instrumentId }: { db: PgSession; ids: number[]; instrumentId: string }): Promise<ReturnType<typeof sqlite.listScoresForInstrument>> {
  if (ids.length === 0) return [];
  return all(
    db,
    sql`
    SELECT persona_id AS "personaId", "E", "A", "C", "N", "O" FROM trait_scores
    WHERE instrument_id = ${instrumentId} AND persona_id IN (${idList(ids)})
    ORDER BY persona_id`,
  );
}

/** Preferred trait scores (see preferredScoresOn) of personas, with their instrument. */
export async function listPreferredScores({ db, ids }: { db: PgSession; ids: number[] }): Promise<ReturnType<typeof sqlite.listPreferredScores>> {
  if (ids.length === 0) return [];
  return all(
    db,
    sql`
    SELECT p.id AS "personaId", ts.instrument_id AS "instrumentId", ts."E" AS "E", ts."A" AS "A", ts."C" AS "C", ts."N" AS "N", ts."O" AS "O", p.status AS "status"
    FROM personas p JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}
    WHERE p.id IN (${idList(ids)})
    ORDER BY p.id`,
  );
}

/** Alignment runs of a group, newest first (without the large columns). */
export async function listGroupRunRows({ db, groupId, limit = 20 }: { db: PgSession; groupId: number; limit?: number }): Promise<ReturnType<typeof sqlite.listGroupRunRows>> {
  return db
    .select({
      id: alignmentRuns.id,
      name: alignmentRuns.name,
      status: alignmentRuns.status,
      seed: alignmentRuns.seed,
      jobId: alignmentRuns.jobId,
      createdAt: alignmentRuns.createdAt,
    })
    .from(alignmentRuns)
    .where(eq(alignmentRuns.groupId, groupId))
    .orderBy(desc(alignmentRuns.id))
    .limit(limit);
}

/** The latest finished run of a group. */
export async function getLatestGroupRun({ db, groupId }: { db: PgSession; groupId: number }): Promise<AlignmentRun | undefined> {
  const [row] = await db
    .select()
    .from(alignmentRuns)
    .where(and(eq(alignmentRuns.groupId, groupId), eq(alignmentRuns.status, 'done')))
    .orderBy(desc(alignmentRuns.id))
    .limit(1);
  return row && readRunJson(row);
}

/** Sources that hold personas (for the persona-side source filter), by id (byte order). */
export async function listPersonaSourceRows({ db }: { db: PgSession }): Promise<ReturnType<typeof sqlite.listPersonaSourceRows>> {
  return all(
    db,
    sql`SELECT s.id AS "id", s.name AS "name" FROM sources s WHERE EXISTS (SELECT 1 FROM personas p WHERE p.source_id = s.id) ORDER BY s.id COLLATE "C"`,
  );
}

/** Demographics of the retrieval candidates (non-rejected personas that are not group revisions), in id order. */
export async function listCandidateDemographics({ db }: { db: PgSession }): Promise<ReturnType<typeof sqlite.listCandidateDemographics>> {
  return all(
    db,
    sql`
    SELECT p.age_band AS "ageBand", p.gender AS "gender", p.country AS "country", p.source_id AS "sourceId", p.occupation AS "occupation"
    FROM personas p
    WHERE p.status <> 'rejected' AND ${NOT_REVISION}
    ORDER BY p.id`,
  );
}
