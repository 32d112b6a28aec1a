/**
 * Persona queries on PostgreSQL: the twin of db/queries/personas.ts (same functions, arguments, rows and order;
 * async, on a PgDb, a connection or a transaction). The filter's SQL is in ./personaFilter.ts. What differs:
 * - text search matches the personas.search tsvector (./personaFilter.ts tsQueryText: each word a prefix of a stemmed
 *   word, english configuration), where SQLite matches FTS5 prefixes of the unstemmed words: "cycles" finds "cycle"
 *   and "cycling" here, and a query of stop words only finds nothing;
 * - sorting by relevance ranks with ts_rank (a match in the name weighs twice one in the narrative or occupation, as
 *   in db/pg/search.ts; best first, then id), where SQLite ranks with bm25 (which also favours short narratives and
 *   repeated words): the two orders agree on which field matched, not always within a field;
 * - text is sorted in byte order (COLLATE "C", SQLite's BINARY); the name sort folds ASCII letters only, as SQLite's
 *   NOCASE does (lower() under the "C" collation);
 * - flag codes and JSON arrays come from jsonb_array_elements (json_each); counts are cast to integer.
 */
import { sql, type SQL } from 'drizzle-orm';
import type {
  getCurrentRun as getCurrentRunSqlite,
  getPersonaFacets as getPersonaFacetsSqlite,
  getRunWeights as getRunWeightsSqlite,
  ListPersonasArgs as SqliteListPersonasArgs,
  PersonaListRow,
} from '../../queries/personas';
import type { PgSession } from '../client';
import { RANK_WEIGHTS } from '../search';
import {
  filterWhere,
  fromClause,
  inList,
  needsRun,
  RISK_TUPLE,
  runCtes,
  tsQueryText,
  type PersonaQueryFilter,
  type PersonaQuerySort,
} from './personaFilter';

export type { PersonaQueryFilter, PersonaQuerySort } from './personaFilter';
export type { PersonaListRow };
/** The reference sample a persona's scores are placed in (./personaPage.ts). */
export { countReferenceBelow, getDefaultReference } from './personaPage';

/** The arguments of listPersonas (db/queries/personas.ts), on PostgreSQL. */
export type ListPersonasArgs = Omit<SqliteListPersonasArgs, 'db'> & { db: PgSession };

async function all<T>(db: PgSession, query: SQL): Promise<T[]> {
  return (await db.execute<T & Record<string, unknown>>(query)).rows as T[];
}

const TRAITS = ['E', 'A', 'C', 'N', 'O'] as const;
const filtersScores = (filter: PersonaQueryFilter) => TRAITS.some((t) => filter[`${t}min`] !== undefined || filter[`${t}max`] !== undefined);

/** The run whose weights the browser shows and filters on: the latest alignment run that finished. */
export async function getCurrentRun({ db }: { db: PgSession }): Promise<ReturnType<typeof getCurrentRunSqlite>> {
  const [r] = await all<NonNullable<ReturnType<typeof getCurrentRunSqlite>>>(
    db,
    sql`SELECT id AS "id", name AS "name", created_at AS "createdAt" FROM alignment_runs WHERE status = 'done' ORDER BY id DESC LIMIT 1`,
  );
  return r ?? null;
}

/** The current run's persona ids with their weights, and its selection (jsonb, read back parsed). */
export async function getRunWeights({ db, runId }: { db: PgSession; runId: number }): Promise<ReturnType<typeof getRunWeightsSqlite>> {
  const [r] = await all<{ personaIds: number[] | null; weights: number[] | null; selection: number[] | null }>(
    db,
    sql`SELECT persona_ids AS "personaIds", weights AS "weights", selection AS "selection" FROM alignment_runs WHERE id = ${runId}`,
  );
  if (!r) return null;
  return { personaIds: r.personaIds ?? [], weights: r.weights ?? [], selection: r.selection ?? [] };
}

function orderBy(sort: PersonaQuerySort, dir: 'asc' | 'desc', tsq: string | null): SQL {
  const d = sql.raw(dir === 'desc' ? 'DESC' : 'ASC');
  const nullsLast = (col: SQL) => sql`${col} IS NULL, ${col} ${d}, p.id ${d}`;
  switch (sort) {
    case 'relevance':
      return tsq ? sql`ts_rank(${RANK_WEIGHTS}::real[], p."search", to_tsquery('english', ${tsq})) DESC, p.id` : sql`p.id ${d}`;
    case 'risk':
      return RISK_TUPLE;
    case 'id':
      return sql`p.id ${d}`;
    case 'name':
      return nullsLast(sql`lower(p.name COLLATE "C")`);
    case 'status':
      return sql`p.status COLLATE "C" ${d}, p.id ${d}`;
    case 'source':
      return sql`p.source_id COLLATE "C" ${d}, p.id ${d}`;
    case 'critic':
      return nullsLast(sql`p.min_critic_score`);
    case 'weight':
      return nullsLast(sql`rw.weight`);
    default:
      return nullsLast(sql`ts.${sql.raw(`"${sort}"`)}`);
  }
}

