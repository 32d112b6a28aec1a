/**
 * Persona queries: the filtered, sorted, paged list (with full-text search through personas_fts), facets for the
 * filter form, and the current run whose weights the list shows. The filter is in personaFilter.ts, the parts of the
 * persona page in personaPage.ts, demographics and their origin in personaDemographics.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import type { PersonaStatus } from '../schema';
import {
  filterWhere,
  fromClause,
  ftsMatchExpression,
  inList,
  needsRun,
  RISK_TUPLE,
  runCtes,
  type FilterExtras,
  type PersonaQueryFilter,
  type PersonaQuerySort,
} from './personaFilter';

/** The filter and sort a persona query takes (personaFilter.ts; lib/personas/schema.ts validates them). */
export type { PersonaQueryFilter, PersonaQuerySort } from './personaFilter';
/** The reference sample a persona's scores are placed in (personaPage.ts). */
export { countReferenceBelow, getDefaultReference } from './personaPage';

/** The run whose weights the browser shows and filters on: the latest alignment run that finished. */
export function getCurrentRun({ db }: { db: Db }): { id: number; name: string; createdAt: string } | null {
  return (
    db.get<{ id: number; name: string; createdAt: string }>(sql`
      SELECT id, name, created_at AS createdAt FROM alignment_runs WHERE status = 'done' ORDER BY id DESC LIMIT 1`) ?? null
  );
}

/** The current run's persona ids with their weights, and its selection (parsed in JS: one pass over the JSON). */
export function getRunWeights({ db, runId }: { db: Db; runId: number }): { personaIds: number[]; weights: number[]; selection: number[] } | null {
  const r = db.get<{ personaIds: string | null; weights: string | null; selection: string | null }>(sql`
    SELECT persona_ids AS personaIds, weights, selection FROM alignment_runs WHERE id = ${runId}`);
  if (!r) return null;
  const parse = (v: string | null) => (v ? (JSON.parse(v) as number[]) : []);
  return { personaIds: parse(r.personaIds), weights: parse(r.weights), selection: parse(r.selection) };
}

/** Review risk, highest first: flagged personas, then the lowest critic score (unscored after scored), then id. */
const RISK_ORDER = RISK_TUPLE;

function orderBy(sort: PersonaQuerySort, dir: 'asc' | 'desc', hasSearch: boolean): SQL {
  const d = sql.raw(dir === 'desc' ? 'DESC' : 'ASC');
  const nullsLast = (col: SQL) => sql`${col} IS NULL, ${col} ${d}, p.id ${d}`;
  switch (sort) {
    case 'relevance':
      return hasSearch ? sql`fts.rank, p.id` : sql`p.id ${d}`;
    case 'risk':
      return RISK_ORDER;
    case 'id':
      return sql`p.id ${d}`;
    case 'name':
      return nullsLast(sql`p.name COLLATE NOCASE`);
    case 'status':
      return sql`p.status ${d}, p.id ${d}`;
    case 'source':
      return sql`p.source_id ${d}, p.id ${d}`;
    case 'critic':
      return nullsLast(sql`p.min_critic_score`);
    case 'weight':
      return nullsLast(sql`rw.weight`);
    default:
      return nullsLast(sql`ts.${sql.raw(sort)}`);
  }
}

export interface PersonaListRow {
  id: number;
  name: string | null;
  sourceId: string;
  status: PersonaStatus;
  excerpt: string;
  ageBand: string;
  gender: string;
  country: string;
  occupation: string;
  minCriticScore: number | null;
  flagCodes: string[];
  duplicateOfId: number | null;
  instrumentId: string | null;
  E: number | null;
  A: number | null;
  C: number | null;
  N: number | null;
  O: number | null;
  /** Weight in the current alignment run (filled in by the service). */
  weight: number | null;
  /** In the current run's selection (filled in by the service). */
  selected: boolean;
}

interface RawListRow extends Omit<PersonaListRow, 'flagCodes' | 'selected' | 'weight'> {
  flagCodes: string;
}

export interface ListPersonasArgs {
  db: Db;
  filter: PersonaQueryFilter;
  sort?: PersonaQuerySort;
  dir?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
  runId?: number | null;
  extras?: FilterExtras;
}

