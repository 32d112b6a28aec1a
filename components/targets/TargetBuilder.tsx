'use client';

/**
 * The visual target builder: which reference respondents a group stands for, chosen on a world map (click, drag,
 * keyboard), an age-gender pyramid (brush, range inputs, gender toggles), one-click regions and a searchable
 * country list; the respondent count, per-country counts and small-sample warnings update on every change from one
 * compact copy of the reference fetched once (lib/groups/builder.ts), and the selection's traits are compared with
 * the whole sample and with published country norms.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { CustomRegion } from '@/lib/groups/schema';
import {
  AGE_BANDS,
  AGE_MAX,
  AGE_MIN,
  ageBandIndex,
  bandsToAges,
  decodeReference,
  SMALL_SAMPLE,
  selectionWarnings,
  summarize,
  toggleIn,
  type CompactReference,
  type Gender,
  type SelectionSummary,
  type Trait,
} from '@/lib/groups/builder';
import { MCCRAE_TO_ALPHA2, REGION_PRESETS } from '@/lib/targets/countries';
import { presetFromValue, presetToValue, type NormsPreset, type ReferenceFilters } from '@/lib/targets/schema';
import { HelpTip } from '@/components/HelpTip';
import { api } from '@/components/api';
import { AgePyramid, type PyramidBand } from './AgePyramid';
import { TraitShift } from './TraitShift';
import { MAPPED_CODES, WorldMap } from './WorldMap';

interface Wire {
  referenceSetId: string;
  n: number;
  countries: string[];
  names: Record<string, string>;
  data: string;
  norms: Record<string, Record<Trait, number>>;
}

const ALPHA2_TO_MCCRAE = Object.fromEntries(Object.entries(MCCRAE_TO_ALPHA2).map(([k, v]) => [v, k]));
const JOHNSON_GROUPS = ['Female <21', 'Female 21-40', 'Female 41-60', 'Female >60', 'Male <21', 'Male 21-40', 'Male 41-60', 'Male >60'];
const GENDER_OPTIONS = [
  { value: 'female', label: 'female' },
  { value: 'male', label: 'male' },
  { value: 'other', label: 'other' },
];

/** Loads the compact reference once per page (cached by react-query). */
export function useBuilderReference(referenceSetId = 'big5') {
  const q = useQuery({
    queryKey: ['builder-reference', referenceSetId],
    staleTime: Infinity,
    queryFn: () => api<Wire>(`/api/reference/builder?set=${encodeURIComponent(referenceSetId)}`),
  });
  const ref = useMemo<CompactReference | null>(() => (q.data ? decodeReference(q.data) : null), [q.data]);
  return { wire: q.data ?? null, ref, error: q.error ? (q.error as Error).message : null };
}

/** Pyramid bands of a summary: [female, male, other + unknown]. */
export function pyramidBands(s: SelectionSummary): PyramidBand[] {
  return s.pyramid.map((r) => ({
    label: r.label,
    all: [r.all[0], r.all[1], r.all[2] + r.all[3]],
    selected: [r.selected[0], r.selected[1], r.selected[2] + r.selected[3]],
  }));
}

