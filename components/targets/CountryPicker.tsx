'use client';
/** Countries chosen on the world map (click, drag, keyboard), as buttons for those too small for it, or from a searchable list. */
import { SMALL_SAMPLE, toggleIn } from '@/lib/groups/builder';
import type { ReferenceFilters } from '@/lib/targets/schema';
import type { TargetBuilderState } from './useTargetBuilder';
import { WorldMap } from './WorldMap';

export function CountryPicker({ filters, state }: { filters: ReferenceFilters; state: TargetBuilderState }) {
  const { ref, totals, nameOf, setCountries, offMap, listed, search, setSearch } = state;
  return (
    <div className="min-w-0 space-y-2">
      {ref ? (
        <WorldMap
          counts={totals}
          selected={filters.countries}
          nameOf={nameOf}
          title="Reference respondents per country (BIG5)"
          onToggle={(code) => setCountries(toggleIn(filters.countries, code))}
          onSelectMany={(codes, remove) =>
            setCountries(remove ? filters.countries.filter((c) => !codes.includes(c)) : [...filters.countries, ...codes.filter((c) => !filters.countries.includes(c))])
          }
          testId="builder-map"
        />
      ) : (
        <div className="flex h-64 items-center justify-center rounded bg-sky-50 text-sm text-slate-500">Loading the reference respondents…</div>
      )}
      {offMap.length > 0 && (
        <div className="flex flex-wrap items-center gap-1 text-[11px]" role="group" aria-label="Countries too small for the map">
          <span className="text-slate-600">Not on the map:</span>
          {offMap.map((c) => {
            const on = filters.countries.includes(c);
            return (
              <button
                key={c}
                type="button"
                aria-pressed={on}
                className={`rounded border px-1.5 ${on ? 'border-orange-700 bg-orange-50 font-semibold' : 'border-slate-300'} ${(totals[c] ?? 0) < SMALL_SAMPLE ? 'border-dashed' : ''}`}
                onClick={() => setCountries(toggleIn(filters.countries, c))}
              >
                {nameOf(c)} ({totals[c] ?? 0})
              </button>
            );
          })}
        </div>
      )}
      <details className="text-xs" data-testid="country-list-details">
        <summary className="cursor-pointer text-teal-800">Country list ({filters.countries.length ? `${filters.countries.length} selected` : 'all'}) — the map as a list</summary>
        <label className="mt-1 block">
          <span className="sr-only">Search countries</span>
          <input
            type="search"
            className="w-full rounded border border-slate-300 px-1 py-0.5"
            placeholder="Search countries (name or code)"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="country-search"
          />
        </label>
        <div className="mt-1 max-h-44 overflow-y-auto rounded border border-slate-200 bg-white p-1" data-testid="country-list">
          {listed.map((c) => (
            <label key={c.code} className="flex items-center gap-1">
              <input type="checkbox" checked={filters.countries.includes(c.code)} onChange={() => setCountries(toggleIn(filters.countries, c.code))} />
              <span className="flex-1">{c.name}</span>
              <span className={`tabular-nums ${c.n < SMALL_SAMPLE ? 'text-amber-800' : 'text-slate-500'}`}>{c.n.toLocaleString('en-US')}</span>
            </label>
          ))}
          {listed.length === 0 && <p className="text-slate-500">No country matches “{search}”.</p>}
        </div>
      </details>
    </div>
  );
}
