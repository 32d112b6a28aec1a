/**
 * Persona queries: the filtered, sorted, paged list (with full-text search through personas_fts), facets for the
 * filter form, and the parts of the persona page.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import type { Persona, PersonaFlag, PersonaStatus, QualityScore } from '../schema';
import { preferredScoresOn } from './pool';

/**
 * Which personas a query covers: every key is optional, an absent key does not filter. lib/personas/schema.ts
 * validates this shape from URLs and bodies (PersonaQueryFilter; a unit test keeps the two equal).
 */
export interface PersonaQueryFilter {
  /** Full-text search over narrative, name and occupation (words are matched as prefixes, all must occur). */
  q?: string;
  status?: PersonaStatus[];
  source?: string[];
  /** Flag codes (any of them), or "none" for personas without flags. */
  flag?: string[];
  ageBand?: string[];
  gender?: ('female' | 'male' | 'other' | 'unknown')[];
  country?: string[];
  /** "yes": in the run's selection; "no": not selected. */
  selected?: 'yes' | 'no';
  /** The alignment run whose weights and selection are filtered on. */
  run?: number;
  criticMin?: number;
  criticMax?: number;
  weightMin?: number;
  weightMax?: number;
  Emin?: number;
  Emax?: number;
  Amin?: number;
  Amax?: number;
  Cmin?: number;
  Cmax?: number;
  Nmin?: number;
  Nmax?: number;
  Omin?: number;
  Omax?: number;
}

/** How a persona list is ordered (lib/personas/schema.ts PERSONA_SORTS; a unit test keeps the two equal). */
export type PersonaQuerySort = 'relevance' | 'risk' | 'id' | 'name' | 'status' | 'source' | 'critic' | 'E' | 'A' | 'C' | 'N' | 'O' | 'weight';

/** The run whose weights the browser shows and filters on: the latest alignment run that finished. */
export function getCurrentRun({ db }: { db: Db }): { id: number; name: string; createdAt: string } | null {
  return (
    db.get<{ id: number; name: string; createdAt: string }>(sql`
      SELECT id, name, created_at AS createdAt FROM alignment_runs WHERE status = 'done' ORDER BY id DESC LIMIT 1`) ?? null
  );
}

/**
 * Turns what a user typed into an FTS5 query: every word becomes a quoted prefix term ("teach"*), all must occur.
 * Quotes and FTS operators in the input are treated as text. Returns null when nothing searchable is left.
 */
