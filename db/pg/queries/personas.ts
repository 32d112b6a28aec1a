/**
 * Persona queries on PostgreSQL: the twin of db/queries/personas.ts, so far only listPersonaIds (the selection of a
 * bulk review decision and of the review queues' run filters). The filter's SQL is in ./personaFilter.ts.
 */
import { sql } from 'drizzle-orm';
import { needsRun } from '../../queries/personaFilter';
import type { ListPersonasArgs } from '../../queries/personas';
import type { PgSession } from '../client';
import { filterWhere, fromClause, runCtes } from './personaFilter';

/** Ids of every persona a filter matches, in id order (bulk actions). */
export async function listPersonaIds({
  db,
  filter,
  runId = null,
  extras,
}: { db: PgSession } & Pick<ListPersonasArgs, 'filter' | 'runId' | 'extras'>): Promise<number[]> {
  const r = await db.execute<{ id: number }>(
    sql`${needsRun(filter) ? runCtes(runId) : sql``} SELECT p.id AS id ${fromClause(needsRun(filter))} WHERE ${filterWhere(filter, extras)} ORDER BY p.id`,
  );
  return r.rows.map((row) => row.id);
}
