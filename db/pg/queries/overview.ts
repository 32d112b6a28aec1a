/**
 * Counts for the workspace overview and the health check on PostgreSQL: the twin of db/queries/overview.ts (same
 * functions, arguments and rows; async). What differs:
 * - text keys are ordered in byte order (COLLATE "C", SQLite's BINARY);
 * - the reference sets, which SQLite lists in table order (no ORDER BY), are listed by id; the baselines by source,
 *   the order SQLite's GROUP BY gives;
 * - a grouped row's columns that SQLite takes from any row of the group: countBaselinesBySource's instrument is the
 *   least of the group's instruments (the same when a source's baselines use one instrument, as the seed's do);
 * - counts in subqueries are cast to integer (bigint comes back as a string);
 * - readConnectionSettings: PostgreSQL always writes ahead ('wal'); foreign keys are enforced unless the session
 *   replicates (session_replication_role = replica skips the constraint triggers).
 */
import { count, desc, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type {
  countBaselinesBySource as countBaselinesBySourceSqlite,
  countPersonasBySourceAndStatus as countPersonasBySourceAndStatusSqlite,
  countTables as countTablesSqlite,
  listInstrumentsWithCounts as listInstrumentsWithCountsSqlite,
  listRecentAlignmentRuns as listRecentAlignmentRunsSqlite,
  listReferenceSetsWithCounts as listReferenceSetsWithCountsSqlite,
  readConnectionSettings as readConnectionSettingsSqlite,
} from '../../queries/overview';
import type { PgSession } from '../client';
import {
  alignmentRuns,
  baselineResponses,
  instrumentItems,
  instruments,
  personas,
  referenceRespondents,
  referenceSets,
  sources,
  traitScores,
} from '../schema';

const bytes = (column: unknown) => sql`${column} COLLATE "C"`;

export async function countPersonasBySourceAndStatus({ db }: { db: PgSession }): Promise<ReturnType<typeof countPersonasBySourceAndStatusSqlite>> {
  return db
    .select({ sourceId: personas.sourceId, sourceName: sources.name, licence: sources.licence, status: personas.status, n: count() })
    .from(personas)
    .innerJoin(sources, sql`${sources.id} = ${personas.sourceId}`)
    .groupBy(personas.sourceId, personas.status, sources.id)
    .orderBy(bytes(personas.sourceId), bytes(personas.status));
}

export async function listReferenceSetsWithCounts({ db }: { db: PgSession }): Promise<ReturnType<typeof listReferenceSetsWithCountsSqlite>> {
  return db
    .select({
      id: referenceSets.id,
      name: referenceSets.name,
      instrumentId: referenceSets.instrumentId,
      description: referenceSets.description,
      licence: sources.licence,
      n: sql<number>`(select count(*) from ${referenceRespondents} where ${referenceRespondents.referenceSetId} = ${referenceSets.id})::integer`,
    })
    .from(referenceSets)
    .innerJoin(sources, sql`${sources.id} = ${referenceSets.sourceId}`)
    .orderBy(bytes(referenceSets.id));
}

export async function listInstrumentsWithCounts({ db }: { db: PgSession }): Promise<ReturnType<typeof listInstrumentsWithCountsSqlite>> {
  return db
    .select({
      id: instruments.id,
      name: instruments.name,
      scaleMin: instruments.scaleMin,
      scaleMax: instruments.scaleMax,
      description: instruments.description,
      items: sql<number>`(select count(*) from ${instrumentItems} where ${instrumentItems.instrumentId} = ${instruments.id})::integer`,
      personasMeasured: sql<number>`(select count(*) from ${traitScores} where ${traitScores.instrumentId} = ${instruments.id})::integer`,
    })
    .from(instruments)
    .orderBy(bytes(instruments.id));
}

export async function listRecentAlignmentRuns({ db, limit = 10 }: { db: PgSession; limit?: number }): Promise<ReturnType<typeof listRecentAlignmentRunsSqlite>> {
  return db
    .select({
      id: alignmentRuns.id,
      name: alignmentRuns.name,
      status: alignmentRuns.status,
      seed: alignmentRuns.seed,
      createdAt: alignmentRuns.createdAt,
    })
    .from(alignmentRuns)
    .orderBy(desc(alignmentRuns.id))
    .limit(limit);
}

export async function countTables({ db }: { db: PgSession }): Promise<ReturnType<typeof countTablesSqlite>> {
  const one = async (table: PgTable) => (await db.select({ n: count() }).from(table))[0]?.n ?? 0;
  // one after another: on a transaction or a checked-out connection the queries share one client
  return {
    personas: await one(personas),
    referenceRespondents: await one(referenceRespondents),
    instruments: await one(instruments),
    baselineResponses: await one(baselineResponses),
    alignmentRuns: await one(alignmentRuns),
  };
}

/** The write-ahead log ('wal': PostgreSQL always has one) and whether foreign keys are enforced (the health check). */
export async function readConnectionSettings({ db }: { db: PgSession }): Promise<ReturnType<typeof readConnectionSettingsSqlite>> {
  const r = await db.execute<{ replica: boolean }>(sql`SELECT current_setting('session_replication_role') = 'replica' AS "replica"`);
  return { journalMode: 'wal', foreignKeys: !r.rows[0]!.replica };
}

export async function countBaselinesBySource({ db }: { db: PgSession }): Promise<ReturnType<typeof countBaselinesBySourceSqlite>> {
  return db
    .select({
      sourceId: baselineResponses.sourceId,
      sourceName: sources.name,
      instrumentId: sql<string>`min(${baselineResponses.instrumentId} COLLATE "C")`,
      rows: count(),
    })
    .from(baselineResponses)
    .innerJoin(sources, sql`${sources.id} = ${baselineResponses.sourceId}`)
    .groupBy(baselineResponses.sourceId, sources.id)
    .orderBy(bytes(baselineResponses.sourceId));
}
