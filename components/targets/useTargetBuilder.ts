'use client';
/**
 * The visual target builder's state: the compact reference (fetched once), the whole sample's and the selection's
 * summaries (counted in the browser on every change), regions with their counts, the searchable country list, and
 * the warnings and norms that follow from the selection.
 */
import { useMemo, useState } from 'react';
import type { CustomRegion } from '@/lib/groups/schema';
import { SMALL_SAMPLE, selectionWarnings, summarize, type Gender } from '@/lib/groups/builder';
import { REGION_PRESETS } from '@/lib/targets/countries';
import type { ReferenceFilters } from '@/lib/targets/schema';
import { ALPHA2_TO_MCCRAE } from './builderHelpers';
import { useBuilderReference } from './useBuilderReference';
import { MAPPED_CODES } from './WorldMap';

export function useTargetBuilder({ filters, onFilters, customRegions }: { filters: ReferenceFilters; onFilters: (f: ReferenceFilters) => void; customRegions: CustomRegion[] }) {
  const { wire, ref, error } = useBuilderReference();
  const [search, setSearch] = useState('');

  const whole = useMemo(() => (ref ? summarize(ref, { countries: [], genders: [] }) : null), [ref]);
  const totals = useMemo(() => {
    const out: Record<string, number> = {};
    if (ref && whole) {
      // whole.perCountry applies no age/gender choice: respondents per country
      ref.countries.forEach((c, k) => (out[c] = whole.perCountry[k]!));
    }
    return out;
  }, [ref, whole]);
  const { summary, ms } = useMemo(() => {
    if (!ref) return { summary: null, ms: 0 };
    const t0 = performance.now();
    const s = summarize(ref, { countries: filters.countries, ageMin: filters.ageMin, ageMax: filters.ageMax, genders: filters.genders as Gender[] });
    return { summary: s, ms: performance.now() - t0 };
  }, [ref, filters]);

  const nameOf = (code: string) => wire?.names[code] ?? code;
  const setCountries = (countries: string[]) => onFilters({ ...filters, countries });
  const regions = [
    ...Object.entries(REGION_PRESETS).map(([id, r]) => ({ id, label: r.label, countries: r.countries })),
    ...customRegions.map((r) => ({ id: `custom:${r.name}`, label: `${r.name} (custom)`, countries: r.countries })),
  ];
  const regionCount = (codes: string[]) => codes.reduce((a, c) => a + (totals[c] ?? 0), 0);
  const offMap = (wire?.countries ?? []).filter((c) => !MAPPED_CODES.has(c)).sort((a, b) => (totals[b] ?? 0) - (totals[a] ?? 0));
  const listed = (wire?.countries ?? [])
    .map((c) => ({ code: c, name: nameOf(c), n: totals[c] ?? 0 }))
    .filter((c) => !search.trim() || c.name.toLowerCase().includes(search.trim().toLowerCase()) || c.code.toLowerCase() === search.trim().toLowerCase())
    .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name));
  const warnings = summary ? selectionWarnings(summary, nameOf) : [];
  const thinWithNorms = (summary?.selectedCountries ?? []).filter((c) => c.n < SMALL_SAMPLE && ALPHA2_TO_MCCRAE[c.code]);
  const normsRows = filters.countries
    .filter((c) => wire?.norms[c])
    .map((c) => ({ code: c, name: nameOf(c), t: wire!.norms[c]! }));

  return { wire, ref, error, search, setSearch, whole, totals, summary, ms, nameOf, setCountries, regions, regionCount, offMap, listed, warnings, thinWithNorms, normsRows };
}

export type TargetBuilderState = ReturnType<typeof useTargetBuilder>;
