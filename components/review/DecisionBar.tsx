'use client';

import type { RefObject } from 'react';
import { keyLabel, type Shortcuts } from './shortcuts';

/** The note and the decision buttons under the persona card (each shows its keyboard shortcut). */
export function DecisionBar({
  note,
  onNote,
  noteRef,
  shortcuts,
  busy,
  canUndo,
  onAccept,
  onReject,
  onPrevious,
  onNext,
  onUndo,
}: {
  note: string;
  onNote: (note: string) => void;
  noteRef: RefObject<HTMLTextAreaElement | null>;
  shortcuts: Shortcuts;
  busy: boolean;
  canUndo: boolean;
  onAccept: () => void;
  onReject: () => void;
  onPrevious: () => void;
  onNext: () => void;
  onUndo: () => void;
}) {
  const plain = 'rounded border border-slate-300 px-3 py-1.5 text-sm disabled:opacity-50';
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3" data-testid="decision-bar">
      <label className="block text-sm">
        <span className="font-medium">Note</span> <span className="text-xs text-slate-500">(optional; Esc returns to the shortcuts)</span>
        <textarea ref={noteRef} rows={2} className="mt-1 w-full rounded border border-slate-300 px-2 py-1" value={note} onChange={(e) => onNote(e.target.value)} maxLength={2000} data-testid="review-note" />
      </label>
      <div className="flex flex-wrap gap-2">
        <button type="button" disabled={busy} onClick={onAccept} className="rounded bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-50" data-testid="accept">
          Accept <kbd className="ml-1 rounded bg-white/20 px-1 font-mono text-xs">{keyLabel(shortcuts.accept)}</kbd>
        </button>
        <button type="button" disabled={busy} onClick={onReject} className="rounded bg-rose-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-800 disabled:opacity-50" data-testid="reject">
          Reject… <kbd className="ml-1 rounded bg-white/20 px-1 font-mono text-xs">{keyLabel(shortcuts.reject)}</kbd>
        </button>
        <button type="button" onClick={onPrevious} className={plain} data-testid="previous">
          Previous <kbd className="ml-1 font-mono text-xs">{keyLabel(shortcuts.previous)}</kbd>
        </button>
        <button type="button" onClick={onNext} className={plain} data-testid="next">
          Next <kbd className="ml-1 font-mono text-xs">{keyLabel(shortcuts.next)}</kbd>
        </button>
        <button type="button" disabled={busy || !canUndo} onClick={onUndo} className={plain} data-testid="undo">
          Undo <kbd className="ml-1 font-mono text-xs">{keyLabel(shortcuts.undo)}</kbd>
        </button>
      </div>
    </div>
  );
}
