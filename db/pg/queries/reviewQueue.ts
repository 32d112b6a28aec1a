/**
 * The review queues on PostgreSQL: the twin of db/queries/reviewQueue.ts (same queues, filter, order and counts;
 * async, on a PgDb or PgTx). The filter's SQL is the pg version in ./personaFilter.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { FilterExtras, PersonaQueryFilter } from '../../queries/personaFilter';
import { preferredScoresOn } from './pool';
import type { ReviewQueue } from '../../queries/reviewQueue';
import { filterWhere, RISK_TUPLE } from './personaFilter';
import { listPersonaIds } from './personas';
import type { PgRunner } from './review';

export type { ReviewQueue };

const MEASURED = sql`EXISTS (SELECT 1 FROM trait_scores t WHERE t.persona_id = p.id)`;
/** metadata ->> 'groupRevision' is NULL for a missing key and for a JSON null, as json_extract is on SQLite. */
const QUEUE_WHERE: Record<ReviewQueue, SQL> = {
  pool: sql`${MEASURED} AND p.status <> 'rejected' AND (p.metadata ->> 'groupRevision') IS NULL`,
  drafts: sql`NOT ${MEASURED}`,
  all: sql`1 = 1`,
};

interface QueueArgs {
  db: PgRunner;
  queue: ReviewQueue;
  filter: PersonaQueryFilter;
  extras: FilterExtras;
  runId: number | null;
}

/** The WHERE clause of a queue; filters on the current run's weights or selection are resolved first. */
async function queueWhere({ db, queue, filter, extras, runId }: QueueArgs): Promise<SQL> {
  const { weightMin, weightMax, selected, ...rest } = filter;
  const parts = [filterWhere(rest, extras), QUEUE_WHERE[queue]];
  if (weightMin !== undefined || weightMax !== undefined || selected !== undefined) {
    const ids = await listPersonaIds({ db, filter: { weightMin, weightMax, selected }, runId });
    parts.push(sql`p.id IN (SELECT value::integer FROM jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`);
  }
  return sql.join(parts, sql` AND `);
}

const QUEUE_FROM = sql`FROM personas p LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}`;

/** The ids of the next `limit` personas of a queue, riskiest first (after extras.riskAfter when given). */
export async function listQueueIds(args: QueueArgs & { limit: number }): Promise<number[]> {
  const r = await args.db.execute<{ id: number }>(
    sql`SELECT p.id AS id ${QUEUE_FROM} WHERE ${await queueWhere(args)} ORDER BY ${RISK_TUPLE} LIMIT ${args.limit}::bigint`,
  );
  return r.rows.map((row) => row.id);
}

/** How many personas a queue holds (ignoring extras.riskAfter: what is left to decide). */
export async function countQueue(args: QueueArgs): Promise<number> {
  const extras = { ...args.extras, riskAfter: undefined };
  const r = await args.db.execute<{ n: number }>(sql`SELECT count(*)::integer AS n ${QUEUE_FROM} WHERE ${await queueWhere({ ...args, extras })}`);
  return r.rows[0]?.n ?? 0;
}
