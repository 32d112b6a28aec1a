/**
 * The review queues. 'pool': personas that can enter the alignment pool (trait scores, not rejected, not a group
 * revision: the condition of listPoolPersonas in pool.ts); 'drafts': personas without trait scores; 'all': every
 * persona. A queue is further narrowed by a persona filter and the scope extras (pending, second opinion, cursor).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { filterWhere, type FilterExtras, type PersonaQueryFilter } from './personaFilter';
import { listPersonaIds } from './personas';
import { preferredScoresOn } from './pool';

/** The review queues (lib/review/schema.ts REVIEW_QUEUES; a unit test keeps the two equal). */
export type ReviewQueue = 'pool' | 'drafts' | 'all';

const MEASURED = sql`EXISTS (SELECT 1 FROM trait_scores t WHERE t.persona_id = p.id)`;
const QUEUE_WHERE: Record<ReviewQueue, SQL> = {
  pool: sql`${MEASURED} AND p.status <> 'rejected' AND json_extract(p.metadata, '$.groupRevision') IS NULL`,
  drafts: sql`NOT ${MEASURED}`,
  all: sql`1 = 1`,
};

/** Review risk, the order of listPersonas' 'risk' sort: flagged first, then the lowest critic score, then id. */
const RISK_ORDER = sql`CASE WHEN p.status = 'flagged' OR json_array_length(p.flags) > 0 THEN 0 ELSE 1 END,
  coalesce(p.min_critic_score, 1e9), p.id`;

interface QueueArgs {
  db: Db;
  queue: ReviewQueue;
  filter: PersonaQueryFilter;
  extras: FilterExtras;
  runId: number | null;
}

/**
 * The WHERE clause of a queue. Filters on the current run's weights or selection are resolved first (listPersonaIds
 * holds the run's tables) and passed as one JSON array of ids.
 */
function queueWhere({ db, queue, filter, extras, runId }: QueueArgs): SQL {
  const { weightMin, weightMax, selected, ...rest } = filter;
  const parts = [filterWhere(rest, extras), QUEUE_WHERE[queue]];
  if (weightMin !== undefined || weightMax !== undefined || selected !== undefined) {
    const ids = listPersonaIds({ db, filter: { weightMin, weightMax, selected }, runId });
    parts.push(sql`p.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
  }
  return sql.join(parts, sql` AND `);
}

const QUEUE_FROM = sql`FROM personas p LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}`;

/** The ids of the next `limit` personas of a queue, riskiest first (after extras.riskAfter when given). */
export function listQueueIds(args: QueueArgs & { limit: number }): number[] {
  return args.db.all<{ id: number }>(sql`SELECT p.id AS id ${QUEUE_FROM} WHERE ${queueWhere(args)} ORDER BY ${RISK_ORDER} LIMIT ${args.limit}`).map((r) => r.id);
}

/** How many personas a queue holds (ignoring extras.riskAfter: what is left to decide). */
export function countQueue(args: QueueArgs): number {
  const extras = { ...args.extras, riskAfter: undefined };
  return args.db.get<{ n: number }>(sql`SELECT count(*) AS n ${QUEUE_FROM} WHERE ${queueWhere({ ...args, extras })}`)?.n ?? 0;
}