/** One page of personas matching a filter (offset paging; ties broken by id so pages never overlap). */
export async function listPersonas({
  db,
  filter,
  sort = 'id',
  dir = 'asc',
  offset = 0,
  limit = 100,
  runId = null,
  extras,
}: ListPersonasArgs): Promise<PersonaListRow[]> {
  const tsq = tsQueryText(filter.q);
  const effectiveSort = sort === 'relevance' && !tsq ? 'id' : sort;
  const withRun = needsRun(filter, effectiveSort);
  const withScores = /^[EACNO]$/.test(effectiveSort) || filtersScores(filter);
  // Two steps, as on SQLite: the page's ids (only the joins the filter and sort need), then their columns.
  const ids = (
    await all<{ id: number }>(
      db,
      sql`${withRun ? runCtes(runId) : sql``}
      SELECT p.id AS "id" ${fromClause(withRun, withScores)}
      WHERE ${filterWhere(filter, extras)}
      ORDER BY ${orderBy(effectiveSort, dir, tsq)}
      LIMIT ${limit}::bigint OFFSET ${offset}::bigint`,
    )
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = await all<Omit<PersonaListRow, 'selected' | 'weight'>>(
    db,
    sql`
    SELECT p.id AS "id", p.name AS "name", p.source_id AS "sourceId", p.status AS "status",
      substr(p.narrative, 1, 240) AS "excerpt", p.age_band AS "ageBand", p.gender AS "gender", p.country AS "country",
      p.occupation AS "occupation", p.min_critic_score AS "minCriticScore",
      coalesce((SELECT jsonb_agg(f.value -> 'code' ORDER BY f.k) FROM jsonb_array_elements(p.flags) WITH ORDINALITY f(value, k)), '[]'::jsonb) AS "flagCodes",
      p.duplicate_of_id AS "duplicateOfId", ts.instrument_id AS "instrumentId",
      ts."E" AS "E", ts."A" AS "A", ts."C" AS "C", ts."N" AS "N", ts."O" AS "O"
    ${fromClause(false, true)}
    WHERE ${inList(sql`p.id`, ids)}`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => ({ ...byId.get(id)!, weight: null, selected: false }));
}

/** How many personas a filter matches. */
export async function countPersonas({ db, filter, runId = null, extras }: Pick<ListPersonasArgs, 'db' | 'filter' | 'runId' | 'extras'>): Promise<number> {
  const withRun = needsRun(filter);
  const [r] = await all<{ n: number }>(
    db,
    sql`${withRun ? runCtes(runId) : sql``} SELECT count(*)::integer AS "n" ${fromClause(withRun, filtersScores(filter))} WHERE ${filterWhere(filter, extras)}`,
  );
  return r?.n ?? 0;
}

/** Ids of every persona a filter matches, in id order (bulk actions). */
export async function listPersonaIds({ db, filter, runId = null, extras }: Pick<ListPersonasArgs, 'db' | 'filter' | 'runId' | 'extras'>): Promise<number[]> {
  const rows = await all<{ id: number }>(
    db,
    sql`${needsRun(filter) ? runCtes(runId) : sql``} SELECT p.id AS "id" ${fromClause(needsRun(filter))} WHERE ${filterWhere(filter, extras)} ORDER BY p.id`,
  );
  return rows.map((row) => row.id);
}

/**
 * Values for the filter form: sources, flag codes, age bands, genders and countries present, with counts; each
 * facet's counts follow every other part of the filter (getPersonaFacets of db/queries/personas.ts). Values are
 * ordered in byte order; a flag without a code (NULL) comes first, as SQLite sorts NULL.
 */
export async function getPersonaFacets({
  db,
  filter = {},
  runId = null,
}: {
  db: PgSession;
  filter?: PersonaQueryFilter;
  runId?: number | null;
}): Promise<ReturnType<typeof getPersonaFacetsSqlite>> {
  type Facets = ReturnType<typeof getPersonaFacetsSqlite>;
  /** The CTEs, FROM clause and WHERE of the filter without one facet's own part. */
  const scope = (without: keyof PersonaQueryFilter) => {
    const f: PersonaQueryFilter = { ...filter, [without]: undefined };
    const withRun = needsRun(f);
    return { ctes: withRun ? runCtes(runId) : sql``, from: fromClause(withRun, filtersScores(f)), where: filterWhere(f) };
  };
  const facet = <T>(without: keyof PersonaQueryFilter, select: SQL, tail: SQL) => {
    const q = scope(without);
    return all<T>(db, sql`${q.ctes} SELECT ${select} ${q.from} WHERE ${q.where} GROUP BY 1 ${tail}`);
  };
  const value = (column: string) => sql`${sql.raw(column)} COLLATE "C" AS "value", count(*)::integer AS "n"`;
  const flagScope = scope('flag');
  // one after another: on a transaction or a checked-out connection the queries share one client
  const sources = await facet<Facets['sources'][number]>(
    'source',
    sql`p.source_id AS "id", (SELECT s.name FROM sources s WHERE s.id = p.source_id) COLLATE "C" AS "name", count(*)::integer AS "n"`,
    sql`ORDER BY 2, p.source_id COLLATE "C"`,
  );
  const flags = await all<Facets['flags'][number]>(
    db,
    sql`${flagScope.ctes}
      SELECT (fl.value ->> 'code') COLLATE "C" AS "code", count(DISTINCT p.id)::integer AS "n" ${flagScope.from}, jsonb_array_elements(p.flags) fl(value)
      WHERE ${flagScope.where} GROUP BY 1 ORDER BY 1 NULLS FIRST`,
  );
  const ageBands = await facet<Facets['ageBands'][number]>('ageBand', value('p.age_band'), sql`ORDER BY 1`);
  const genders = await facet<Facets['genders'][number]>('gender', value('p.gender'), sql`ORDER BY 1`);
  const countries = await facet<Facets['countries'][number]>('country', value('p.country'), sql`ORDER BY 2 DESC, 1 LIMIT 100`);
  return { sources, flags, ageBands, genders, countries };
}
