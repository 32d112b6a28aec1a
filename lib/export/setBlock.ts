/** The manifest's set block: rows, distinct personas, draws, how the weights are normalised, and the personas' demographics. */
import type { PersonaFilters } from '../groups/schema';
import type { TargetSpec } from '../targets/schema';
import { describeFilters } from '../targets/service';
import type { DrawnSet } from './drawSet';
import type { DemographicCount, ExportRequest, ExportRow, ExportSet, WeightNormalisation } from './schema';
import type { Resolved } from './source';
import { fmt, plural } from './wording';

/** Counts and weight sums of the rows by a demographic field, most frequent first (ties by value). */
function tally(rows: ExportRow[], field: 'gender' | 'ageBand' | 'country'): DemographicCount[] {
  const m = new Map<string, DemographicCount>();
  for (const row of rows) {
    const value = row[field] || 'unknown';
    const e = m.get(value) ?? { value, personas: 0, weight: 0 };
    e.personas++;
    e.weight += row.weight;
    m.set(value, e);
  }
  return [...m.values()].sort((a, b) => b.personas - a.personas || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** A group's persona filters in words, or null when it sets none. */
function describePersonaFilters(f: Partial<PersonaFilters> | undefined): string | null {
  if (!f) return null;
  const parts: string[] = [];
  if (f.countries?.length) parts.push(`countries ${f.countries.join(', ')}`);
  if (f.ageBands?.length) parts.push(`age bands ${f.ageBands.join(', ')}`);
  if (f.genders?.length) parts.push(`genders ${f.genders.join(', ')}`);
  if (f.occupationContains) parts.push(`occupation containing "${f.occupationContains}"`);
  if (f.sources?.length) parts.push(`sources ${f.sources.join(', ')}`);
  return parts.length ? parts.join('; ') : null;
}

/** The manifest's set block: what the rows are, how the weights are normalised, and whose demographics they carry. */
export function setBlock(request: ExportRequest, r: Resolved, draw: DrawnSet, rows: ExportRow[], spec: TargetSpec | null): ExportSet {
  const selected = rows.filter((x) => x.count > 0);
  let sum = 0;
  for (const row of rows) sum += row.weight;
  const n = rows.length;
  let normalisation: WeightNormalisation;
  let statement: string;
  if (request.set === 'weights') {
    normalisation = 'pool';
    statement = r.run
      ? `weight = the persona's weight in run ${r.run.id}, summing to 1 over its pool of ${plural(n, 'persona')} (every row is exported); count = times in the selection (${draw.selectionStatement.replace(/\.$/, '')}).`
      : `weight = 1/${fmt.format(n)}: every persona of the pool weighs the same, summing to 1 over the ${plural(n, 'row')}.`;
  } else if (draw.setWeights) {
    normalisation = draw.recalibration ? 'recalibrated' : 'horvitz-thompson';
    statement = draw.recalibration
      ? `weight = the set weight of each of the ${plural(draw.k, 'distinct persona')}: the Horvitz-Thompson weights w_i / pi_i re-calibrated by entropy balancing to the target's ${
          draw.recalibration.moments === 'all' ? 'means, variances and covariances' : draw.recalibration.moments === 'meansAndVariances' ? 'means and variances' : 'means'
        }${draw.recalibration.converged ? '' : ' (approximately: see recalibration.warnings)'}; they sum to 1 over the ${plural(n, 'row')}.`
      : `weight = the Horvitz-Thompson weight w_i / pi_i, normalised to sum to 1 over the ${plural(n, 'row')}; not re-calibrated: ${draw.reason}`;
  } else {
    normalisation = 'draws';
    statement =
      draw.selection === 'whole-pool'
        ? `weight = 1/${fmt.format(n)}: every persona of the pool once, summing to 1 over the ${plural(n, 'row')}.`
        : `weight = count / ${fmt.format(draw.k)} draws: each draw counts 1/${fmt.format(draw.k)}, so the weights sum to 1 over the ${plural(n, 'row')}. Weighting the rows by weight and repeating each row count times describe the same set: use one, not both.`;
  }
  const countries = tally(selected, 'country');
  const others = countries.slice(10);
  const group = r.group?.definition;
  const targetDescription = spec ? describeFilters(spec) : '';
  const demographicsStatement = spec
    ? `The target (${targetDescription}) shapes the personas' Big Five traits through the weights; it does not select or balance the personas' own gender, age or country, which are counted here as they are.` +
      (r.group
        ? ((f) => (f ? ` The group's persona filters (${f}) decided which personas retrieval could return.` : ' The group sets no persona filters, so retrieval could return any persona.'))(
            describePersonaFilters(group?.personas?.filters),
          )
        : '')
    : 'A pool export has no target: these are the personas\' own demographics.';
  return {
    rows: n,
    distinct: selected.length,
    draws: draw.k,
    selection: { method: draw.selection, statement: draw.selectionStatement },
    weights: { normalisation, sum, statement, recalibration: request.set === 'weights' ? null : draw.recalibration, reason: request.set === 'weights' ? null : draw.reason },
    demographics: {
      target: spec
        ? {
            filters: spec.filters,
            description: targetDescription,
            personaFilters: r.group ? (group?.personas.filters ?? null) : null,
          }
        : null,
      personas: {
        gender: tally(selected, 'gender'),
        ageBand: tally(selected, 'ageBand'),
        country: countries.slice(0, 10),
        otherCountries: { values: others.length, personas: others.reduce((a, c) => a + c.personas, 0), weight: others.reduce((a, c) => a + c.weight, 0) },
      },
      statement: demographicsStatement,
    },
  };
}
