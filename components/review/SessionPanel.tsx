'use client';

import Link from 'next/link';
import { ShortcutSettings } from './ShortcutSettings';
import { SHORTCUT_ACTIONS, SHORTCUT_LABELS, keyLabel, type Shortcuts } from './shortcuts';
import type { QueueItem, SessionDecision } from './useReviewQueue';

/** The side column: keyboard shortcuts (with their settings), this session's decisions, and what comes next. */
export function SessionPanel({
  shortcuts,
  onShortcuts,
  showHelp,
  showSettings,
  onSettings,
  reasonCount,
  session,
  reasonLabel,
  reviewer,
  upNext,
}: {
  shortcuts: Shortcuts;
  onShortcuts: (s: Shortcuts) => void;
  showHelp: boolean;
  showSettings: boolean;
  onSettings: (open: boolean) => void;
  reasonCount: number;
  session: SessionDecision[];
  reasonLabel: (code: string) => string;
  reviewer: string;
  upNext: QueueItem[];
}) {
  const kbd = 'rounded border border-slate-300 bg-slate-50 px-1.5 font-mono';
  return (
    <aside className="space-y-4 text-sm" aria-label="Shortcuts and session">
      <div className="rounded-lg border border-slate-200 bg-white p-3" data-testid="shortcut-help">
        <div className="flex items-center justify-between">
          <h2 className="font-semibold">Keyboard</h2>
          <button type="button" className="text-xs text-teal-800 underline" onClick={() => onSettings(true)} data-testid="customize-shortcuts">
            customize
          </button>
        </div>
        {showHelp ? (
          <ul className="mt-1 space-y-0.5">
            {SHORTCUT_ACTIONS.map((a) => (
              <li key={a} className="flex justify-between gap-2">
                <span>{SHORTCUT_LABELS[a]}</span>
                <kbd className={kbd} data-testid={`shortcut-${a}`}>
                  {keyLabel(shortcuts[a])}
                </kbd>
              </li>
            ))}
            <li className="flex justify-between gap-2">
              <span>Reason picker: pick, confirm, cancel</span>
              <kbd className={`${kbd} whitespace-nowrap`}>1-{reasonCount} ⏎ Esc</kbd>
            </li>
            <li className="flex justify-between gap-2">
              <span>Next / previous</span>
              <kbd className={kbd}>→ / ←</kbd>
            </li>
          </ul>
        ) : (
          <p className="text-xs text-slate-500">Press {keyLabel(shortcuts.help)} to show the shortcuts.</p>
        )}
      </div>
      {showSettings && <ShortcutSettings shortcuts={shortcuts} onClose={() => onSettings(false)} onSave={onShortcuts} />}
      <div className="rounded-lg border border-slate-200 bg-white p-3">
        <h2 className="font-semibold">This session</h2>
        {session.length === 0 ? (
          <p className="text-slate-600">No decisions yet.</p>
        ) : (
          <ol className="mt-1 space-y-0.5" data-testid="session-log">
            {[...session].reverse().map((d) => (
              <li key={d.decisionId} className={d.undone ? 'text-slate-400 line-through' : ''} data-testid="session-entry" data-undone={d.undone ? 'yes' : 'no'}>
                #{d.personaId} {d.decision}
                {d.reasonCode ? ` · ${reasonLabel(d.reasonCode)}` : ''}
              </li>
            ))}
          </ol>
        )}
        <Link className="mt-2 inline-block text-teal-800 underline" href={`/reviewers/${encodeURIComponent(reviewer)}`} data-testid="my-history">
          My full history
        </Link>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-3">
        <h2 className="font-semibold">Up next</h2>
        <ol className="mt-1 space-y-0.5">
          {upNext.map((it, k) => (
            <li key={it.id} className={`truncate ${k === 0 ? 'font-medium' : 'text-slate-600'}`}>
              #{it.id} {it.flagCodes.length ? `⚑ ${it.flagCodes.join(',')}` : ''} {it.minCriticScore !== null ? `critic ${it.minCriticScore}` : ''} {it.excerpt.slice(0, 40)}
            </li>
          ))}
        </ol>
      </div>
    </aside>
  );
}
