/** Counts for the workspace overview and the health check. */
import { count, desc, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client';
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

export function countPersonasBySourceAndStatus({ db }: { db: Db }) {
  return db
    .select({ sourceId: personas.sourceId, sourceName: sources.name, licence: sources.licence, status: personas.status, n: count() })
    .from(personas)
    .innerJoin(sources, sql`${sources.id} = ${personas.sourceId}`)
    .groupBy(personas.sourceId, personas.status)
    .orderBy(personas.sourceId, personas.status)
    .all();
}

export function listReferenceSetsWithCounts({ db }: { db: Db }) {
  return db
    .select({
      id: referenceSets.id,
      name: referenceSets.name,
      instrumentId: referenceSets.instrumentId,
      description: referenceSets.description,
      licence: sources.licence,
      n: sql<number>`(select count(*) from ${referenceRespondents} where ${referenceRespondents.referenceSetId} = ${referenceSets.id})`,
    })
    .from(referenceSets)
    .innerJoin(sources, sql`${sources.id} = ${referenceSets.sourceId}`)
    .all();
}

export function listInstrumentsWithCounts({ db }: { db: Db }) {
  return db
    .select({
      id: instruments.id,
      name: instruments.name,
      scaleMin: instruments.scaleMin,
      scaleMax: instruments.scaleMax,
      description: instruments.description,
      items: sql<number>`(select count(*) from ${instrumentItems} where ${instrumentItems.instrumentId} = ${instruments.id})`,
      personasMeasured: sql<number>`(select count(*) from ${traitScores} where ${traitScores.instrumentId} = ${instruments.id})`,
    })
    .from(instruments)
    .orderBy(instruments.id)
    .all();
}

export function listRecentAlignmentRuns({ db, limit = 10 }: { db: Db; limit?: number }) {
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
    .limit(limit)
    .all();
}

export function countTables({ db }: { db: Db }) {
  const one = (table: SQLiteTable) => db.select({ n: count() }).from(table).get()?.n ?? 0;
  return {
    personas: one(personas),
    referenceRespondents: one(referenceRespondents),
    instruments: one(instruments),
    baselineResponses: one(baselineResponses),
    alignmentRuns: one(alignmentRuns),
  };
}

/** The connection's journal mode and whether foreign keys are enforced (the health check). */
export function readConnectionSettings({ db }: { db: Db }): { journalMode: string; foreignKeys: boolean } {
  const journal = db.$client.pragma('journal_mode', { simple: true });
  const foreignKeys = db.$client.pragma('foreign_keys', { simple: true });
  return { journalMode: String(journal), foreignKeys: foreignKeys === 1 };
}

export function countBaselinesBySource({ db }: { db: Db }) {
  return db
    .select({ sourceId: baselineResponses.sourceId, sourceName: sources.name, instrumentId: baselineResponses.instrumentId, rows: count() })
    .from(baselineResponses)
    .innerJoin(sources, sql`${sources.id} = ${baselineResponses.sourceId}`)
    .groupBy(baselineResponses.sourceId)
    .all();
}
