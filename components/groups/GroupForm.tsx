'use client';

/**
 * Defines (or edits) a group: the reference side with the studio's TargetPicker (regions, countries, age, gender,
 * norms preset), custom regions, a live respondent count with warnings and a norms fallback; the persona side as a
 * description and demographic filters.
 */
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { TargetPicker, type TargetOptions } from '@/components/studio/TargetPicker';
import { PERSONA_AGE_BANDS, PERSONA_GENDERS, type CustomRegion, type GroupDefinition } from '@/lib/groups/schema';
import { MCCRAE_TO_ALPHA2 } from '@/lib/targets/countries';
import type { NormsPreset, ReferenceFilters } from '@/lib/targets/schema';
import { HelpTip } from '@/components/HelpTip';
import { ReadOnlyNote, useMayChange } from '@/components/Access';

interface Preview {
  n: number;
  warnings: string[];
  description: string;
  perCountry: { code: string; name: string; n: number }[];
  error: string | null;
}

const ALPHA2_TO_MCCRAE = Object.fromEntries(Object.entries(MCCRAE_TO_ALPHA2).map(([k, v]) => [v, k]));
const neutral = { shift: 0, spread: 1 };

export function GroupForm({
  options,
  customRegions,
  personaSources,
  initial,
  groupId,
}: {
  options: TargetOptions;
  customRegions: CustomRegion[];
  personaSources: { id: string; name: string }[];
  initial?: { name: string; definition: GroupDefinition };
  groupId?: number;
}) {
  const router = useRouter();
  const mayChange = useMayChange();
  const [name, setName] = useState(initial?.name ?? '');
  const [filters, setFilters] = useState<ReferenceFilters>(initial?.definition.reference.filters ?? { countries: [], genders: [] });
  const [preset, setPreset] = useState<NormsPreset>(initial?.definition.reference.preset ?? { kind: 'none' });
  const [regionName, setRegionName] = useState(initial?.definition.region?.name ?? '');
  const p0 = initial?.definition.personas;
  const [description, setDescription] = useState(p0?.description ?? '');
  const [ageBands, setAgeBands] = useState<string[]>(p0?.filters.ageBands ?? []);
  const [genders, setGenders] = useState<string[]>(p0?.filters.genders ?? []);
  const [countries, setCountries] = useState((p0?.filters.countries ?? []).join(', '));
  const [occupation, setOccupation] = useState(p0?.filters.occupationContains ?? '');
  const [sources, setSources] = useState<string[]>(p0?.filters.sources ?? []);
  const [retrieveCount, setRetrieveCount] = useState(p0?.retrieveCount ?? 200);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  // custom regions join the picker's region list (counts from the per-country counts)
  const pickerOptions = useMemo<TargetOptions>(() => {
    const countOf = (c: string) => options.countries.find((x) => x.code === c)?.n ?? 0;
    return {
      ...options,
      regions: [
        ...options.regions,
        ...customRegions.map((r) => ({ id: `custom:${r.name}`, label: `${r.name} (custom)`, countries: r.countries, n: r.countries.reduce((a, c) => a + countOf(c), 0) })),
      ],
    };
  }, [options, customRegions]);

  const spec = useMemo(() => ({ filters, preset, edits: { E: neutral, A: neutral, C: neutral, N: neutral, O: neutral } }), [filters, preset]);
  useEffect(() => {
    const ctl = new AbortController();
    const t = setTimeout(async () => {
      try {
        const res = await fetch('/api/groups/preview', { method: 'POST', body: JSON.stringify({ spec }), signal: ctl.signal });
        const body = await res.json();
        if (res.ok) setPreview(body);
        else setPreview({ n: 0, warnings: [body.error?.message ?? 'Invalid filters'], description: '', perCountry: [], error: body.error?.message ?? 'invalid' });
      } catch {
        // superseded
      }
    }, 250);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [spec]);

  const thinWithNorms = (preview?.perCountry ?? []).filter((c) => c.n < 100 && ALPHA2_TO_MCCRAE[c.code]);
  const toggle = (list: string[], v: string, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v));

  async function save() {
    setError(null);
    setSaving(true);
    const definition = {
      reference: spec,
      personas: {
        description: description.trim() || undefined,
        filters: {
          ageBands,
          genders,
          countries: countries.split(',').map((s) => s.trim()).filter(Boolean),
          occupationContains: occupation.trim() || undefined,
          sources,
        },
        retrieveCount,
      },
      region: regionName.trim() && filters.countries.length ? { name: regionName.trim(), countries: filters.countries } : undefined,
    };
    try {
      const res = await fetch(groupId ? `/api/groups/${groupId}` : '/api/groups', {
        method: groupId ? 'PUT' : 'POST',
        body: JSON.stringify({ name, definition }),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
      router.push(`/groups/${body.id}`);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-3"
      data-testid="group-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="block text-sm">
        <span className="font-medium">Group name</span>
        <input
          className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1"
          value={name}
          required
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Young adults in East Asia"
          data-testid="group-name"
        />
      </label>
      <div className="grid gap-4 md:grid-cols-2">
        <div className="space-y-2">
          <TargetPicker options={pickerOptions} filters={filters} preset={preset} onFilters={setFilters} onPreset={setPreset} />
          <label className="block text-xs">
            <span className="text-slate-600">Save these countries as a custom region named</span>
            <input
              className="mt-0.5 w-full rounded border border-slate-300 px-1 py-0.5"
              value={regionName}
              maxLength={80}
              onChange={(e) => setRegionName(e.target.value)}
              placeholder="(optional) e.g. Nordics"
              data-testid="custom-region-name"
            />
          </label>
          <div className="rounded border border-slate-200 bg-slate-50 p-2 text-sm" data-testid="respondent-preview" aria-live="polite">
            {preview ? (
              <>
                <div>
                  <span className="font-semibold tabular-nums" data-testid="respondent-count" data-value={preview.n}>
                    {preview.n.toLocaleString('en-US')}
                  </span>{' '}
                  respondents
                  <HelpTip term="respondents" />
                  {preview.description ? <span className="text-xs text-slate-500"> · {preview.description}</span> : null}
                </div>
                {preview.perCountry.length > 0 && (
                  <ul className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-600" aria-label="Respondents per country">
                    {preview.perCountry.map((c) => (
                      <li key={c.code} className={c.n < 100 ? 'text-amber-800' : undefined}>
                        {c.name}: <span className="tabular-nums">{c.n}</span>
                      </li>
                    ))}
                  </ul>
                )}
                {preview.warnings.map((w) => (
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
                        onClick={() => setPreset({ kind: 'mccrae', country: ALPHA2_TO_MCCRAE[c.code]! })}
                        data-testid={`norms-fallback-${c.code}`}
                      >
                        McCrae & Terracciano: {c.name}
                      </button>
                    ))}
                  </div>
                )}
              </>
            ) : (
              <span className="text-slate-500">Counting respondents…</span>
            )}
          </div>
        </div>
        <fieldset className="space-y-2 text-sm">
          <legend className="font-medium">Personas</legend>
          <label className="block">
            <span className="text-xs text-slate-600">Describe the group in words (the retrieval query)</span>
            <textarea
              className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
              rows={3}
              maxLength={2000}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              placeholder="e.g. university students in Seoul who study engineering"
              data-testid="group-description"
            />
          </label>
          <div className="text-xs" role="group" aria-label="Persona age band">
            <span className="text-slate-600">Age band </span>
            {PERSONA_AGE_BANDS.map((b) => (
              <label key={b} className="mr-2 inline-flex items-center gap-1">
                <input type="checkbox" checked={ageBands.includes(b)} onChange={(e) => setAgeBands(toggle(ageBands, b, e.target.checked))} />
                {b}
              </label>
            ))}
          </div>
          <div className="text-xs" role="group" aria-label="Persona gender">
            <span className="text-slate-600">Gender </span>
            {PERSONA_GENDERS.map((g) => (
              <label key={g} className="mr-2 inline-flex items-center gap-1">
                <input type="checkbox" checked={genders.includes(g)} onChange={(e) => setGenders(toggle(genders, g, e.target.checked))} />
                {g}
              </label>
            ))}
          </div>
          <div className="grid grid-cols-2 gap-2 text-xs">
            <label className="block">
              <span className="text-slate-600">Persona country (comma-separated)</span>
              <input className="mt-0.5 w-full rounded border border-slate-300 px-1 py-0.5" value={countries} onChange={(e) => setCountries(e.target.value)} />
            </label>
            <label className="block">
              <span className="text-slate-600">Occupation contains</span>
              <input className="mt-0.5 w-full rounded border border-slate-300 px-1 py-0.5" value={occupation} onChange={(e) => setOccupation(e.target.value)} />
            </label>
          </div>
          <div className="text-xs" role="group" aria-label="Persona sources">
            <span className="text-slate-600">Sources (none ticked = all) </span>
            {personaSources.map((s) => (
              <label key={s.id} className="mr-2 inline-flex items-center gap-1" title={s.name}>
                <input type="checkbox" checked={sources.includes(s.id)} onChange={(e) => setSources(toggle(sources, s.id, e.target.checked))} />
                {s.id}
              </label>
            ))}
          </div>
          <label className="block text-xs">
            <span className="text-slate-600">Personas to retrieve</span>
            <input
              type="number"
              min={2}
              max={5000}
              className="mt-0.5 w-28 rounded border border-slate-300 px-1 py-0.5"
              value={retrieveCount}
              onChange={(e) => setRetrieveCount(Number(e.target.value) || 2)}
              data-testid="retrieve-count"
            />
          </label>
          <p className="text-xs text-slate-500">
            Demographic filters apply first; the description then ranks the remaining personas. Only measured, non-rejected personas
            enter the aligned set.
          </p>
        </fieldset>
      </div>
      {error && (
        <p className="text-sm text-red-700" role="alert" data-testid="group-error">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800 disabled:opacity-50"
        disabled={saving || !name.trim() || Boolean(preview?.error) || !mayChange}
        data-testid="save-group"
      >
        {groupId ? 'Save changes' : 'Save group'}
      </button>
      <ReadOnlyNote what="saving a group" />
    </form>
  );
}
