/**
 * Reference respondents, saved targets and norms on PostgreSQL: the twin of db/queries/targets.ts (same functions,
 * arguments and results, async). What differs from the SQLite text:
 * - text order (targets by name, norm groups and scales) is byte order (COLLATE "C"), as SQLite's BINARY collation;
 * - countRespondentsByCountry breaks ties of its count by country, descending byte order: SQLite's SQL leaves ties
 *   unordered, and that is the order its plan (groups read from the country index, then sorted by count) returns
 *   them in; listNormRows, which has no ORDER BY on SQLite, returns its rows in the order of the unique index
 *   norms_unique that SQLite reads them through (group type, group, scale; byte order);
 * - saveTarget is the same upsert (INSERT ... ON CONFLICT (name) DO UPDATE); a replace uses up an id on both sides
 *   (SQLite's AUTOINCREMENT counts the row the upsert turned into an update), so the next target's id agrees.
 */
import { and, asc, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { parseStored, storedTargetFiltersSchema, traitEditsSchema, type StoredTargetFilters, type TraitEdits } from '../../json';
import type * as sqlite from '../../queries/targets';
import type { RespondentFilters } from '../../queries/targets';
import type { Target } from '../../schema';
import type { PgSession } from '../client';
import { norms, referenceRespondents, referenceSets, targets } from '../schema';
import { ISO_NOW } from './review';

export type { RespondentFilters };

function where(referenceSetId: string, f: RespondentFilters): SQL | undefined {
  const parts: (SQL | undefined)[] = [eq(referenceRespondents.referenceSetId, referenceSetId)];
  if (f.countries && f.countries.length) parts.push(inArray(referenceRespondents.country, f.countries));
  if (f.genders && f.genders.length) parts.push(inArray(referenceRespondents.gender, f.genders));
  if (f.ageMin !== undefined) parts.push(gte(referenceRespondents.age, f.ageMin));
  if (f.ageMax !== undefined) parts.push(lte(referenceRespondents.age, f.ageMax));
  return and(...parts);
}

const byteOrder = (column: { name: string } & object) => sql`${column} COLLATE "C"`;

/** Trait scores (1-5) of the respondents that match the filters, in row order. */
export async function listReferenceTraits({
  db,
  referenceSetId,
  filters,
}: {
  db: PgSession;
  referenceSetId: string;
  filters: RespondentFilters;
}): Promise<ReturnType<typeof sqlite.listReferenceTraits>> {
  return db
    .select({
      id: referenceRespondents.id,
      E: referenceRespondents.E,
      A: referenceRespondents.A,
      C: referenceRespondents.C,
      N: referenceRespondents.N,
      O: referenceRespondents.O,
    })
    .from(referenceRespondents)
    .where(where(referenceSetId, filters))
    .orderBy(asc(referenceRespondents.row));
}

export async function countReferenceRespondents({ db, referenceSetId, filters }: { db: PgSession; referenceSetId: string; filters: RespondentFilters }): Promise<number> {
  const [row] = await db.select({ n: count() }).from(referenceRespondents).where(where(referenceSetId, filters));
  return row?.n ?? 0;
}

/** Respondents per country (for pickers), largest first, ties by country in descending byte order (as SQLite returns them). */
export async function countRespondentsByCountry({ db, referenceSetId }: { db: PgSession; referenceSetId: string }): Promise<ReturnType<typeof sqlite.countRespondentsByCountry>> {
  return db
    .select({ country: referenceRespondents.country, n: count() })
    .from(referenceRespondents)
    .where(eq(referenceRespondents.referenceSetId, referenceSetId))
    .groupBy(referenceRespondents.country)
    .orderBy(desc(count()), desc(byteOrder(referenceRespondents.country)));
}

export async function getReferenceSet({ db, id }: { db: PgSession; id: string }): Promise<ReturnType<typeof sqlite.getReferenceSet>> {
  const [row] = await db.select().from(referenceSets).where(eq(referenceSets.id, id)).limit(1);
  return row;
}

/** Norm rows of one table and group (e.g. johnson-ipip-neo-120, "Female 21-40"), by group type and scale (byte order). */
export async function listNormRows({ db, table, group }: { db: PgSession; table: string; group: string }): Promise<ReturnType<typeof sqlite.listNormRows>> {
  return db
    .select()
    .from(norms)
    .where(and(eq(norms.table, table), eq(norms.group, group)))
    .orderBy(byteOrder(norms.groupType), byteOrder(norms.scale));
}

export async function listNormGroups({ db, table }: { db: PgSession; table: string }): Promise<ReturnType<typeof sqlite.listNormGroups>> {
  // DISTINCT wants its ORDER BY in the select list: group by the name instead
  return db.select({ group: norms.group }).from(norms).where(eq(norms.table, table)).groupBy(norms.group).orderBy(byteOrder(norms.group));
}

/** A saved target with its filters and edits parsed (db/json.ts). */
function readTarget(row: Target): Target {
  const at = (column: string) => ({ table: 'target', id: row.id, column });
  return { ...row, filters: parseStored(storedTargetFiltersSchema, row.filters, at('filters')), edits: parseStored(traitEditsSchema, row.edits, at('edits')) };
}

/** Saves (or replaces) a named target. */
export async function saveTarget({
  db,
  name,
  referenceSetId,
  filters,
  edits,
}: {
  db: PgSession;
  name: string;
  referenceSetId: string;
  filters: StoredTargetFilters;
  edits: TraitEdits;
}): Promise<Target> {
  const [row] = await db
    .insert(targets)
    .values({ name, referenceSetId, filters, edits })
    .onConflictDoUpdate({ target: targets.name, set: { referenceSetId, filters, edits, updatedAt: ISO_NOW } })
    .returning();
  return readTarget(row!);
}

export async function listTargets({ db }: { db: PgSession }): Promise<Target[]> {
  return (await db.select().from(targets).orderBy(byteOrder(targets.name))).map(readTarget);
}

export async function getTargetByName({ db, name }: { db: PgSession; name: string }): Promise<Target | undefined> {
  const [row] = await db.select().from(targets).where(eq(targets.name, name)).limit(1);
  return row && readTarget(row);
}

export async function getTargetById({ db, id }: { db: PgSession; id: number }): Promise<Target | undefined> {
  const [row] = await db.select().from(targets).where(eq(targets.id, id)).limit(1);
  return row && readTarget(row);
}

/** Every respondent of a reference set with country, age, gender and trait scores (1-5), in row order (the group builder's data). */
export async function listReferenceDemographics({ db, referenceSetId }: { db: PgSession; referenceSetId: string }): Promise<ReturnType<typeof sqlite.listReferenceDemographics>> {
  return db
    .select({
      country: referenceRespondents.country,
      age: referenceRespondents.age,
      gender: referenceRespondents.gender,
      E: referenceRespondents.E,
      A: referenceRespondents.A,
      C: referenceRespondents.C,
      N: referenceRespondents.N,
      O: referenceRespondents.O,
    })
    .from(referenceRespondents)
    .where(eq(referenceRespondents.referenceSetId, referenceSetId))
    .orderBy(asc(referenceRespondents.row));
}

/** Every row of one norms table (e.g. mccrae-terracciano-2005), by group and scale (byte order). */
export async function listNormTable({ db, table }: { db: PgSession; table: string }): Promise<ReturnType<typeof sqlite.listNormTable>> {
  return db.select().from(norms).where(eq(norms.table, table)).orderBy(byteOrder(norms.group), byteOrder(norms.scale), asc(norms.id));
}
