/**
 * Persona demographics and how they were obtained on PostgreSQL: the twin of db/queries/personaDemographics.ts (same
 * functions, arguments and results; async). demographics_origin is jsonb: `#>>` reads a path as text (json_extract),
 * NULL for a missing key or a JSON null; a written origin is stored as the same JSON (a null origin is a JSON null, as
 * SQLite stores the text 'null').
 */
import { sql } from 'drizzle-orm';
import type { PersonaDemographicsInput, updatePersonaDemographics as updatePersonaDemographicsSqlite } from '../../queries/personaDemographics';
import type { Persona } from '../../schema';
import type { PgDb, PgSession } from '../client';

export type { PersonaDemographicsInput };

const FIELDS = ['age', 'gender', 'country', 'occupation'] as const;

/** demographics_origin -> origin -> field, as text. */
const originOf = (field: (typeof FIELDS)[number]) => sql`(demographics_origin #>> ${`{origin,${field}}`}::text[])`;

/** The ids as a set to match: id IN (...) over a JSON array parameter (json_each on SQLite). */
const idsIn = (ids: number[]) => sql`id IN (SELECT value::integer FROM jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/** Personas whose demographics' origin was never recorded (written before it was), oldest first. */
export async function listPersonasWithoutDemographicsOrigin({ db, limit }: { db: PgSession; limit: number }): Promise<PersonaDemographicsInput[]> {
  const r = await db.execute<PersonaDemographicsInput & Record<string, unknown>>(sql`
    SELECT id AS "id", narrative AS "narrative", age AS "age", age_band AS "ageBand", gender AS "gender", country AS "country",
      occupation AS "occupation"
    FROM personas WHERE demographics_origin IS NULL ORDER BY id LIMIT ${limit}::bigint`);
  return r.rows;
}

/**
 * Ids of the personas the LLM may read demographics for: some value not given by their source (or no recorded
 * origin), within a source and / or a list of ids when given; by id.
 */
export async function listDemographicsCandidateIds({ db, sourceId, personaIds }: { db: PgSession; sourceId?: string; personaIds?: number[] }): Promise<number[]> {
  const notGiven = sql.join(
    FIELDS.map((f) => sql`${originOf(f)} IS DISTINCT FROM 'given'`),
    sql` OR `,
  );
  const where = [sql`(demographics_origin IS NULL OR ${notGiven})`];
  if (sourceId !== undefined) where.push(sql`source_id = ${sourceId}`);
  if (personaIds !== undefined) where.push(idsIn(personaIds));
  const r = await db.execute<{ id: number }>(sql`SELECT id AS "id" FROM personas WHERE ${sql.join(where, sql` AND `)} ORDER BY id`);
  return r.rows.map((row) => row.id);
}

/** What reading a persona's demographics needs: narrative, values and their recorded origin; by id. */
export async function listPersonasForDemographics({
  db,
  ids,
}: {
  db: PgSession;
  ids: number[];
}): Promise<(PersonaDemographicsInput & { demographicsOrigin: Persona['demographicsOrigin'] })[]> {
  const r = await db.execute<PersonaDemographicsInput & { demographicsOrigin: Persona['demographicsOrigin'] } & Record<string, unknown>>(sql`
    SELECT id AS "id", narrative AS "narrative", age AS "age", age_band AS "ageBand", gender AS "gender", country AS "country",
      occupation AS "occupation", demographics_origin AS "demographicsOrigin"
    FROM personas WHERE ${idsIn(ids)} ORDER BY id`);
  return r.rows;
}

/** Writes demographics and their origin for many personas in one transaction (a savepoint inside one). */
export async function updatePersonaDemographics({
  db,
  rows,
}: { db: PgSession } & Omit<Parameters<typeof updatePersonaDemographicsSqlite>[0], 'db'>): Promise<void> {
  await (db as PgDb).transaction(async (tx) => {
    for (const r of rows) {
      // JSON.stringify(undefined) is undefined: bound as NULL, as on SQLite
      await tx.execute(sql`UPDATE personas SET age = ${r.age}, age_band = ${r.ageBand}, gender = ${r.gender}, country = ${r.country},
        occupation = ${r.occupation}, demographics_origin = ${JSON.stringify(r.demographicsOrigin) ?? null}::jsonb WHERE id = ${r.id}`);
    }
  });
}

/** Per demographic field, how many personas have a value given by their source, stated or inferred from the text, or none. */
export async function demographicsCoverage({ db }: { db: PgSession }): Promise<Record<'age' | 'gender' | 'country' | 'occupation', Record<string, number>>> {
  const out = { age: {}, gender: {}, country: {}, occupation: {} } as Record<'age' | 'gender' | 'country' | 'occupation', Record<string, number>>;
  for (const f of FIELDS) {
    const rows = await db.execute<{ origin: string | null; n: number }>(sql`
      SELECT ${originOf(f)} AS "origin", count(*)::integer AS "n" FROM personas GROUP BY 1`);
    for (const r of rows.rows) out[f][r.origin ?? 'unrecorded'] = r.n;
  }
  return out;
}
