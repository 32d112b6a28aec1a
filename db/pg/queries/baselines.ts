/**
 * No-persona LLM baselines on PostgreSQL: the twin of db/queries/baselines.ts (async). Ordered as SQLite orders them:
 * source id in byte order (COLLATE "C"), then temperature with NULLs first (SQLite's ascending order; PostgreSQL puts
 * them last unless told), then id.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { listBaselineRows as listBaselineRowsSqlite } from '../../queries/baselines';
import type { PgSession } from '../client';
import { baselineResponses, sources } from '../schema';

export async function listBaselineRows({ db }: { db: PgSession }): Promise<ReturnType<typeof listBaselineRowsSqlite>> {
  return db
    .select({
      sourceId: baselineResponses.sourceId,
      sourceName: sources.name,
      model: baselineResponses.model,
      instrumentId: baselineResponses.instrumentId,
      temperature: baselineResponses.temperature,
      E: baselineResponses.E,
      A: baselineResponses.A,
      C: baselineResponses.C,
      N: baselineResponses.N,
      O: baselineResponses.O,
    })
    .from(baselineResponses)
    .innerJoin(sources, eq(sources.id, baselineResponses.sourceId))
    .orderBy(sql`${baselineResponses.sourceId} COLLATE "C"`, sql`${baselineResponses.temperature} ASC NULLS FIRST`, asc(baselineResponses.id));
}
