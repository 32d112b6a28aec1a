'use client';
/** One-click selections: all countries, the region presets and the saved custom regions, each with its respondents. */
import type { ReferenceFilters } from '@/lib/targets/schema';
import { sameSet } from './builderHelpers';
import type { TargetBuilderState } from './useTargetBuilder';

export function QuickSelections({ filters, state }: { filters: ReferenceFilters; state: TargetBuilderState }) {
  const { wire, regions, regionCount, setCountries } = state;
  return (
    <div className="flex flex-wrap items-center gap-1 text-xs" role="group" aria-label="Quick selections">
      <span className="text-slate-600">Quick selections:</span>
      <button
        type="button"
        aria-pressed={filters.countries.length === 0}
        className={`rounded border px-2 py-0.5 ${filters.countries.length === 0 ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 hover:bg-slate-100'}`}
        onClick={() => setCountries([])}
        data-testid="region-all"
      >
        All countries ({(wire?.n ?? 0).toLocaleString('en-US')})
      </button>
      {regions.map((r) => {
        const on = sameSet(r.countries, filters.countries);
        return (
          <button
            key={r.id}
            type="button"
            aria-pressed={on}
            className={`rounded border px-2 py-0.5 ${on ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 hover:bg-slate-100'}`}
            onClick={() => setCountries(r.countries)}
            data-testid={`region-${r.id}`}
          >
            {r.label} ({regionCount(r.countries).toLocaleString('en-US')})
          </button>
        );
      })}
    </div>
  );
}
