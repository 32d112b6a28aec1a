/** Persona demographics and how they were obtained: the personas to read, their values and origin, and the coverage by origin. */
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import type { Persona } from '../schema';

export interface PersonaDemographicsInput {
  id: number;
  narrative: string;
  age: number | null;
  ageBand: string;
  gender: string;
  country: string;
  occupation: string;
}

/** Personas whose demographics' origin was never recorded (written before it was), oldest first. */
export function listPersonasWithoutDemographicsOrigin({ db, limit }: { db: Db; limit: number }): PersonaDemographicsInput[] {
  return db.all<PersonaDemographicsInput>(sql`
    SELECT id, narrative, age, age_band AS ageBand, gender, country, occupation FROM personas
    WHERE demographics_origin IS NULL ORDER BY id LIMIT ${limit}`);
}

/**
 * Ids of the personas the LLM may read demographics for: some value not given by their source (or no recorded
 * origin), within a source and / or a list of ids when given; by id.
 */
export function listDemographicsCandidateIds({ db, sourceId, personaIds }: { db: Db; sourceId?: string; personaIds?: number[] }): number[] {
  const notGiven = sql.join(
    (['age', 'gender', 'country', 'occupation'] as const).map((f) => sql`json_extract(demographics_origin, ${`$.origin.${f}`}) IS NOT 'given'`),
    sql` OR `,
  );
  const where = [sql`(demographics_origin IS NULL OR ${notGiven})`];
  if (sourceId !== undefined) where.push(sql`source_id = ${sourceId}`);
  if (personaIds !== undefined) where.push(sql`id IN (SELECT value FROM json_each(${JSON.stringify(personaIds)}))`);
  return db.all<{ id: number }>(sql`SELECT id FROM personas WHERE ${sql.join(where, sql` AND `)} ORDER BY id`).map((r) => r.id);
}

/** What reading a persona's demographics needs: narrative, values and their recorded origin; by id. */
export function listPersonasForDemographics({ db, ids }: { db: Db; ids: number[] }): (PersonaDemographicsInput & { demographicsOrigin: Persona['demographicsOrigin'] })[] {
  return db
    .all<PersonaDemographicsInput & { demographicsOrigin: string | null }>(sql`
      SELECT id, narrative, age, age_band AS ageBand, gender, country, occupation, demographics_origin AS demographicsOrigin
      FROM personas WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)})) ORDER BY id`)
    .map((r) => ({ ...r, demographicsOrigin: r.demographicsOrigin === null ? null : (JSON.parse(r.demographicsOrigin) as Persona['demographicsOrigin']) }));
}

/** Writes demographics and their origin for many personas in one transaction. */
export function updatePersonaDemographics({
  db,
  rows,
}: {
  db: Db;
  rows: { id: number; age: number | null; ageBand: string; gender: string; country: string; occupation: string; demographicsOrigin: unknown }[];
}): void {
  db.transaction((tx) => {
    for (const r of rows) {
      tx.run(sql`UPDATE personas SET age = ${r.age}, age_band = ${r.ageBand}, gender = ${r.gender}, country = ${r.country},
        occupation = ${r.occupation}, demographics_origin = ${JSON.stringify(r.demographicsOrigin)} WHERE id = ${r.id}`);
    }
  });
}

/** Per demographic field, how many personas have a value given by their source, stated or inferred from the text, or none. */
export function demographicsCoverage({ db }: { db: Db }): Record<'age' | 'gender' | 'country' | 'occupation', Record<string, number>> {
  const out = { age: {}, gender: {}, country: {}, occupation: {} } as Record<'age' | 'gender' | 'country' | 'occupation', Record<string, number>>;
  for (const f of ['age', 'gender', 'country', 'occupation'] as const) {
    const rows = db.all<{ origin: string | null; n: number }>(sql`
      SELECT json_extract(demographics_origin, ${`$.origin.${f}`}) AS origin, count(*) AS n FROM personas GROUP BY 1`);
    for (const r of rows) out[f][r.origin ?? 'unrecorded'] = r.n;
  }
  return out;
}
