'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { memo, useState } from 'react';
import type { TargetSpec } from '@/lib/targets/schema';
import { ReadOnlyNote, useMayChange } from '../Access';
import { api } from '../api';

export interface SavedTarget {
  id: number;
  name: string;
  updatedAt: string;
  spec: TargetSpec;
}

/** Save the current target under a name, and reload saved ones. */
function SavedTargetsView({ spec, onLoad }: { spec: TargetSpec; onLoad: (t: SavedTarget) => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const mayChange = useMayChange();
  const list = useQuery({
    queryKey: ['targets'],
    queryFn: async () => (await api<{ targets: SavedTarget[] }>('/api/targets', { cache: 'no-store' })).targets,
  });
  const save = useMutation({
    mutationFn: () => api('/api/targets', { json: { name, spec } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['targets'] }),
  });
  return (
    <fieldset className="space-y-2 text-sm">
      <legend className="font-medium">Saved targets</legend>
      <form
        className="flex gap-1"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) save.mutate();
        }}
      >
        <input
          className="min-w-0 flex-1 rounded border border-slate-300 px-1 py-0.5 text-xs"
          placeholder="Name this target"
          aria-label="Target name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="target-name"
        />
        <button type="submit" className="rounded bg-teal-700 px-2 py-0.5 text-xs text-white disabled:opacity-50" disabled={!name.trim() || save.isPending || !mayChange} data-testid="save-target">
          Save
        </button>
      </form>
      <ReadOnlyNote what="saving a target" />
      {save.error ? <p className="text-xs text-red-700">{(save.error as Error).message}</p> : null}
      {save.isSuccess ? <p className="text-xs text-emerald-800">Saved.</p> : null}
      <ul className="max-h-32 overflow-y-auto text-xs" data-testid="saved-targets">
        {(list.data ?? []).map((t) => (
          <li key={t.id} className="flex items-center justify-between">
            <span className="truncate">{t.name}</span>
            <button type="button" className="text-teal-700 underline" onClick={() => onLoad(t)}>
              load
            </button>
          </li>
        ))}
        {list.data?.length === 0 ? <li className="text-slate-500">None saved yet.</li> : null}
      </ul>
    </fieldset>
  );
}

/** Memoised: re-renders only when its props change, not on every live update of the studio. */
export const SavedTargets = memo(SavedTargetsView);
