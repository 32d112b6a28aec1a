'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PersonaListRow } from '@/db/queries/personas';
import {
  PERSONA_SORTS,
  PERSONA_STATUSES,
  filterFromSearchParams,
  filterToSearchParams,
  type PersonaListQuery,
} from '@/lib/personas/schema';
import { api } from '../api';
import { BulkActions } from './BulkActions';
import { StatusBadge } from './StatusBadge';
import { fmt2, fmtInt, fmtWeight } from './format';

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

/** "age 64% known (given 13%, stated 12%, inferred 39%)" for each field. */
function DemographicsCoverage({ coverage }: { coverage: Facets['demographics'] }) {
  return (
    <div className="text-xs text-slate-600" data-testid="demographics-coverage">
      <p className="font-semibold uppercase tracking-wide">Demographics known</p>
      {(['age', 'gender', 'country', 'occupation'] as const).map((f) => {
        const c = coverage[f];
        const total = Object.values(c).reduce((a, n) => a + n, 0) || 1;
        const known = (c.given ?? 0) + (c.stated ?? 0) + (c.inferred ?? 0);
        const pct = (n: number) => `${Math.round((100 * n) / total)}%`;
        return (
          <p key={f} title="given: the source's own field; stated: the narrative says it; inferred: pronouns, a decade, a demonym or a place">
            {f}: {pct(known)} known ({['given', 'stated', 'inferred'].map((o) => `${o} ${pct(c[o] ?? 0)}`).join(', ')})
          </p>
        );
      })}
    </div>
  );
}

interface Page {
  total: number | null;
  nextOffset: number | null;
  sort: string;
  rows: PersonaListRow[];
  run: Facets['run'];
}

const PAGE_SIZE = 150;
const ROW_HEIGHT = 60;
const TRAITS = ['E', 'A', 'C', 'N', 'O'] as const;
const TRAIT_NAMES: Record<string, string> = { E: 'Extraversion', A: 'Agreeableness', C: 'Conscientiousness', N: 'Neuroticism', O: 'Openness' };

type Filter = Partial<PersonaListQuery>;

function toggle(list: string[] | undefined, value: string): string[] {
  const s = new Set(list ?? []);
  if (s.has(value)) s.delete(value);
  else s.add(value);
  return [...s];
}

function CheckGroup({ legend, name, options, selected, onChange }: { legend: string; name: string; options: { value: string; label: string; n?: number }[]; selected?: string[]; onChange: (v: string[]) => void }) {
  return (
    <fieldset className="space-y-0.5" data-testid={`filter-${name}`}>
      <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={selected?.includes(o.value) ?? false} onChange={() => onChange(toggle(selected, o.value))} data-testid={`filter-${name}-${o.value}`} />
          <span>{o.label}</span>
          {o.n !== undefined && <span className="text-xs tabular-nums text-slate-500">{fmtInt.format(o.n)}</span>}
        </label>
      ))}
    </fieldset>
  );
}

function RangeInputs({ label, minKey, maxKey, filter, set, min, max, step, title }: { label: string; minKey: keyof Filter; maxKey: keyof Filter; filter: Filter; set: (f: Filter) => void; min: number; max: number; step: number; title: string }) {
  const input = (key: keyof Filter, placeholder: string) => (
    <input
      type="number"
      min={min}
      max={max}
      step={step}
      aria-label={`${label} ${placeholder}`}
      placeholder={placeholder}
      className="w-16 rounded border border-slate-300 px-1 py-0.5 text-sm tabular-nums"
      value={(filter[key] as number | undefined) ?? ''}
      onChange={(e) => {
        const v = e.target.value === '' ? undefined : Number(e.target.value);
        set({ ...filter, [key]: v !== undefined && v >= min && v <= max ? v : undefined });
      }}
      data-testid={`filter-${String(key)}`}
    />
  );
  return (
    <div className="flex items-center justify-between gap-1 text-sm" title={title}>
      <span>{label}</span>
      <span className="flex items-center gap-1">
        {input(minKey, 'min')}–{input(maxKey, 'max')}
      </span>
    </div>
  );
}

