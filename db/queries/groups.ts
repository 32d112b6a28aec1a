/** Groups (target subpopulations), their retrieval candidates, their revisions and their alignment runs. */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../client';
import { groupDefinitionSchema, parseStored, type GroupDefinition } from '../json';
import { alignmentRuns, groups, meta, personas, type AlignmentRun, type Group, type NewPersona, type Persona } from '../schema';
import { preferredScoresOn } from './pool';
import { readRunJson } from './runs';

/** A group row with its definition parsed (db/json.ts: defaults filled in). */
function readGroup(row: Group): Group {
  return { ...row, definition: parseStored(groupDefinitionSchema, row.definition, { table: 'group', id: row.id, column: 'definition' }) };
}

export function listGroupRows({ db }: { db: Db }): Group[] {
  return db.select().from(groups).orderBy(groups.id).all().map(readGroup);
}

export function getGroupRow({ db, id }: { db: Db; id: number }): Group | undefined {
  const row = db.select().from(groups).where(eq(groups.id, id)).get();
  return row && readGroup(row);
}

export function getGroupRowByName({ db, name }: { db: Db; name: string }): Group | undefined {
  const row = db.select().from(groups).where(eq(groups.name, name)).get();
  return row && readGroup(row);
}

export function insertGroupRow({ db, name, definition }: { db: Db; name: string; definition: GroupDefinition }): Group {
  return readGroup(db.insert(groups).values({ name, definition }).returning().get());
}

/** Inserts the groups whose name is free (one transaction); returns how many were added. */
export function insertGroupsIfAbsent({ db, rows }: { db: Db | Tx; rows: { name: string; definition: GroupDefinition }[] }): number {
  if (rows.length === 0) return 0;
  return db.transaction((tx) => tx.insert(groups).values(rows).onConflictDoNothing().run().changes);
}

export function updateGroupRow({ db, id, name, definition }: { db: Db; id: number; name: string; definition: GroupDefinition }): Group | undefined {
  const row = db.update(groups).set({ name, definition }).where(eq(groups.id, id)).returning().get();
  return row && readGroup(row);
}

/** Deletes a group; its runs stay (their group link is cleared) in the same transaction. */
export function deleteGroupRow({ db, id }: { db: Db; id: number }): boolean {
  return db.transaction((tx) => {
    tx.update(alignmentRuns).set({ groupId: null }).where(eq(alignmentRuns.groupId, id)).run();
    return tx.delete(groups).where(eq(groups.id, id)).run().changes > 0;
  });
}

export function getMetaValue({ db, key }: { db: Db; key: string }): string | null {
  return db.select().from(meta).where(eq(meta.key, key)).get()?.value ?? null;
}

export function setMetaValue({ db, key, value }: { db: Db | Tx; key: string; value: string }): void {
  db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
}

export interface CandidateFilters {
  ageBands?: string[];
  genders?: string[];
  countries?: string[];
  occupationContains?: string;
  sources?: string[];
}

export interface CandidateRow {
  id: number;
  name: string | null;
  narrative: string;
  occupation: string;
  ageBand: string;
  gender: string;
  country: string;
  sourceId: string;
  status: Persona['status'];
  /** Instrument of the preferred trait scores, null when unmeasured. */
  instrumentId: string | null;
}

