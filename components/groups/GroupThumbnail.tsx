'use client';

/** The group's reference selection at a glance: a thumbnail map (selected countries outlined) and age-gender pyramid. */
import { useMemo } from 'react';
import { summarize, type Gender } from '@/lib/groups/builder';
import type { ReferenceFilters } from '@/lib/targets/schema';
import { AgePyramid } from '@/components/targets/AgePyramid';
import { pyramidBands, useBuilderReference } from '@/components/targets/TargetBuilder';
import { WorldMap } from '@/components/targets/WorldMap';

export function GroupThumbnail({ filters }: { filters: ReferenceFilters }) {
  const { wire, ref } = useBuilderReference();
  const data = useMemo(() => {
    if (!ref) return null;
    const all = summarize(ref, { countries: [], genders: [] });
    const totals: Record<string, number> = {};
    ref.countries.forEach((c, k) => (totals[c] = all.perCountry[k]!));
    return { totals, summary: summarize(ref, { ...filters, genders: filters.genders as Gender[] }) };
  }, [ref, filters]);
  if (!data || !wire) return <div className="h-24 w-full animate-pulse rounded bg-slate-100" aria-label="Loading the selection thumbnail" />;
  const names = filters.countries.map((c) => wire.names[c] ?? c);
  return (
    <div className="grid items-start gap-2 sm:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]" data-testid="group-thumbnail" data-countries={filters.countries.join(',')}>
      <WorldMap
        counts={data.totals}
        selected={filters.countries}
        thumbnail
        title={`Selected countries: ${names.length ? names.join(', ') : 'all countries'}`}
        testId="group-thumbnail-map"
      />
      <AgePyramid bands={pyramidBands(data.summary)} title="Age and gender of the selection" thumbnail testId="group-thumbnail-pyramid" />
    </div>
  );
}
