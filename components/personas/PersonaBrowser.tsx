'use client';
/**
 * The persona browser: filters kept in the URL, a virtualised table paged from the server, bulk actions. The
 * filters and the table live in sibling files; the state in usePersonaBrowser.
 */
import { PERSONA_SORTS, type PersonaListQuery } from '@/lib/personas/schema';
import { BulkActions } from './BulkActions';
import { fmtInt } from './format';
import { PersonaFilters } from './PersonaFilters';
import { PersonaTable } from './PersonaTable';
import { usePersonaBrowser } from './usePersonaBrowser';

export interface Facets {
  sources: { id: string; name: string; n: number }[];
  flags: { code: string; n: number }[];
  ageBands: { value: string; n: number }[];
  genders: { value: string; n: number }[];
  countries: { value: string; n: number }[];
  run: { id: number; name: string; createdAt: string } | null;
  /** Finished runs, newest first: the weights can come from any of them. */
  runs: { id: number; name: string; createdAt: string }[];
  /** Per demographic field, personas by how the value was obtained (given / stated / inferred / unknown). */
  demographics: Record<'age' | 'gender' | 'country' | 'occupation', Record<string, number>>;
}

export function PersonaBrowser({ facets, reasonCodes, reviewer }: { facets: Facets; reasonCodes: { code: string; label: string }[]; reviewer: string | null }) {
  const state = usePersonaBrowser(facets);
  const { filter, setFilter, query, rows, total, sort } = state;

  return (
    <div className="grid grid-cols-1 gap-5 md:grid-cols-[13.5rem_minmax(0,1fr)]">
      <PersonaFilters facets={facets} state={state} />

      <section className="min-w-0 space-y-3" aria-label="Personas">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-slate-700" aria-live="polite">
            <strong className="tabular-nums" data-testid="result-total" data-value={total ?? ''}>
              {total === null ? '…' : fmtInt.format(total)}
            </strong>{' '}
            personas match{query.isFetching ? ' · loading…' : ''} · {fmtInt.format(rows.length)} loaded
          </p>
          <label className="flex items-center gap-2 text-sm">
            Sort
            <select className="rounded border border-slate-300 px-1 py-0.5" value={sort} onChange={(e) => setFilter({ ...filter, sort: e.target.value as PersonaListQuery['sort'] })} data-testid="sort-select">
              {PERSONA_SORTS.map((s) => (
                <option key={s} value={s}>
                  {s === 'risk' ? 'review risk' : s === 'critic' ? 'critic score' : s}
                </option>
              ))}
            </select>
            <select className="rounded border border-slate-300 px-1 py-0.5" value={filter.dir ?? 'asc'} onChange={(e) => setFilter({ ...filter, dir: e.target.value as 'asc' | 'desc' })} aria-label="Sort direction" data-testid="sort-dir">
              <option value="asc">ascending</option>
              <option value="desc">descending</option>
            </select>
          </label>
        </div>

        <BulkActions filter={filter} total={total} reasonCodes={reasonCodes} reviewer={reviewer} />

        {query.isError && (
          <p className="rounded border border-rose-300 bg-rose-50 p-2 text-sm text-rose-800" role="alert">
            {(query.error as Error).message}
          </p>
        )}

        <PersonaTable state={state} />
        <p className="text-xs text-slate-500">
          Trait scores E A C N O are on the common 1-5 scale, from the persona&apos;s preferred instrument (IPIP-50, then BFI-44, then
          Mini-Markers rescaled). Critic = the lowest score any critic gave (1-10, higher is better; — = not scored). Weight = the
          persona&apos;s weight in the run named in the column header (✓ = in its selection); choose the run under &quot;Weights from run&quot;. The filter is part of the URL: copy it to share this view.
        </p>
      </section>
    </div>
  );
}