const inList = (column: SQL, values: readonly string[]) =>
  sql`${column} IN (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/**
 * Retrieval candidates: non-rejected personas that are not group revisions, after the demographic filters, in id
 * order, with the instrument of their preferred trait scores (null when unmeasured).
 */
export function listGroupCandidates({ db, filters }: { db: Db; filters: CandidateFilters }): CandidateRow[] {
  const parts: SQL[] = [sql`p.status <> 'rejected'`, sql`json_extract(p.metadata, '$.groupRevision') IS NULL`];
  if (filters.ageBands?.length) parts.push(inList(sql`p.age_band`, filters.ageBands));
  if (filters.genders?.length) parts.push(inList(sql`p.gender`, filters.genders));
  if (filters.countries?.length) parts.push(inList(sql`lower(p.country)`, filters.countries.map((c) => c.toLowerCase())));
  if (filters.sources?.length) parts.push(inList(sql`p.source_id`, filters.sources));
  if (filters.occupationContains) {
    const esc = filters.occupationContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    parts.push(sql`lower(p.occupation) LIKE ${`%${esc}%`} ESCAPE '\\'`);
  }
  return db.all<CandidateRow>(sql`
    SELECT p.id AS id, p.name AS name, p.narrative AS narrative, p.occupation AS occupation, p.age_band AS ageBand,
      p.gender AS gender, p.country AS country, p.source_id AS sourceId, p.status AS status, ts.instrument_id AS instrumentId
    FROM personas p LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}
    WHERE ${sql.join(parts, sql` AND `)}
    ORDER BY p.id`);
}

/** Revisions made for a group (newest last), with their parent's narrative. */
export function listGroupRevisionRows({ db, groupId }: { db: Db; groupId: number }) {
  return db.all<{
    id: number;
    parentId: number;
    name: string | null;
    narrative: string;
    parentNarrative: string;
    status: Persona['status'];
    metadata: string | null;
    instrumentId: string | null;
  }>(sql`
    SELECT p.id AS id, p.parent_id AS parentId, p.name AS name, p.narrative AS narrative, par.narrative AS parentNarrative,
      p.status AS status, p.metadata AS metadata, ts.instrument_id AS instrumentId
    FROM personas p JOIN personas par ON par.id = p.parent_id
    LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}
    WHERE json_extract(p.metadata, '$.groupRevision.groupId') = ${groupId}
    ORDER BY p.id`);
}

/** Inserts a revised persona (one row). */
export function insertRevisionRow({ db, persona }: { db: Db; persona: NewPersona }): Persona {
  return db.insert(personas).values(persona).returning().get();
}

export function countRevisionsOf({ db, parentId, groupId }: { db: Db; parentId: number; groupId: number }): number {
  return (
    db.get<{ n: number }>(sql`SELECT count(*) AS n FROM personas WHERE parent_id = ${parentId}
      AND json_extract(metadata, '$.groupRevision.groupId') = ${groupId}`)?.n ?? 0
  );
}

/** Trait scores of personas for one instrument. */
export function listScoresForInstrument({ db, ids, instrumentId }: { db: Db; ids: number[]; instrumentId: string }) {
  if (ids.length === 0) return [];
  return db.all<{ personaId: number; E: number; A: number; C: number; N: number; O: number }>(sql`
    SELECT persona_id AS personaId, E, A, C, N, O FROM trait_scores
    WHERE instrument_id = ${instrumentId} AND persona_id IN (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`);
}

/** Preferred trait scores (see preferredScoresOn) of personas, with their instrument. */
export function listPreferredScores({ db, ids }: { db: Db; ids: number[] }) {
  if (ids.length === 0) return [];
  return db.all<{ personaId: number; instrumentId: string; E: number; A: number; C: number; N: number; O: number; status: Persona['status'] }>(sql`
    SELECT p.id AS personaId, ts.instrument_id AS instrumentId, ts.E AS E, ts.A AS A, ts.C AS C, ts.N AS N, ts.O AS O, p.status AS status
    FROM personas p JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}
    WHERE p.id IN (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})
    ORDER BY p.id`);
}

/** Alignment runs of a group, newest first (without the large columns). */
export function listGroupRunRows({ db, groupId, limit = 20 }: { db: Db; groupId: number; limit?: number }) {
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
    .limit(limit)
    .all();
}

/** The latest finished run of a group. */
export function getLatestGroupRun({ db, groupId }: { db: Db; groupId: number }): AlignmentRun | undefined {
  const row = db
    .select()
    .from(alignmentRuns)
    .where(and(eq(alignmentRuns.groupId, groupId), eq(alignmentRuns.status, 'done')))
    .orderBy(desc(alignmentRuns.id))
    .limit(1)
    .get();
  return row && readRunJson(row);
}

/** Sources that hold personas (for the persona-side source filter). */
export function listPersonaSourceRows({ db }: { db: Db }) {
  return db.all<{ id: string; name: string }>(sql`SELECT DISTINCT s.id AS id, s.name AS name FROM sources s JOIN personas p ON p.source_id = s.id ORDER BY s.id`);
}

/** Demographics of the retrieval candidates (non-rejected personas that are not group revisions), in id order. */
export function listCandidateDemographics({ db }: { db: Db }) {
  return db.all<{ ageBand: string; gender: string; country: string; sourceId: string; occupation: string }>(sql`
    SELECT p.age_band AS ageBand, p.gender AS gender, p.country AS country, p.source_id AS sourceId, p.occupation AS occupation
    FROM personas p
    WHERE p.status <> 'rejected' AND json_extract(p.metadata, '$.groupRevision') IS NULL
    ORDER BY p.id`);
}