/** The persona browser: filters kept in the URL, a virtualised table paged from the server, bulk actions. */
export function PersonaBrowser({ facets, reasonCodes, reviewer }: { facets: Facets; reasonCodes: { code: string; label: string }[]; reviewer: string | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filter = useMemo(() => filterFromSearchParams(new URLSearchParams(searchParams.toString())), [searchParams]);
  const qs = filterToSearchParams(filter).toString();
  const [search, setSearch] = useState(filter.q ?? '');

  const setFilter = (next: Filter) => {
    const s = filterToSearchParams(next).toString();
    router.replace(s ? `${pathname}?${s}` : pathname, { scroll: false });
  };

  // Debounced search box -> URL.
  useEffect(() => {
    const t = setTimeout(() => {
      if ((filter.q ?? '') !== search.trim()) setFilter({ ...filter, q: search.trim() || undefined, sort: filter.sort === 'relevance' && !search.trim() ? undefined : filter.sort });
    }, 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  const query = useInfiniteQuery({
    queryKey: ['personas', qs],
    initialPageParam: 0,
    queryFn: async ({ pageParam, signal }): Promise<Page> => {
      const sp = new URLSearchParams(qs);
      sp.set('offset', String(pageParam));
      sp.set('limit', String(PAGE_SIZE));
      return api<Page>(`/api/personas?${sp}`, { signal, fallback: 'Could not load personas' });
    },
    getNextPageParam: (last) => last.nextOffset ?? undefined,
  });

  // Facet counts follow the rest of the filter; the values offered stay those of the whole set.
  const filtered = useQuery({
    queryKey: ['persona-facets', qs],
    queryFn: ({ signal }) => api<Facets>(`/api/personas/facets?${qs}`, { signal, fallback: 'Could not count the filter values' }),
    enabled: qs !== '',
    placeholderData: (prev) => prev,
  });
  const counts = qs === '' ? facets : (filtered.data ?? facets);
  const countOf = (list: { value: string; n: number }[], value: string) => list.find((x) => x.value === value)?.n ?? 0;

  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.rows) ?? [], [query.data]);
  const total = query.data?.pages[0]?.total ?? null;
  const run = query.data?.pages[0]?.run ?? facets.run;
  const sort = query.data?.pages[0]?.sort ?? filter.sort ?? 'id';

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
    <div className="grid grid-cols-1 gap-5 md:grid-cols-[13.5rem_minmax(0,1fr)]">
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
            <RangeInputs key={t} label={`${t} ${TRAIT_NAMES[t]!.slice(0, 5)}.`} minKey={`${t}min` as keyof Filter} maxKey={`${t}max` as keyof Filter} filter={filter} set={setFilter} min={1} max={5} step={0.1} title={`${TRAIT_NAMES[t]} on the common 1-5 scale`} />
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
                      <>
                        <span role="cell" className="tabular-nums">
                          <Link href={`/personas/${r.id}`} className="text-teal-800 underline">
                            {r.id}
                          </Link>
                        </span>
                        <span role="cell" className="min-w-0">
                          <span className="block truncate" title={r.excerpt}>
                            {r.name ? <strong className="font-medium">{r.name}{r.occupation !== 'unknown' ? `, ${r.occupation}` : ''}: </strong> : null}
                            {r.excerpt}
                          </span>
                          <span className="block truncate text-xs text-slate-500">
                            {r.sourceId}
                            {r.ageBand !== 'unknown' ? ` · ${r.ageBand}` : ''}
                            {r.gender !== 'unknown' ? ` · ${r.gender}` : ''}
                            {r.country !== 'unknown' ? ` · ${r.country}` : ''}
                            {r.duplicateOfId ? ` · duplicate of #${r.duplicateOfId}` : ''}
                          </span>
                        </span>
                        <span role="cell">
                          <StatusBadge status={r.status} />
                        </span>
                        <span role="cell" className="truncate text-xs text-amber-800">
                          {r.flagCodes.join(', ')}
                        </span>
                        <span role="cell" className="text-right tabular-nums">
                          {r.minCriticScore ?? '—'}
                        </span>
                        {TRAITS.map((t) => (
                          <span key={t} role="cell" className="text-right tabular-nums">
                            {fmt2(r[t])}
                          </span>
                        ))}
                        <span role="cell" className="text-right tabular-nums">
                          {fmtWeight(r.weight)}
                          {r.selected ? <span title="in the run's selection"> ✓</span> : null}
                        </span>
                      </>
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
        <p className="text-xs text-slate-500">
          Trait scores E A C N O are on the common 1-5 scale, from the persona&apos;s preferred instrument (IPIP-50, then BFI-44, then
          Mini-Markers rescaled). Critic = the lowest score any critic gave (1-10, higher is better; — = not scored). Weight = the
          persona&apos;s weight in the run named in the column header (✓ = in its selection); choose the run under &quot;Weights from run&quot;. The filter is part of the URL: copy it to share this view.
        </p>
      </section>
    </div>
  );
}