export function ftsMatchExpression(q: string | undefined): string | null {
  if (!q) return null;
  const terms = q
    .split(/\s+/)
    .map((t) => t.replace(/["]/g, '').replace(/[^\p{L}\p{N}_'-]+/gu, ' ').trim())
    .flatMap((t) => t.split(/\s+/))
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, 16);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t}"*`).join(' ');
}

const inList = (column: SQL, values: readonly (string | number)[]) =>
  sql`${column} IN (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/** Whether a query needs the current run's weights or selection in SQL (filtering or sorting on them). */
function needsRun(filter: PersonaQueryFilter, sort?: PersonaQuerySort): boolean {
  return filter.weightMin !== undefined || filter.weightMax !== undefined || filter.selected !== undefined || sort === 'weight';
}

/**
 * CTEs with the current run's weights and selection. Both JSON arrays are materialised before the join so SQLite
 * can index them (a direct join of two json_each calls is quadratic in the pool size).
 */
function runCtes(runId: number | null): SQL {
  const id = runId ?? -1;
  return sql`WITH run_ids AS MATERIALIZED (
      SELECT pid.key AS k, CAST(pid.value AS INTEGER) AS persona_id FROM alignment_runs r, json_each(r.persona_ids) pid WHERE r.id = ${id}
    ),
    run_w AS MATERIALIZED (
      SELECT w.key AS k, CAST(w.value AS REAL) AS weight FROM alignment_runs r, json_each(r.weights) w WHERE r.id = ${id}
    ),
    run_weights AS MATERIALIZED (SELECT run_ids.persona_id AS persona_id, run_w.weight AS weight FROM run_ids JOIN run_w ON run_w.k = run_ids.k),
    run_selection AS MATERIALIZED (
      SELECT DISTINCT CAST(s.value AS INTEGER) AS persona_id FROM alignment_runs r, json_each(r.selection) s WHERE r.id = ${id}
    ) `;
}

function fromClause(withRun: boolean, withScores = true): SQL {
  return sql`FROM personas p${withScores ? sql` LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}` : sql``}${
    withRun ? sql` LEFT JOIN run_weights rw ON rw.persona_id = p.id` : sql``
  }`;
}

/** The current run's persona ids with their weights, and its selection (parsed in JS: one pass over the JSON). */
export function getRunWeights({ db, runId }: { db: Db; runId: number }): { personaIds: number[]; weights: number[]; selection: number[] } | null {
  const r = db.get<{ personaIds: string | null; weights: string | null; selection: string | null }>(sql`
    SELECT persona_ids AS personaIds, weights, selection FROM alignment_runs WHERE id = ${runId}`);
  if (!r) return null;
  const parse = (v: string | null) => (v ? (JSON.parse(v) as number[]) : []);
  return { personaIds: parse(r.personaIds), weights: parse(r.weights), selection: parse(r.selection) };
}

export interface FilterExtras {
  /** Only personas not yet accepted or rejected. */
  pending?: boolean;
  /** Only personas decided (not undone) by another reviewer and not yet by this one. */
  secondOpinionFor?: string;
  /** Restrict to these ids. */
  ids?: number[];
  /** Keyset cursor of the review queue: only personas after this risk key (see riskKey). */
  riskAfter?: RiskKey;
}

/** Position in the review queue: [0 flagged | 1 not, lowest critic score (1e9 when unscored), id]. */
export type RiskKey = [number, number, number];

const RISK_TUPLE = sql`CASE WHEN p.status = 'flagged' OR json_array_length(p.flags) > 0 THEN 0 ELSE 1 END,
  coalesce(p.min_critic_score, 1e9), p.id`;

/** The risk key of a listed persona (the queue's cursor). */
export function riskKey(row: Pick<PersonaListRow, 'id' | 'status' | 'flagCodes' | 'minCriticScore'>): RiskKey {
  return [row.status === 'flagged' || row.flagCodes.length > 0 ? 0 : 1, row.minCriticScore ?? 1e9, row.id];
}

/** The WHERE clause of a filter. */
export function filterWhere(filter: PersonaQueryFilter, extras: FilterExtras = {}): SQL {
  const parts: SQL[] = [sql`1 = 1`];
  const match = ftsMatchExpression(filter.q);
  if (match) parts.push(sql`p.id IN (SELECT rowid FROM personas_fts WHERE personas_fts MATCH ${match})`);
  if (filter.status?.length) parts.push(inList(sql`p.status`, filter.status));
  if (filter.source?.length) parts.push(inList(sql`p.source_id`, filter.source));
  if (filter.flag?.length) {
    const codes = filter.flag.filter((f) => f !== 'none');
    const alts: SQL[] = [];
    if (filter.flag.includes('none')) alts.push(sql`json_array_length(p.flags) = 0`);
    if (codes.length) {
      alts.push(sql`EXISTS (SELECT 1 FROM json_each(p.flags) f WHERE ${inList(sql`json_extract(f.value, '$.code')`, codes)})`);
    }
    parts.push(sql`(${sql.join(alts, sql` OR `)})`);
  }
  if (filter.ageBand?.length) parts.push(inList(sql`p.age_band`, filter.ageBand));
  if (filter.gender?.length) parts.push(inList(sql`p.gender`, filter.gender));
  if (filter.country?.length) parts.push(inList(sql`p.country`, filter.country));
  if (filter.criticMin !== undefined) parts.push(sql`p.min_critic_score >= ${filter.criticMin}`);
  if (filter.criticMax !== undefined) parts.push(sql`p.min_critic_score <= ${filter.criticMax}`);
  for (const t of ['E', 'A', 'C', 'N', 'O'] as const) {
    const lo = filter[`${t}min`];
    const hi = filter[`${t}max`];
    if (lo !== undefined) parts.push(sql`ts.${sql.raw(t)} >= ${lo}`);
    if (hi !== undefined) parts.push(sql`ts.${sql.raw(t)} <= ${hi}`);
  }
  if (filter.weightMin !== undefined) parts.push(sql`rw.weight >= ${filter.weightMin}`);
  if (filter.weightMax !== undefined) parts.push(sql`rw.weight <= ${filter.weightMax}`);
  if (filter.selected === 'yes') parts.push(sql`p.id IN (SELECT persona_id FROM run_selection)`);
  if (filter.selected === 'no') parts.push(sql`p.id NOT IN (SELECT persona_id FROM run_selection)`);
  if (extras.pending) parts.push(sql`p.status NOT IN ('accepted', 'rejected')`);
  if (extras.secondOpinionFor !== undefined) {
    const me = extras.secondOpinionFor;
    parts.push(sql`EXISTS (SELECT 1 FROM review_decisions d WHERE d.persona_id = p.id AND d.reviewer <> ${me}
        AND d.decision IN ('accept', 'reject') AND d.settlement = 0
        AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d.id))
      AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.persona_id = p.id AND d.reviewer = ${me}
        AND d.decision IN ('accept', 'reject')
        AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d.id))`);
  }
  if (extras.riskAfter) {
    const [g, score, id] = extras.riskAfter;
    parts.push(sql`(${RISK_TUPLE}) > (${g}, ${score}, ${id})`);
  }
  if (extras.ids) parts.push(extras.ids.length ? inList(sql`p.id`, extras.ids) : sql`0 = 1`);
  return sql.join(parts, sql` AND `);
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

// ---------------------------------------------------------------------------------------------------------------
// The persona page

export interface PersonaRow {
  id: number;
  sourceId: string;
  sourceName: string;
  sourceLicence: string;
  externalId: string;
  authorId: number | null;
  parentId: number | null;
  name: string | null;
  narrative: string;
  age: number | null;
  ageBand: string;
  gender: string;
  country: string;
  occupation: string;
  model: string | null;
  promptVersion: string | null;
  status: PersonaStatus;
  qualityScores: Record<string, QualityScore> | null;
  flags: PersonaFlag[];
  duplicateOfId: number | null;
  minCriticScore: number | null;
  metadata: Record<string, unknown> | null;
  /** How each demographic value was obtained, with the phrase it was read from (null: not recorded yet). */
  demographicsOrigin: Persona['demographicsOrigin'];
  createdAt: string;
  updatedAt: string;
}

export function getPersonaById({ db, id }: { db: Db; id: number }): PersonaRow | null {
  // the JSON columns come back as text
  type RawRow = Omit<PersonaRow, 'qualityScores' | 'flags' | 'metadata' | 'demographicsOrigin'> & {
    qualityScores: string | null;
    flags: string | null;
    metadata: string | null;
    demographicsOrigin: string | null;
  };
  const r = db.get<RawRow | undefined>(sql`
    SELECT p.id AS id, p.source_id AS sourceId, s.name AS sourceName, s.licence AS sourceLicence, p.external_id AS externalId,
      p.author_id AS authorId, p.parent_id AS parentId, p.name AS name, p.narrative AS narrative, p.age AS age,
      p.age_band AS ageBand, p.gender AS gender, p.country AS country, p.occupation AS occupation, p.model AS model,
      p.prompt_version AS promptVersion, p.status AS status, p.quality_scores AS qualityScores, p.flags AS flags,
      p.duplicate_of_id AS duplicateOfId, p.min_critic_score AS minCriticScore, p.metadata AS metadata,
      p.demographics_origin AS demographicsOrigin, p.created_at AS createdAt, p.updated_at AS updatedAt
    FROM personas p JOIN sources s ON s.id = p.source_id WHERE p.id = ${id}`);
  if (!r) return null;
  const json = <T>(v: string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : null);
  return {
    ...r,
    qualityScores: json<Record<string, QualityScore>>(r.qualityScores),
    flags: json<PersonaFlag[]>(r.flags) ?? [],
    metadata: json<Record<string, unknown>>(r.metadata),
    demographicsOrigin: json<PersonaRow['demographicsOrigin']>(r.demographicsOrigin),
  };
}

/** Short summaries of several personas (names for links: twins, revisions). */
export function getPersonaSummaries({ db, ids }: { db: Db; ids: number[] }) {
  if (ids.length === 0) return [];
  return db.all<{ id: number; name: string | null; status: PersonaStatus; sourceId: string; parentId: number | null; narrative: string; createdAt: string }>(sql`
    SELECT id, name, status, source_id AS sourceId, parent_id AS parentId, narrative, created_at AS createdAt
    FROM personas WHERE ${inList(sql`id`, ids)} ORDER BY id`);
}

/** Ids of the personas that duplicate this one (their duplicate_of_id points here). */
export function listDuplicateIds({ db, id, limit = 50 }: { db: Db; id: number; limit?: number }): number[] {
  return db.all<{ id: number }>(sql`SELECT id FROM personas WHERE duplicate_of_id = ${id} ORDER BY id LIMIT ${limit}`).map((r) => r.id);
}

/** The posts a mined persona was grounded in. */
export function listPersonaPosts({ db, personaId }: { db: Db; personaId: number }) {
  return db.all<{ id: number; text: string; cleanedText: string | null; postedAt: string | null; quality: string | null; kept: number | null; sourceId: string }>(sql`
    SELECT po.id AS id, po.text AS text, po.cleaned_text AS cleanedText, po.posted_at AS postedAt, po.quality AS quality,
      po.kept AS kept, po.source_id AS sourceId
    FROM persona_posts pp JOIN posts po ON po.id = pp.post_id WHERE pp.persona_id = ${personaId} ORDER BY po.posted_at, po.id`);
}

/** Trait scores of a persona, one row per instrument. */
export function listTraitScores({ db, personaId }: { db: Db; personaId: number }) {
  return db.all<{ instrumentId: string; instrumentName: string; E: number; A: number; C: number; N: number; O: number; spread: string | null }>(sql`
    SELECT ts.instrument_id AS instrumentId, coalesce(i.name, ts.instrument_id) AS instrumentName,
      ts.E AS E, ts.A AS A, ts.C AS C, ts.N AS N, ts.O AS O, ts.spread AS spread
    FROM trait_scores ts LEFT JOIN instruments i ON i.id = ts.instrument_id
    WHERE ts.persona_id = ${personaId}
    ORDER BY CASE ts.instrument_id WHEN 'ipip50' THEN 0 WHEN 'bfi44' THEN 1 WHEN 'mini-markers-40' THEN 2 ELSE 3 END`);
}

/** Item answers of a persona with the item text and key. */
export function listItemAnswers({ db, personaId }: { db: Db; personaId: number }) {
  return db.all<{ instrumentId: string; itemId: string; position: number | null; trait: string | null; keyed: string | null; text: string | null; value: number; model: string | null; temperature: number | null; repetition: number; scaleMin: number | null; scaleMax: number | null }>(sql`
    SELECT r.instrument_id AS instrumentId, r.item_id AS itemId, it.position AS position, it.trait AS trait, it.keyed AS keyed,
      it.text AS text, r.value AS value, r.model AS model, r.temperature AS temperature, r.repetition AS repetition,
      i.scale_min AS scaleMin, i.scale_max AS scaleMax
    FROM item_responses r
    LEFT JOIN instrument_items it ON it.instrument_id = r.instrument_id AND it.item_id = r.item_id
    LEFT JOIN instruments i ON i.id = r.instrument_id
    WHERE r.persona_id = ${personaId}
    ORDER BY r.instrument_id, it.position, r.item_id, r.repetition`);
}

/** The default reference sample (the first one stored) with its size. */
export function getDefaultReference({ db }: { db: Db }) {
  return (
    db.get<{ id: string; name: string; instrumentId: string; n: number }>(sql`
      SELECT rs.id AS id, rs.name AS name, rs.instrument_id AS instrumentId,
        (SELECT count(*) FROM reference_respondents r WHERE r.reference_set_id = rs.id) AS n
      FROM reference_sets rs ORDER BY rs.id LIMIT 1`) ?? null
  );
}

/** For each trait: how many reference respondents score below and exactly at the given value. */
export function countReferenceBelow({ db, referenceSetId, scores }: { db: Db; referenceSetId: string; scores: Record<'E' | 'A' | 'C' | 'N' | 'O', number> }) {
  const r = db.get<Record<string, number>>(sql`
    SELECT count(*) AS n,
      sum(E < ${scores.E}) AS E_below, sum(E = ${scores.E}) AS E_equal,
      sum(A < ${scores.A}) AS A_below, sum(A = ${scores.A}) AS A_equal,
      sum(C < ${scores.C}) AS C_below, sum(C = ${scores.C}) AS C_equal,
      sum(N < ${scores.N}) AS N_below, sum(N = ${scores.N}) AS N_equal,
      sum(O < ${scores.O}) AS O_below, sum(O = ${scores.O}) AS O_equal
    FROM reference_respondents WHERE reference_set_id = ${referenceSetId}`);
  return r ?? { n: 0 };
}

/** The persona's place in recent alignment runs: its weight and whether it was selected. */
export function listPersonaRuns({ db, personaId, limit = 10 }: { db: Db; personaId: number; limit?: number }) {
  return db
    .all<{ id: number; name: string; status: string; createdAt: string; poolSize: number; weight: number | null; selected: number; inPool: number }>(sql`
      SELECT r.id AS id, r.name AS name, r.status AS status, r.created_at AS createdAt,
        coalesce(json_array_length(r.persona_ids), 0) AS poolSize,
        (SELECT CAST(json_extract(r.weights, '$[' || pid.key || ']') AS REAL) FROM json_each(r.persona_ids) pid
          WHERE CAST(pid.value AS INTEGER) = ${personaId} LIMIT 1) AS weight,
        EXISTS (SELECT 1 FROM json_each(r.selection) s WHERE CAST(s.value AS INTEGER) = ${personaId}) AS selected,
        EXISTS (SELECT 1 FROM json_each(r.persona_ids) pid WHERE CAST(pid.value AS INTEGER) = ${personaId}) AS inPool
      FROM alignment_runs r ORDER BY r.id DESC LIMIT ${limit}`)
    .map((r) => ({ ...r, selected: r.selected === 1, inPool: r.inPool === 1 }));
}

/** The parent chain of a persona, nearest first (at most 50 steps; stops at a cycle). */
export function listAncestorIds({ db, id }: { db: Db; id: number }): number[] {
  return db
    .all<{ id: number }>(sql`
      WITH RECURSIVE chain(id, parent_id, depth) AS (
        SELECT id, parent_id, 0 FROM personas WHERE id = ${id}
        UNION
        SELECT p.id, p.parent_id, c.depth + 1 FROM personas p JOIN chain c ON p.id = c.parent_id WHERE c.depth < 50
      )
      SELECT id FROM chain WHERE depth > 0 ORDER BY depth`)
    .map((r) => r.id);
}

/** Every revision derived from a persona (children, their children, ...), oldest first (at most 200). */
export function listDescendantIds({ db, id }: { db: Db; id: number }): number[] {
  return db
    .all<{ id: number }>(sql`
      WITH RECURSIVE tree(id, depth) AS (
        SELECT id, 0 FROM personas WHERE id = ${id}
        UNION
        SELECT p.id, t.depth + 1 FROM personas p JOIN tree t ON p.parent_id = t.id WHERE t.depth < 50
      )
      SELECT id FROM tree WHERE depth > 0 ORDER BY depth, id LIMIT 200`)
    .map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------------------------
// Demographics and how they were obtained

export interface PersonaDemographicsInput {
  id: number;
  narrative: string;
  age: number | null;
  ageBand: string;
  gender: string;
  country: string;
  occupation: string;
}

/** Personas whose demographics' origin was never recorded (written before it was), oldest first. */
export function listPersonasWithoutDemographicsOrigin({ db, limit }: { db: Db; limit: number }): PersonaDemographicsInput[] {
  return db.all<PersonaDemographicsInput>(sql`
    SELECT id, narrative, age, age_band AS ageBand, gender, country, occupation FROM personas
    WHERE demographics_origin IS NULL ORDER BY id LIMIT ${limit}`);
}

/**
 * Ids of the personas the LLM may read demographics for: some value not given by their source (or no recorded
 * origin), within a source and / or a list of ids when given; by id.
 */
export function listDemographicsCandidateIds({ db, sourceId, personaIds }: { db: Db; sourceId?: string; personaIds?: number[] }): number[] {
  const notGiven = sql.join(
    (['age', 'gender', 'country', 'occupation'] as const).map((f) => sql`json_extract(demographics_origin, ${`$.origin.${f}`}) IS NOT 'given'`),
    sql` OR `,
  );
  const where = [sql`(demographics_origin IS NULL OR ${notGiven})`];
  if (sourceId !== undefined) where.push(sql`source_id = ${sourceId}`);
  if (personaIds !== undefined) where.push(sql`id IN (SELECT value FROM json_each(${JSON.stringify(personaIds)}))`);
  return db.all<{ id: number }>(sql`SELECT id FROM personas WHERE ${sql.join(where, sql` AND `)} ORDER BY id`).map((r) => r.id);
}

/** What reading a persona's demographics needs: narrative, values and their recorded origin; by id. */
export function listPersonasForDemographics({ db, ids }: { db: Db; ids: number[] }): (PersonaDemographicsInput & { demographicsOrigin: Persona['demographicsOrigin'] })[] {
  return db
    .all<PersonaDemographicsInput & { demographicsOrigin: string | null }>(sql`
      SELECT id, narrative, age, age_band AS ageBand, gender, country, occupation, demographics_origin AS demographicsOrigin
      FROM personas WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)})) ORDER BY id`)
    .map((r) => ({ ...r, demographicsOrigin: r.demographicsOrigin === null ? null : (JSON.parse(r.demographicsOrigin) as Persona['demographicsOrigin']) }));
}

/** Writes demographics and their origin for many personas in one transaction. */
export function updatePersonaDemographics({
  db,
  rows,
}: {
  db: Db;
  rows: { id: number; age: number | null; ageBand: string; gender: string; country: string; occupation: string; demographicsOrigin: unknown }[];
}): void {
  db.transaction((tx) => {
    for (const r of rows) {
      tx.run(sql`UPDATE personas SET age = ${r.age}, age_band = ${r.ageBand}, gender = ${r.gender}, country = ${r.country},
        occupation = ${r.occupation}, demographics_origin = ${JSON.stringify(r.demographicsOrigin)} WHERE id = ${r.id}`);
    }
  });
}

/** Per demographic field, how many personas have a value given by their source, stated or inferred from the text, or none. */
export function demographicsCoverage({ db }: { db: Db }): Record<'age' | 'gender' | 'country' | 'occupation', Record<string, number>> {
  const out = { age: {}, gender: {}, country: {}, occupation: {} } as Record<'age' | 'gender' | 'country' | 'occupation', Record<string, number>>;
  for (const f of ['age', 'gender', 'country', 'occupation'] as const) {
    const rows = db.all<{ origin: string | null; n: number }>(sql`
      SELECT json_extract(demographics_origin, ${`$.origin.${f}`}) AS origin, count(*) AS n FROM personas GROUP BY 1`);
    for (const r of rows) out[f][r.origin ?? 'unrecorded'] = r.n;
  }
  return out;
}