/** The band range a selection's age bounds cover (null when there is no bound). */
export function bandRange(f: { ageMin?: number; ageMax?: number }): [number, number] | null {
  if (f.ageMin === undefined && f.ageMax === undefined) return null;
  return [Math.max(0, ageBandIndex(f.ageMin ?? AGE_MIN)), Math.max(0, ageBandIndex(f.ageMax ?? AGE_MAX))];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function TargetBuilder({
  filters,
  preset,
  onFilters,
  onPreset,
  customRegions,
}: {
  filters: ReferenceFilters;
  preset: NormsPreset;
  onFilters: (f: ReferenceFilters) => void;
  onPreset: (p: NormsPreset) => void;
  customRegions: CustomRegion[];
}) {
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
  const presetValue = presetToValue(preset);
  const normsRows = filters.countries
    .filter((c) => wire?.norms[c])
    .map((c) => ({ code: c, name: nameOf(c), t: wire!.norms[c]! }));

  if (error) return <p className="text-sm text-red-700" role="alert">Could not load the reference respondents: {error}</p>;

  return (
    <fieldset className="space-y-3" data-testid="target-builder">
      <legend className="text-sm font-medium">Human reference: who this group stands for</legend>
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

      <div className="grid gap-3 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
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

        <div className="min-w-0 space-y-2">
          <div className="rounded border border-slate-200 bg-slate-50 p-2 text-sm" data-testid="respondent-preview" aria-live="polite">
            {summary ? (
              <>
                <div>
                  <span className="text-lg font-semibold tabular-nums" data-testid="respondent-count" data-value={summary.n} data-compute-ms={ms.toFixed(2)}>
                    {summary.n.toLocaleString('en-US')}
                  </span>{' '}
                  respondents
                  <HelpTip term="respondents" />
                  <span className="text-xs text-slate-500"> of {ref!.n.toLocaleString('en-US')}</span>
                </div>
                {summary.selectedCountries.length > 0 && (
                  <ul className="mt-1 flex max-h-24 flex-wrap gap-x-3 overflow-y-auto text-xs text-slate-600" aria-label="Respondents per selected country" data-testid="selected-countries">
                    {summary.selectedCountries.map((c) => (
                      <li key={c.code} className={c.n < SMALL_SAMPLE ? 'text-amber-800' : undefined} data-code={c.code}>
                        {nameOf(c.code)}: <span className="tabular-nums">{c.n}</span>
                        {c.n < SMALL_SAMPLE ? ' ⚠' : ''}
                      </li>
                    ))}
                  </ul>
                )}
                {warnings.map((w) => (
                  <p key={w} className="mt-1 text-xs text-amber-800" data-testid="respondent-warning">
                    ⚠ {w}
                  </p>
                ))}
                {preset.kind === 'none' && thinWithNorms.length > 0 && (
                  <div className="mt-1 flex flex-wrap gap-1 text-xs">
                    <span className="text-slate-600">Use published norms instead:</span>
                    {thinWithNorms.map((c) => (
                      <button
                        key={c.code}
                        type="button"
                        className="rounded border border-teal-600 px-1.5 py-0.5 text-teal-800 hover:bg-teal-50"
                        onClick={() => onPreset({ kind: 'mccrae', country: ALPHA2_TO_MCCRAE[c.code]! })}
                        data-testid={`norms-fallback-${c.code}`}
                      >
                        McCrae & Terracciano: {nameOf(c.code)}
                      </button>
                    ))}
                  </div>
                )}
              </>
            ) : (
              <span className="text-slate-500">Counting respondents…</span>
            )}
          </div>
          {summary && (
            <AgePyramid
              bands={pyramidBands(summary)}
              title={`Age and gender of the respondents ${filters.countries.length ? 'in the chosen countries' : 'in all countries'}`}
              testId="builder-pyramid"
              brush={{
                range: bandRange(filters),
                onRange: (a, b) => onFilters({ ...filters, ...bandsToAges(a, b) }),
              }}
              ages={{ min: AGE_MIN, max: AGE_MAX, ageMin: filters.ageMin, ageMax: filters.ageMax, onAges: (ageMin, ageMax) => onFilters({ ...filters, ageMin, ageMax }) }}
              genders={{
                options: GENDER_OPTIONS,
                selected: filters.genders,
                onToggle: (g) => onFilters({ ...filters, genders: toggleIn(filters.genders, g as Gender) }),
              }}
              note={summary.unknownAge ? `${summary.unknownAge} respondents of these countries give no age (left out once an age bound is set).` : undefined}
            />
          )}
          <label className="block text-xs">
            <span className="text-slate-600">Norms preset (shifts the target’s trait means to published norms)</span>
            <select
              className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
              value={presetValue}
              data-testid="preset-select"
              onChange={(e) => onPreset(presetFromValue(e.target.value))}
            >
              <option value="none">None: the respondents as they are</option>
              <optgroup label="McCrae & Terracciano (2005) country profiles">
                {Object.keys(wire?.norms ?? {})
                  .filter((c) => ALPHA2_TO_MCCRAE[c])
                  .sort((a, b) => nameOf(a).localeCompare(nameOf(b)))
                  .map((c) => (
                    <option key={c} value={`mccrae:${ALPHA2_TO_MCCRAE[c]}`}>
                      {nameOf(c)}
                    </option>
                  ))}
              </optgroup>
              <optgroup label="Johnson IPIP-NEO-120 norms by sex and age">
                {JOHNSON_GROUPS.map((g) => (
                  <option key={g} value={`johnson:${g}`}>
                    {g}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
        </div>
      </div>
      {summary && whole && <TraitShift selection={summary} all={whole} norms={normsRows} />}
      <p className="sr-only">Age bands: {AGE_BANDS.map((b) => b.label).join(', ')}.</p>
    </fieldset>
  );
}
