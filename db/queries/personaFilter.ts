/**
 * Which personas a query covers: the filter and sort a persona query takes, the WHERE clause of a filter (full-text
 * search through personas_fts, the review scope's extras, the review queue's risk cursor) and the joins it needs
 * (the current run's weights and selection, the preferred trait scores).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PersonaStatus } from '../schema';
import type { PersonaListRow } from './personas';
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

export const inList = (column: SQL, values: readonly (string | number)[]) =>
  sql`${column} IN (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/** Whether a query needs the current run's weights or selection in SQL (filtering or sorting on them). */
export function needsRun(filter: PersonaQueryFilter, sort?: PersonaQuerySort): boolean {
  return filter.weightMin !== undefined || filter.weightMax !== undefined || filter.selected !== undefined || sort === 'weight';
}

/**
 * CTEs with the current run's weights and selection. Both JSON arrays are materialised before the join so SQLite
 * can index them (a direct join of two json_each calls is quadratic in the pool size).
 */
export function runCtes(runId: number | null): SQL {
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

export function fromClause(withRun: boolean, withScores = true): SQL {
  return sql`FROM personas p${withScores ? sql` LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}` : sql``}${
    withRun ? sql` LEFT JOIN run_weights rw ON rw.persona_id = p.id` : sql``
  }`;
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

export const RISK_TUPLE = sql`CASE WHEN p.status = 'flagged' OR json_array_length(p.flags) > 0 THEN 0 ELSE 1 END,
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