/** One page of personas matching a filter (offset paging; ties broken by id so pages never overlap). */
export function listPersonas({ db, filter, sort = 'id', dir = 'asc', offset = 0, limit = 100, runId = null, extras }: ListPersonasArgs): PersonaListRow[] {
  const match = ftsMatchExpression(filter.q);
  const effectiveSort = sort === 'relevance' && !match ? 'id' : sort;
  // bm25 ranks by relevance (lower is better); a match in the name counts double.
  const ftsJoin =
    match && effectiveSort === 'relevance'
      ? sql` JOIN (SELECT rowid AS pid, bm25(personas_fts, 1.0, 2.0, 1.0) AS rank FROM personas_fts WHERE personas_fts MATCH ${match}) fts ON fts.pid = p.id`
      : sql``;
  const withRun = needsRun(filter, effectiveSort);
  const withScores = /^[EACNO]$/.test(effectiveSort) || (['E', 'A', 'C', 'N', 'O'] as const).some((t) => filter[`${t}min`] !== undefined || filter[`${t}max`] !== undefined);
  // Two steps: the page's ids (only the joins the filter and sort need, so skipped rows cost little), then their columns.
  const ids = db
    .all<{ id: number }>(sql`${withRun ? runCtes(runId) : sql``}
      SELECT p.id AS id ${fromClause(withRun, withScores)}${ftsJoin}
      WHERE ${filterWhere(filter, extras)}
      ORDER BY ${orderBy(effectiveSort, dir, Boolean(match))}
      LIMIT ${limit} OFFSET ${offset}`)
    .map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = db.all<RawListRow>(sql`
    SELECT p.id AS id, p.name AS name, p.source_id AS sourceId, p.status AS status,
      substr(p.narrative, 1, 240) AS excerpt, p.age_band AS ageBand, p.gender AS gender, p.country AS country,
      p.occupation AS occupation, p.min_critic_score AS minCriticScore,
      (SELECT json_group_array(json_extract(f.value, '$.code')) FROM json_each(p.flags) f) AS flagCodes,
      p.duplicate_of_id AS duplicateOfId, ts.instrument_id AS instrumentId,
      ts.E AS E, ts.A AS A, ts.C AS C, ts.N AS N, ts.O AS O
    ${fromClause(false, true)}
    WHERE ${inList(sql`p.id`, ids)}`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const r = byId.get(id)!;
    return { ...r, flagCodes: JSON.parse(r.flagCodes) as string[], weight: null, selected: false };
  });
}

/** How many personas a filter matches. */
export function countPersonas({ db, filter, runId = null, extras }: Pick<ListPersonasArgs, 'db' | 'filter' | 'runId' | 'extras'>): number {
  const withRun = needsRun(filter);
  const withScores = (['E', 'A', 'C', 'N', 'O'] as const).some((t) => filter[`${t}min`] !== undefined || filter[`${t}max`] !== undefined);
  return (
    db.get<{ n: number }>(sql`${withRun ? runCtes(runId) : sql``} SELECT count(*) AS n ${fromClause(withRun, withScores)} WHERE ${filterWhere(filter, extras)}`)?.n ?? 0
  );
}

/** Ids of every persona a filter matches, in id order (bulk actions). */
export function listPersonaIds({ db, filter, runId = null, extras }: { db: Pick<Db, 'all'> } & Pick<ListPersonasArgs, 'filter' | 'runId' | 'extras'>): number[] {
  return db
    .all<{ id: number }>(sql`${needsRun(filter) ? runCtes(runId) : sql``} SELECT p.id AS id ${fromClause(needsRun(filter))} WHERE ${filterWhere(filter, extras)} ORDER BY p.id`)
    .map((r) => r.id);
}

/**
 * Values for the filter form: sources, flag codes, age bands, genders and countries present, with counts. With a
 * filter, each facet's counts follow every other part of the filter (not its own, so the user sees what another
 * choice of that facet would give): "PersonaLLM + 35-49" counts age bands among PersonaLLM's personas.
 */
export function getPersonaFacets({ db, filter = {}, runId = null }: { db: Db; filter?: PersonaQueryFilter; runId?: number | null }) {
  /** The CTEs, FROM clause and WHERE of the filter without one facet's own part. */
  const scope = (without: keyof PersonaQueryFilter) => {
    const f: PersonaQueryFilter = { ...filter, [without]: undefined };
    const withRun = needsRun(f);
    const withScores = (['E', 'A', 'C', 'N', 'O'] as const).some((t) => f[`${t}min`] !== undefined || f[`${t}max`] !== undefined);
    return { ctes: withRun ? runCtes(runId) : sql``, from: fromClause(withRun, withScores), where: filterWhere(f) };
  };
  const facet = <T>(without: keyof PersonaQueryFilter, select: SQL, group: SQL, order: SQL) => {
    const q = scope(without);
    return db.all<T>(sql`${q.ctes} SELECT ${select} ${q.from} WHERE ${q.where} GROUP BY ${group} ORDER BY ${order}`);
  };
  return {
    sources: facet<{ id: string; name: string; n: number }>(
      'source',
      sql`p.source_id AS id, (SELECT s.name FROM sources s WHERE s.id = p.source_id) AS name, count(*) AS n`,
      sql`p.source_id`,
      sql`2`,
    ),
    flags: (() => {
      const q = scope('flag');
      return db.all<{ code: string; n: number }>(sql`${q.ctes}
        SELECT json_extract(fl.value, '$.code') AS code, count(DISTINCT p.id) AS n ${q.from}, json_each(p.flags) fl
        WHERE ${q.where} GROUP BY 1 ORDER BY 1`);
    })(),
    ageBands: facet<{ value: string; n: number }>('ageBand', sql`p.age_band AS value, count(*) AS n`, sql`1`, sql`1`),
    genders: facet<{ value: string; n: number }>('gender', sql`p.gender AS value, count(*) AS n`, sql`1`, sql`1`),
    countries: facet<{ value: string; n: number }>('country', sql`p.country AS value, count(*) AS n`, sql`1`, sql`2 DESC, 1 LIMIT 100`),
  };
}
