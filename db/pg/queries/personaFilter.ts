/**
 * The persona filter's SQL on PostgreSQL: the pg versions of the dialect-specific fragments of
 * db/queries/personaFilter.ts (the filter's types, inList, needsRun and riskKey are shared from there). What differs:
 * - full-text search: the generated personas.search column (migration 0001_search_triggers) matched with a tsquery
 *   built from the same words as the FTS5 expression (ftsMatchExpression), each a prefix term (`word:*`), all
 *   required. The english configuration stems words and drops stop words (a query of stop words only matches
 *   nothing, where FTS5 matched them as prefixes);
 * - JSON: jsonb_array_length / jsonb_array_elements over the jsonb columns (json_array_length / json_each);
 * - the trait columns E, A, C, N, O are upper case, so quoted;
 * - the risk cursor compares a row value with typed parameters;
 * - the preferred trait scores' tie-break compares instrument ids in byte order (./pool.ts preferredScoresOn).
 */
import { sql, type SQL } from 'drizzle-orm';
import { ftsMatchExpression, inList, type FilterExtras, type PersonaQueryFilter } from '../../queries/personaFilter';
import { preferredScoresOn } from './pool';

/** What is the same on both engines: the filter's types, the FTS5 words of a query, IN lists, needsRun, riskKey. */
export {
  ftsMatchExpression,
  inList,
  needsRun,
  riskKey,
  type FilterExtras,
  type PersonaQueryFilter,
  type PersonaQuerySort,
  type RiskKey,
} from '../../queries/personaFilter';

/** The tsquery of what a user typed (the words of ftsMatchExpression as prefix terms, all required), or null. */
export function tsQueryText(q: string | undefined): string | null {
  const match = ftsMatchExpression(q);
  if (!match) return null;
  const terms = match.slice(1, -2).split('"* "');
  return terms.map((t) => `'${t.replace(/'/g, "''")}':*`).join(' & ');
}

/** CTEs with the current run's weights and selection (runCtes of db/queries/personaFilter.ts). */
export function runCtes(runId: number | null): SQL {
  const id = runId ?? -1;
  return sql`WITH run_ids AS MATERIALIZED (
      SELECT pid.k AS k, pid.value::integer AS persona_id
      FROM alignment_runs r, jsonb_array_elements_text(r.persona_ids) WITH ORDINALITY pid(value, k) WHERE r.id = ${id}
    ),
    run_w AS MATERIALIZED (
      SELECT w.k AS k, w.value::double precision AS weight
      FROM alignment_runs r, jsonb_array_elements_text(r.weights) WITH ORDINALITY w(value, k) WHERE r.id = ${id}
    ),
    run_weights AS MATERIALIZED (SELECT run_ids.persona_id AS persona_id, run_w.weight AS weight FROM run_ids JOIN run_w ON run_w.k = run_ids.k),
    run_selection AS MATERIALIZED (
      SELECT DISTINCT s.value::integer AS persona_id FROM alignment_runs r, jsonb_array_elements_text(r.selection) s(value) WHERE r.id = ${id}
    ) `;
}

export function fromClause(withRun: boolean, withScores = true): SQL {
  return sql`FROM personas p${withScores ? sql` LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}` : sql``}${
    withRun ? sql` LEFT JOIN run_weights rw ON rw.persona_id = p.id` : sql``
  }`;
}

/** Position in the review queue: [0 flagged | 1 not, lowest critic score (1e9 when unscored), id]. */
export const RISK_TUPLE = sql`CASE WHEN p.status = 'flagged' OR jsonb_array_length(p.flags) > 0 THEN 0 ELSE 1 END,
  coalesce(p.min_critic_score, 1e9), p.id`;

/** The WHERE clause of a filter (filterWhere of db/queries/personaFilter.ts). */
export function filterWhere(filter: PersonaQueryFilter, extras: FilterExtras = {}): SQL {
  const parts: SQL[] = [sql`1 = 1`];
  const tsq = tsQueryText(filter.q);
  if (tsq) parts.push(sql`p."search" @@ to_tsquery('english', ${tsq})`);
  if (filter.status?.length) parts.push(inList(sql`p.status`, filter.status));
  if (filter.source?.length) parts.push(inList(sql`p.source_id`, filter.source));
  if (filter.flag?.length) {
    const codes = filter.flag.filter((f) => f !== 'none');
    const alts: SQL[] = [];
    if (filter.flag.includes('none')) alts.push(sql`jsonb_array_length(p.flags) = 0`);
    if (codes.length) {
      alts.push(sql`EXISTS (SELECT 1 FROM jsonb_array_elements(p.flags) f(value) WHERE ${inList(sql`f.value ->> 'code'`, codes)})`);
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
    if (lo !== undefined) parts.push(sql`ts.${sql.raw(`"${t}"`)} >= ${lo}`);
    if (hi !== undefined) parts.push(sql`ts.${sql.raw(`"${t}"`)} <= ${hi}`);
  }
  if (filter.weightMin !== undefined) parts.push(sql`rw.weight >= ${filter.weightMin}`);
  if (filter.weightMax !== undefined) parts.push(sql`rw.weight <= ${filter.weightMax}`);
  if (filter.selected === 'yes') parts.push(sql`p.id IN (SELECT persona_id FROM run_selection)`);
  if (filter.selected === 'no') parts.push(sql`p.id NOT IN (SELECT persona_id FROM run_selection)`);
  if (extras.pending) parts.push(sql`p.status NOT IN ('accepted', 'rejected')`);
  if (extras.secondOpinionFor !== undefined) {
    const me = extras.secondOpinionFor;
    parts.push(sql`EXISTS (SELECT 1 FROM review_decisions d WHERE d.persona_id = p.id AND d.reviewer <> ${me}
        AND d.decision IN ('accept', 'reject') AND NOT d.settlement
        AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d.id))
      AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.persona_id = p.id AND d.reviewer = ${me}
        AND d.decision IN ('accept', 'reject')
        AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d.id))`);
  }
  if (extras.riskAfter) {
    const [g, score, id] = extras.riskAfter;
    parts.push(sql`(${RISK_TUPLE}) > (${g}::integer, ${score}::double precision, ${id}::integer)`);
  }
  if (extras.ids) parts.push(extras.ids.length ? inList(sql`p.id`, extras.ids) : sql`0 = 1`);
  return sql.join(parts, sql` AND `);
}
