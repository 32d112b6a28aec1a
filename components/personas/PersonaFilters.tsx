'use client';
/** The persona browser's filters: search, status, source, flags, scores, demographics, and the run whose weights show. */
import { PERSONA_STATUSES, type PersonaListQuery } from '@/lib/personas/schema';
import { DemographicsCoverage } from './DemographicsCoverage';
import { CheckGroup, RangeInputs } from './FilterInputs';
import type { Facets } from './PersonaBrowser';
import { TRAIT_NAMES, TRAITS } from '@/lib/core/traits';
import type { Filter } from './personaColumns';
import type { PersonaBrowserState } from './usePersonaBrowser';

export function PersonaFilters({ facets, state }: { facets: Facets; state: PersonaBrowserState }) {
  const { filter, setFilter, search, setSearch, counts, countOf, run } = state;
  return (
    <aside className="space-y-4 text-sm" aria-label="Filters" data-testid="filters">
      <label className="block">
        <span className="mb-1 block text-xs font-semibold uppercase tracking-wide text-slate-600">Search narratives</span>
        <input
          type="search"
          className="w-full rounded border border-slate-300 px-2 py-1"
          placeholder="words, e.g. teacher garden"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="search"
        />
        <span className="mt-0.5 block text-xs text-slate-500">Full-text over narrative, name and occupation; every word must occur (prefixes match).</span>
      </label>
      <CheckGroup legend="Status" name="status" options={PERSONA_STATUSES.map((s) => ({ value: s, label: s }))} selected={filter.status} onChange={(v) => setFilter({ ...filter, status: v as PersonaListQuery['status'] })} />
      <CheckGroup legend="Source" name="source" options={facets.sources.map((s) => ({ value: s.id, label: s.name, n: counts.sources.find((x) => x.id === s.id)?.n ?? 0 }))} selected={filter.source} onChange={(v) => setFilter({ ...filter, source: v })} />
      <CheckGroup
        legend="Quality flags"
        name="flag"
        options={[...facets.flags.map((f) => ({ value: f.code, label: f.code, n: counts.flags.find((x) => x.code === f.code)?.n ?? 0 })), { value: 'none', label: 'no flags' }]}
        selected={filter.flag}
        onChange={(v) => setFilter({ ...filter, flag: v })}
      />
      <fieldset className="space-y-1">
        <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">Scores</legend>
        <RangeInputs label="Critic" minKey="criticMin" maxKey="criticMax" filter={filter} set={setFilter} min={0} max={10} step={0.5} title="Lowest critic score of the persona, 1-10 (higher is better); unscored personas are left out when set" />
        {TRAITS.map((t) => (
          <RangeInputs key={t} label={`${t} ${TRAIT_NAMES[t].slice(0, 5)}.`} minKey={`${t}min` as keyof Filter} maxKey={`${t}max` as keyof Filter} filter={filter} set={setFilter} min={1} max={5} step={0.1} title={`${TRAIT_NAMES[t]} on the common 1-5 scale`} />
        ))}
      </fieldset>
      <CheckGroup legend="Age band" name="ageBand" options={facets.ageBands.map((a) => ({ value: a.value, label: a.value, n: countOf(counts.ageBands, a.value) }))} selected={filter.ageBand} onChange={(v) => setFilter({ ...filter, ageBand: v })} />
      <CheckGroup legend="Gender" name="gender" options={facets.genders.map((a) => ({ value: a.value, label: a.value, n: countOf(counts.genders, a.value) }))} selected={filter.gender} onChange={(v) => setFilter({ ...filter, gender: v as PersonaListQuery['gender'] })} />
      <DemographicsCoverage coverage={facets.demographics} />
      {facets.countries.length > 1 && (
        <CheckGroup legend="Country" name="country" options={facets.countries.slice(0, 12).map((a) => ({ value: a.value, label: a.value, n: countOf(counts.countries, a.value) }))} selected={filter.country} onChange={(v) => setFilter({ ...filter, country: v })} />
      )}
      <fieldset className="space-y-1">
        <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">Weights from run</legend>
        {run ? (
          <>
            <select
              className="w-full rounded border border-slate-300 px-1 py-0.5 text-sm"
              value={filter.run ?? ''}
              onChange={(e) => setFilter({ ...filter, run: e.target.value ? Number(e.target.value) : undefined })}
              aria-label="Run whose weights the table shows"
              data-testid="filter-run"
            >
              <option value="">latest finished run (#{facets.runs[0]?.id ?? run.id})</option>
              {facets.runs.map((r) => (
                <option key={r.id} value={r.id}>
                  #{r.id} {r.name}
                </option>
              ))}
            </select>
            <p className="text-xs text-slate-500" data-testid="weights-run">
              Run #{run.id} {run.name}: weight = the persona&apos;s weight in that run (weights sum to 1 over the run&apos;s pool).
            </p>
            <RangeInputs label="Weight" minKey="weightMin" maxKey="weightMax" filter={filter} set={setFilter} min={0} max={1} step={0.0001} title="Importance weight in the current run" />
            <label className="flex items-center justify-between">
              <span>Selected</span>
              <select className="rounded border border-slate-300 px-1 py-0.5" value={filter.selected ?? ''} onChange={(e) => setFilter({ ...filter, selected: (e.target.value || undefined) as Filter['selected'] })} data-testid="filter-selected">
                <option value="">any</option>
                <option value="yes">in the selection</option>
                <option value="no">not selected</option>
              </select>
            </label>
          </>
        ) : (
          <p className="text-xs text-slate-500" data-testid="no-run">No finished alignment run yet: weight filters appear after the first run.</p>
        )}
      </fieldset>
      <button type="button" className="text-sm text-teal-800 underline" onClick={() => { setSearch(''); setFilter({}); }} data-testid="clear-filters">
        Clear all filters
      </button>
    </aside>
  );
}
