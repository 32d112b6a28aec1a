/** Reference respondents for targets, saved targets, and the norms used by presets. */
import { and, asc, count, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { parseStored, storedTargetFiltersSchema, traitEditsSchema, type StoredTargetFilters, type TraitEdits } from '../json';
import { norms, referenceRespondents, referenceSets, targets, type Target } from '../schema';

export interface RespondentFilters {
  countries?: string[];
  ageMin?: number;
  ageMax?: number;
  genders?: ('female' | 'male' | 'other' | 'unknown')[];
}

function where(referenceSetId: string, f: RespondentFilters): SQL | undefined {
  const parts: (SQL | undefined)[] = [eq(referenceRespondents.referenceSetId, referenceSetId)];
  if (f.countries && f.countries.length) parts.push(inArray(referenceRespondents.country, f.countries));
  if (f.genders && f.genders.length) parts.push(inArray(referenceRespondents.gender, f.genders));
  if (f.ageMin !== undefined) parts.push(gte(referenceRespondents.age, f.ageMin));
  if (f.ageMax !== undefined) parts.push(lte(referenceRespondents.age, f.ageMax));
  return and(...parts);
}

/** Trait scores (1-5) of the respondents that match the filters, in row order. */
export function listReferenceTraits({ db, referenceSetId, filters }: { db: Db; referenceSetId: string; filters: RespondentFilters }) {
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
    .orderBy(asc(referenceRespondents.row))
    .all();
}

export function countReferenceRespondents({ db, referenceSetId, filters }: { db: Db; referenceSetId: string; filters: RespondentFilters }) {
  return db.select({ n: count() }).from(referenceRespondents).where(where(referenceSetId, filters)).get()?.n ?? 0;
}

/** Respondents per country (for pickers), largest first. */
export function countRespondentsByCountry({ db, referenceSetId }: { db: Db; referenceSetId: string }) {
  return db
    .select({ country: referenceRespondents.country, n: count() })
    .from(referenceRespondents)
    .where(eq(referenceRespondents.referenceSetId, referenceSetId))
    .groupBy(referenceRespondents.country)
    .orderBy(sql`count(*) desc`)
    .all();
}

export function getReferenceSet({ db, id }: { db: Db; id: string }) {
  return db.select().from(referenceSets).where(eq(referenceSets.id, id)).get();
}

/** Norm rows of one table and group (e.g. johnson-ipip-neo-120, "Female 21-40"). */
export function listNormRows({ db, table, group }: { db: Db; table: string; group: string }) {
  return db
    .select()
    .from(norms)
    .where(and(eq(norms.table, table), eq(norms.group, group)))
    .all();
}

export function listNormGroups({ db, table }: { db: Db; table: string }) {
  return db.selectDistinct({ group: norms.group }).from(norms).where(eq(norms.table, table)).orderBy(norms.group).all();
}

/** Saves (or replaces) a named target. */
export function saveTarget({
  db,
  name,
  referenceSetId,
  filters,
  edits,
}: {
  db: Db;
  name: string;
  referenceSetId: string;
  filters: StoredTargetFilters;
  edits: TraitEdits;
}): Target {
  const row = db
    .insert(targets)
    .values({ name, referenceSetId, filters, edits })
    .onConflictDoUpdate({
      target: targets.name,
      set: { referenceSetId, filters, edits, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` },
    })
    .returning()
    .get();
  return readTarget(row);
}

/** A saved target with its filters and edits parsed (db/json.ts). */
function readTarget(row: Target): Target {
  const at = (column: string) => ({ table: 'target', id: row.id, column });
  return { ...row, filters: parseStored(storedTargetFiltersSchema, row.filters, at('filters')), edits: parseStored(traitEditsSchema, row.edits, at('edits')) };
}

export function listTargets({ db }: { db: Db }): Target[] {
  return db.select().from(targets).orderBy(asc(targets.name)).all().map(readTarget);
}

export function getTargetByName({ db, name }: { db: Db; name: string }): Target | undefined {
  const row = db.select().from(targets).where(eq(targets.name, name)).get();
  return row && readTarget(row);
}

export function getTargetById({ db, id }: { db: Db; id: number }): Target | undefined {
  const row = db.select().from(targets).where(eq(targets.id, id)).get();
  return row && readTarget(row);
}

/** Every respondent of a reference set with country, age, gender and trait scores (1-5), in row order (the group builder's data). */
export function listReferenceDemographics({ db, referenceSetId }: { db: Db; referenceSetId: string }) {
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
    .orderBy(asc(referenceRespondents.row))
    .all();
}

/** Every row of one norms table (e.g. mccrae-terracciano-2005), by group and scale. */
export function listNormTable({ db, table }: { db: Db; table: string }) {
  return db.select().from(norms).where(eq(norms.table, table)).orderBy(asc(norms.group), asc(norms.scale)).all();
}
