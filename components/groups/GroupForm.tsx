'use client';

/**
 * Defines (or edits) a group: the reference side with the visual target builder (map, pyramid, regions, searchable
 * country list, norms preset; counts and trait differences on every change), custom regions; the persona side as a
 * description and demographic filters that say how many personas each choice leaves. The reference selection lives
 * in the URL (countries=DE,NL&age=50-99&gender=female), so the address can be shared and a reload restores it.
 */
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { TargetBuilder } from '@/components/targets/TargetBuilder';
import { selectionToQuery, type UrlSelection } from '@/lib/groups/builder';
import type { CustomRegion, GroupDefinition } from '@/lib/groups/schema';
import type { NormsPreset, ReferenceFilters } from '@/lib/targets/schema';
import { ReadOnlyNote, useMayChange } from '@/components/Access';
import { api } from '@/components/api';
import { PersonaSide, type PersonaFilterState } from './PersonaSide';

const neutral = { shift: 0, spread: 1 };

/** Event the form sends after saving a changed definition (the group page marks retrieval and alignment stale). */
export const GROUP_CHANGED_EVENT = 'populace:group-definition-changed';

const stable = (v: unknown) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));

export function GroupForm({
  customRegions,
  initial,
  groupId,
  fromUrl,
  syncUrl = true,
}: {
  customRegions: CustomRegion[];
  initial?: { name: string; definition: GroupDefinition };
  groupId?: number;
  /** A selection read from the page's URL: it replaces the saved reference selection. */
  fromUrl?: UrlSelection | null;
  /** Keep the page's URL in step with the selection (history.replaceState). */
  syncUrl?: boolean;
}) {
  const router = useRouter();
  const mayChange = useMayChange();
  const [name, setName] = useState(initial?.name ?? '');
  const ref0 = initial?.definition.reference;
  const [filters, setFilters] = useState<ReferenceFilters>(() =>
    fromUrl
      ? { countries: fromUrl.countries, genders: fromUrl.genders, ...(fromUrl.ageMin !== undefined ? { ageMin: fromUrl.ageMin } : {}), ...(fromUrl.ageMax !== undefined ? { ageMax: fromUrl.ageMax } : {}) }
      : (ref0?.filters ?? { countries: [], genders: [] }),
  );
  const [preset, setPreset] = useState<NormsPreset>(() => (fromUrl ? (fromUrl.preset ?? { kind: 'none' }) : (ref0?.preset ?? { kind: 'none' })));
  const [regionName, setRegionName] = useState(initial?.definition.region?.name ?? '');
  const p0 = initial?.definition.personas;
  const [description, setDescription] = useState(p0?.description ?? '');
  const [personaFilters, setPersonaFilters] = useState<PersonaFilterState>({
    ageBands: p0?.filters.ageBands ?? [],
    genders: p0?.filters.genders ?? [],
    countries: p0?.filters.countries ?? [],
    occupationContains: p0?.filters.occupationContains ?? '',
    sources: p0?.filters.sources ?? [],
  });
  const [retrieveCount, setRetrieveCount] = useState(p0?.retrieveCount ?? 200);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ at: string; changed: string[] } | null>(null);
  const savedDefinition = useRef(initial?.definition ?? null);

  // the selection in the address bar: shareable, and a reload restores it
  useEffect(() => {
    if (!syncUrl) return;
    const q = selectionToQuery({ ...filters, genders: filters.genders as UrlSelection['genders'], preset: preset as UrlSelection['preset'] });
    const url = `${window.location.pathname}${q ? `?${q}` : ''}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(window.history.state, '', url);
  }, [filters, preset, syncUrl]);

  const spec = useMemo(() => ({ filters, preset, edits: { E: neutral, A: neutral, C: neutral, N: neutral, O: neutral } }), [filters, preset]);

  async function save() {
    setError(null);
    setSaving(true);
    const definition = {
      reference: spec,
      personas: {
        description: description.trim() || undefined,
        filters: {
          ageBands: personaFilters.ageBands,
          genders: personaFilters.genders,
          countries: personaFilters.countries,
          occupationContains: personaFilters.occupationContains.trim() || undefined,
          sources: personaFilters.sources,
        },
        retrieveCount,
      },
      region: regionName.trim() && filters.countries.length ? { name: regionName.trim(), countries: filters.countries } : undefined,
    };
    try {
      const body = await api<{ id: number; definition: GroupDefinition }>(groupId ? `/api/groups/${groupId}` : '/api/groups', {
        method: groupId ? 'PUT' : 'POST',
        json: { name, definition },
      });
      if (!groupId) {
        router.push(`/groups/${body.id}`);
        return;
      }
      // an edit: say so, and tell the page which results the change makes stale
      const before = savedDefinition.current;
      const after = body.definition;
      const changed: string[] = [];
      if (before && stable(before.reference) !== stable(after.reference)) changed.push('reference');
      if (before && stable(before.personas) !== stable(after.personas)) changed.push('personas');
      savedDefinition.current = after;
      setSaved({ at: new Date().toLocaleTimeString('en-GB'), changed });
      if (changed.length) window.dispatchEvent(new CustomEvent(GROUP_CHANGED_EVENT, { detail: { groupId, changed } }));
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
      <TargetBuilder filters={filters} preset={preset} onFilters={setFilters} onPreset={setPreset} customRegions={customRegions} />
      <label className="block max-w-md text-xs">
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
      <fieldset className="space-y-2 border-t border-slate-200 pt-2 text-sm">
        <legend className="font-medium">Personas: who in the pool can play this group</legend>
        <label className="block">
          <span className="text-xs text-slate-600">Describe the group in words (the retrieval query; whole words are matched)</span>
          <textarea
            className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
            rows={2}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            placeholder="e.g. university students in Seoul who study engineering"
            data-testid="group-description"
          />
        </label>
        <PersonaSide value={personaFilters} onChange={setPersonaFilters} />
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
          Demographic filters apply first; the description then ranks the remaining personas. Only measured, non-rejected personas enter
          the aligned set.
        </p>
      </fieldset>
      {error && (
        <p className="text-sm text-red-700" role="alert" data-testid="group-error">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800 disabled:opacity-50"
        disabled={saving || !name.trim() || !mayChange}
        data-testid="save-group"
      >
        {saving ? 'Saving…' : groupId ? 'Save changes' : 'Save group'}
      </button>
      {saved && (
        <p className="text-sm text-emerald-800" role="status" data-testid="group-saved">
          ✓ Saved at {saved.at}.{' '}
          {saved.changed.length
            ? `The ${saved.changed.includes('reference') ? 'human target' : 'persona side'}${saved.changed.length > 1 ? ' and the persona side' : ''} changed: the retrieved personas and the latest alignment below were made for the old definition.`
            : 'Nothing in the definition changed.'}
        </p>
      )}
      <ReadOnlyNote what="saving a group" />
    </form>
  );
}
