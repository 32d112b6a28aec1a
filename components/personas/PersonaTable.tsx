'use client';
/** The virtualised table of matching personas: sortable headers, rows that open the persona, more pages as it scrolls. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import type { PersonaListQuery } from '@/lib/personas/schema';
import { PersonaRowCells } from './PersonaRowCells';
import { TRAIT_NAMES, TRAITS } from '@/lib/core/traits';
import type { PersonaBrowserState } from './usePersonaBrowser';

const ROW_HEIGHT = 60;

export function PersonaTable({ state }: { state: PersonaBrowserState }) {
  const router = useRouter();
  const { filter, setFilter, query, rows, total, run, sort } = state;
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: query.hasNextPage ? rows.length + 1 : rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 20 && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  }, [lastIndex, rows.length, query]);

  const sortHeader = (key: string, label: string, title?: string, className = '') => {
    const active = sort === key;
    const nextDir = active && (filter.dir ?? 'asc') === 'asc' ? 'desc' : 'asc';
    return (
      <button
        type="button"
        className={`text-left font-semibold hover:text-teal-800 ${active ? 'text-teal-800' : ''} ${className}`}
        title={title}
        onClick={() => setFilter({ ...filter, sort: key as PersonaListQuery['sort'], dir: nextDir })}
        data-testid={`sort-${key}`}
        aria-sort={active ? ((filter.dir ?? 'asc') === 'asc' ? 'ascending' : 'descending') : 'none'}
      >
        {label}
        {active ? ((filter.dir ?? 'asc') === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    );
  };

  const grid = 'grid grid-cols-[3.25rem_minmax(0,1fr)_5.5rem_5.5rem_3.25rem_repeat(5,2.5rem)_4.5rem] items-center gap-2 px-3';

  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
    <div className="min-w-[46rem]" role="table" aria-label="Personas" aria-rowcount={total ?? undefined} data-testid="persona-table">
      <div className={`${grid} border-b border-slate-200 bg-slate-100 py-2 text-xs text-slate-700`} role="row">
        <span role="columnheader">{sortHeader('id', 'ID')}</span>
        <span role="columnheader">
          {sortHeader('name', 'Persona')} <span className="font-normal text-slate-500">·</span> {sortHeader('source', 'source')}
        </span>
        <span role="columnheader">{sortHeader('status', 'Status')}</span>
        <span role="columnheader">Flags</span>
        <span role="columnheader" className="text-right">
          {sortHeader('critic', 'Critic', 'Lowest critic score, 1-10 (higher is better)')}
        </span>
        {TRAITS.map((t) => (
          <span key={t} role="columnheader" className="text-right">
            {sortHeader(t, t, `${TRAIT_NAMES[t]}, common 1-5 scale`)}
          </span>
        ))}
        <span role="columnheader" className="text-right">
          {sortHeader('weight', run ? `Weight #${run.id}` : 'Weight', run ? `Weight in run #${run.id} ${run.name}` : 'Weight in an alignment run (none finished yet)')}
        </span>
      </div>
      <div ref={parentRef} className="relative h-[520px] overflow-auto" data-testid="persona-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((vi) => {
            const r = rows[vi.index];
            return (
              <div
                key={vi.key}
                role="row"
                // The whole row opens the persona; links, buttons and inputs inside keep their own click.
                onClick={(e) => {
                  if (r && !(e.target as HTMLElement).closest('a,button,input,select,label')) router.push(`/personas/${r.id}`);
                }}
                className={`${grid} absolute left-0 top-0 w-full cursor-pointer border-b border-slate-100 text-sm hover:bg-teal-50/40`}
                style={{ height: vi.size, transform: `translateY(${vi.start}px)` }}
                data-testid={r ? 'persona-row' : 'persona-row-loading'}
                data-id={r?.id}
              >
                {r ? (
                  <PersonaRowCells r={r} />
                ) : (
                  <span className="col-span-full text-slate-500">Loading more…</span>
                )}
              </div>
            );
          })}
        </div>
        {!query.isLoading && rows.length === 0 && (
          <p className="p-4 text-sm text-slate-600" data-testid="no-results">
            No persona matches these filters.
          </p>
        )}
      </div>
    </div>
    </div>
  );
}
