'use client';

import { useState } from 'react';
import { DEFAULT_SHORTCUTS, SHORTCUT_ACTIONS, SHORTCUT_LABELS, isUsableKey, keyLabel, saveShortcuts, type ShortcutAction, type Shortcuts } from './shortcuts';

/** Rebinds the review shortcuts: click an action, press a key. Saved in this browser. */
export function ShortcutSettings({ shortcuts, onSave, onClose }: { shortcuts: Shortcuts; onSave: (s: Shortcuts) => void; onClose: () => void }) {
  const [draft, setDraft] = useState<Shortcuts>(shortcuts);
  const [listening, setListening] = useState<ShortcutAction | null>(null);
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="rounded-lg border border-teal-300 bg-teal-50 p-3" role="dialog" aria-label="Customize shortcuts" data-testid="shortcut-settings">
      <h2 className="font-semibold">Customize shortcuts</h2>
      <p className="text-xs text-slate-600">Click a key, then press the new one (one character, not a digit: digits pick reasons).</p>
      <ul className="mt-2 space-y-1">
        {SHORTCUT_ACTIONS.map((a) => (
          <li key={a} className="flex items-center justify-between gap-2">
            <span>{SHORTCUT_LABELS[a]}</span>
            <button
              type="button"
              className={`min-w-10 rounded border px-2 font-mono ${listening === a ? 'border-teal-700 bg-white' : 'border-slate-300 bg-white'}`}
              onClick={() => setListening(a)}
              onKeyDown={(e) => {
                if (listening !== a || e.key === 'Tab') return;
                e.preventDefault();
                e.stopPropagation();
                if (e.key === 'Escape') return setListening(null);
                if (!isUsableKey(e.key)) return setError(`"${e.key}" cannot be used: pick one character that is not a digit.`);
                const clash = SHORTCUT_ACTIONS.find((b) => b !== a && draft[b] === e.key);
                if (clash) return setError(`"${e.key}" is already used for ${SHORTCUT_LABELS[clash].toLowerCase()}.`);
                setDraft({ ...draft, [a]: e.key });
                setError(null);
                setListening(null);
              }}
              aria-label={`Key for ${SHORTCUT_LABELS[a]}: ${draft[a]}. Activate, then press the new key.`}
              data-testid={`shortcut-edit-${a}`}
            >
              {listening === a ? 'press…' : keyLabel(draft[a])}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="mt-1 text-xs text-rose-800" role="alert">
          {error}
        </p>
      )}
      <div className="mt-2 flex gap-2">
        <button
          type="button"
          className="rounded bg-teal-700 px-2 py-1 text-white"
          onClick={() => {
            saveShortcuts(draft);
            onSave(draft);
            onClose();
          }}
          data-testid="shortcut-save"
        >
          Save
        </button>
        <button type="button" className="rounded border border-slate-300 bg-white px-2 py-1" onClick={() => setDraft(DEFAULT_SHORTCUTS)}>
          Defaults
        </button>
        <button type="button" className="px-2 py-1 underline" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
