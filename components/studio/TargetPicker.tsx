'use client';

import { memo } from 'react';
import { presetFromValue, presetToValue, type NormsPreset, type ReferenceFilters } from '@/lib/targets/schema';

export interface TargetOptions {
  countries: { code: string; name: string; n: number }[];
  regions: { id: string; label: string; countries: string[]; n: number }[];
  johnsonGroups: string[];
  mccraeCountries: { code: string; name: string }[];
}

const GENDERS = ['female', 'male', 'other'] as const;

/** Chooses the human reference: which respondents (countries, age, gender) and an optional published-norms preset. */
function TargetPickerView({
  options,
  filters,
  preset,
  onFilters,
  onPreset,
}: {
  options: TargetOptions;
  filters: ReferenceFilters;
  preset: NormsPreset;
  onFilters: (f: ReferenceFilters) => void;
  onPreset: (p: NormsPreset) => void;
}) {
  const regionValue =
    options.regions.find(
      (r) => r.countries.length === filters.countries.length && r.countries.every((c) => filters.countries.includes(c)),
    )?.id ?? (filters.countries.length ? 'custom' : 'all');
  const presetValue = presetToValue(preset);

  return (
    <fieldset className="space-y-2 text-sm">
      <legend className="font-medium">Human reference</legend>
      <label className="block">
        <span className="text-xs text-slate-600">Respondents from</span>
        <select
          className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
          value={regionValue}
          data-testid="region-select"
          onChange={(e) => {
            const v = e.target.value;
            if (v === 'all') onFilters({ ...filters, countries: [] });
            else if (v !== 'custom') onFilters({ ...filters, countries: options.regions.find((r) => r.id === v)?.countries ?? [] });
          }}
        >
          <option value="all">All countries (whole BIG5 sample)</option>
          {options.regions.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label} ({r.n.toLocaleString('en-US')} respondents)
            </option>
          ))}
          <option value="custom" disabled={regionValue !== 'custom'}>
            Custom countries
          </option>
        </select>
      </label>
      <details>
        <summary className="cursor-pointer text-xs text-teal-800">Pick countries ({filters.countries.length || 'all'})</summary>
        <div className="mt-1 max-h-40 overflow-y-auto rounded border border-slate-200 bg-white p-1 text-xs">
          {options.countries.map((c) => (
            <label key={c.code} className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={filters.countries.includes(c.code)}
                onChange={(e) =>
                  onFilters({
                    ...filters,
                    countries: e.target.checked ? [...filters.countries, c.code] : filters.countries.filter((x) => x !== c.code),
                  })
                }
              />
              <span className="flex-1">{c.name}</span>
              <span className="tabular-nums text-slate-500">{c.n.toLocaleString('en-US')}</span>
            </label>
          ))}
        </div>
      </details>
      <div className="grid grid-cols-2 gap-2">
        {(
          [
            ['ageMin', 'Age from', '13', 'age-min'],
            ['ageMax', 'Age to', '100', 'age-max'],
          ] as const
        ).map(([field, label, placeholder, testId]) => (
          <label key={field} className="block">
            <span className="text-xs text-slate-600">{label}</span>
            <input
              type="number"
              min={13}
              max={100}
              className="mt-0.5 w-full rounded border border-slate-300 px-1 py-0.5"
              value={filters[field] ?? ''}
              placeholder={placeholder}
              data-testid={testId}
              onChange={(e) => onFilters({ ...filters, [field]: e.target.value === '' ? undefined : Number(e.target.value) })}
            />
          </label>
        ))}
      </div>
      <div className="flex gap-3 text-xs" role="group" aria-label="Gender">
        {GENDERS.map((g) => (
          <label key={g} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={filters.genders.includes(g)}
              onChange={(e) =>
                onFilters({ ...filters, genders: e.target.checked ? [...filters.genders, g] : filters.genders.filter((x) => x !== g) })
              }
            />
            {g}
          </label>
        ))}
        <span className="text-slate-500">(none ticked = all)</span>
      </div>
      <label className="block">
        <span className="text-xs text-slate-600">Published norms preset (sets trait means and SDs)</span>
        <select
          className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
          value={presetValue}
          data-testid="preset-select"
          onChange={(e) => onPreset(presetFromValue(e.target.value))}
        >
          <option value="none">None: the respondents as they are</option>
          <optgroup label="Johnson IPIP-NEO-120, by sex and age">
            {options.johnsonGroups.map((g) => (
              <option key={g} value={`johnson:${g}`}>
                {g}
              </option>
            ))}
          </optgroup>
          <optgroup label="McCrae & Terracciano 2005, by country">
            {options.mccraeCountries.map((c) => (
              <option key={c.code} value={`mccrae:${c.code}`}>
                {c.name}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
    </fieldset>
  );
}

/** Memoised: re-renders only when its props change, not on every live update of the studio. */
export const TargetPicker = memo(TargetPickerView);
