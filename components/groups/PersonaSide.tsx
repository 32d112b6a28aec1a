'use client';

/**
 * The persona side of a group: the pool's own demographics as a pyramid (with "unknown" as its own column and row)
 * and a map, and the persona filters, each choice saying how many personas it leaves; an empty result says why.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { countPersonas, toggleIn, type PersonaDemographics } from '@/lib/groups/builder';
import { AgePyramid, type PyramidBand } from '@/components/targets/AgePyramid';
import { WorldMap } from '@/components/targets/WorldMap';
import { api } from '@/components/api';

export interface PersonaFilterState {
  ageBands: string[];
  genders: string[];
  countries: string[];
  occupationContains: string;
  sources: string[];
}

const n = (v: number | undefined) => (v ?? 0).toLocaleString('en-US');

export function usePersonaDemographics() {
  return useQuery({
    queryKey: ['persona-demographics'],
    staleTime: 60_000,
    queryFn: () => api<PersonaDemographics>('/api/groups/personas'),
  });
}

/** Pyramid rows of persona counts: unknown age at the bottom, columns female, male, unknown (other in the note). */
export function personaPyramid(pyramid: Record<string, Record<string, number>>, ageBands: string[]): PyramidBand[] {
  const order = ['unknown', ...ageBands.filter((a) => a !== 'unknown')];
  return order
    .filter((a) => pyramid[a])
    .map((a) => {
      const row = pyramid[a]!;
      return { label: a, all: [row.female ?? 0, row.male ?? 0, row.unknown ?? 0] as [number, number, number] };
    });
}

function Choice({ label, count, checked, onChange }: { label: string; count: number; checked: boolean; onChange: () => void }) {
  return (
    <label className={`mr-2 inline-flex items-center gap-1 ${count === 0 && !checked ? 'text-slate-400' : ''}`}>
      <input type="checkbox" checked={checked} onChange={onChange} />
      {label} <span className="tabular-nums text-slate-500">({n(count)})</span>
    </label>
  );
}

export function PersonaSide({ value, onChange }: { value: PersonaFilterState; onChange: (v: PersonaFilterState) => void }) {
  const q = usePersonaDemographics();
  const counts = useMemo(() => (q.data ? countPersonas(q.data, value) : null), [q.data, value]);
  if (q.error) return <p className="text-sm text-red-700">Could not load the personas’ demographics: {(q.error as Error).message}</p>;
  if (!q.data || !counts) return <p className="text-xs text-slate-500">Loading the personas’ demographics…</p>;
  const demo = q.data;
  const other = Object.values(counts.pyramid).reduce((a, r) => a + (r.other ?? 0), 0);
  const unknownCountry = demo.rows.length - Object.values(countPersonasAll(demo)).reduce((a, b) => a + b, 0);
  const countryValues = [...new Set([...demo.countries.map((c) => c.value), ...value.countries])]
    .map((v) => ({ v, c: counts.countries[v] ?? 0 }))
    .sort((a, b) => b.c - a.c || a.v.localeCompare(b.v))
    .slice(0, 40);
  const set = (patch: Partial<PersonaFilterState>) => onChange({ ...value, ...patch });
  return (
    <div className="space-y-2" data-testid="persona-side">
      <p className={`text-sm ${counts.matching === 0 ? 'font-medium text-red-700' : ''}`} data-testid="persona-count" data-value={counts.matching} aria-live="polite">
        {counts.matching === 0 ? counts.emptyReason : `${n(counts.matching)} of ${n(counts.total)} personas match the filters`}
      </p>
      <div className="text-xs" role="group" aria-label="Persona age band">
        <span className="text-slate-600">Age band </span>
        {demo.ageBands.map((b) => (
          <Choice key={b} label={b} count={counts.ageBands[b] ?? 0} checked={value.ageBands.includes(b)} onChange={() => set({ ageBands: toggleIn(value.ageBands, b) })} />
        ))}
      </div>
      <div className="text-xs" role="group" aria-label="Persona gender">
        <span className="text-slate-600">Gender </span>
        {demo.genders.map((g) => (
          <Choice key={g} label={g} count={counts.genders[g] ?? 0} checked={value.genders.includes(g)} onChange={() => set({ genders: toggleIn(value.genders, g) })} />
        ))}
      </div>
      <div className="max-h-20 overflow-y-auto text-xs" role="group" aria-label="Persona country">
        <span className="text-slate-600">Country (as stored) </span>
        {countryValues.map(({ v, c }) => (
          <Choice key={v} label={v} count={c} checked={value.countries.some((x) => x.toLowerCase() === v.toLowerCase())} onChange={() => set({ countries: value.countries.some((x) => x.toLowerCase() === v.toLowerCase()) ? value.countries.filter((x) => x.toLowerCase() !== v.toLowerCase()) : [...value.countries, v] })} />
        ))}
      </div>
      <div className="text-xs" role="group" aria-label="Persona sources">
        <span className="text-slate-600">Sources (none ticked = all) </span>
        {demo.sources.map((s) => (
          <Choice key={s} label={s} count={counts.sources[s] ?? 0} checked={value.sources.includes(s)} onChange={() => set({ sources: toggleIn(value.sources, s) })} />
        ))}
      </div>
      <label className="block text-xs">
        <span className="text-slate-600">Occupation contains</span>
        <input className="mt-0.5 w-full rounded border border-slate-300 px-1 py-0.5" value={value.occupationContains} onChange={(e) => set({ occupationContains: e.target.value })} data-testid="persona-occupation" />
      </label>
      <div className="grid gap-2 sm:grid-cols-2">
        <AgePyramid
          bands={personaPyramid(counts.pyramid, demo.ageBands)}
          columns={['female', 'male', 'unknown']}
          title="Age and gender of the matching personas"
          unit="personas"
          testId="persona-pyramid"
          note={other ? `${other} personas with gender "other" are not drawn.` : undefined}
        />
        <WorldMap
          counts={counts.perCode}
          selected={[]}
          title={`Matching personas per country (${n(unknownCountry)} of all personas have no known country)`}
          unit="personas"
          markSmall={false}
          testId="persona-map"
        />
      </div>
    </div>
  );
}

function countPersonasAll(demo: PersonaDemographics): Record<string, number> {
  return countPersonas(demo, { ageBands: [], genders: [], countries: [], sources: [] }).perCode;
}
