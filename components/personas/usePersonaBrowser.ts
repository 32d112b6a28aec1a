'use client';
/**
 * The persona browser's state: the filter read from and written to the address (search debounced), the pages of
 * matching personas from the server, and the facet counts under the current filter.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import type { PersonaListRow } from '@/lib/personas/service';
import { filterFromSearchParams, filterToSearchParams } from '@/lib/personas/schema';
import { api } from '../api';
import type { Facets } from './PersonaBrowser';
import type { Filter } from './personaColumns';

interface Page {
  total: number | null;
  nextOffset: number | null;
  sort: string;
  rows: PersonaListRow[];
  run: Facets['run'];
}

const PAGE_SIZE = 150;

export function usePersonaBrowser(facets: Facets) {
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


  return { filter, setFilter, search, setSearch, query, counts, countOf, rows, total, run, sort };
}

export type PersonaBrowserState = ReturnType<typeof usePersonaBrowser>;
