'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PersonaListRow } from '@/db/queries/personas';
import type { PersonaFlag, QualityScore } from '@/db/schema';
import { filterFromSearchParams, filterToSearchParams } from '@/lib/personas/schema';
import { StatusBadge } from '../personas/StatusBadge';
import { fmt2, fmtInt } from '../personas/format';
import { ReadOnlyNote, useMayChange } from '../Access';
import { ReviewerNameForm } from './ReviewerNameForm';
import { ShortcutSettings } from './ShortcutSettings';
import { DEFAULT_SHORTCUTS, SHORTCUT_ACTIONS, SHORTCUT_LABELS, keyLabel, loadShortcuts, type ShortcutAction, type Shortcuts } from './shortcuts';

interface QueueItem extends PersonaListRow {
  narrative: string;
  flags: PersonaFlag[];
  qualityScores: Record<string, QualityScore> | null;
  age: number | null;
}

interface SessionDecision {
  decisionId: number;
  personaId: number;
  decision: 'accept' | 'reject';
  reasonCode: string | null;
  undone: boolean;
}

const TRAITS = ['E', 'A', 'C', 'N', 'O'] as const;
const TRAIT_NAMES: Record<string, string> = { E: 'Extraversion', A: 'Agreeableness', C: 'Conscientiousness', N: 'Neuroticism', O: 'Openness' };
const BATCH = 40;

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

/** The keyboard review screen: a risk-ordered queue, accept / reject with reason codes, next / previous, undo. */
export function ReviewScreen({
  initialReviewer,
  reasonCodes,
  signedIn = false,
}: {
  initialReviewer: string | null;
  reasonCodes: { code: string; label: string }[];
  /** Sign-in is required: the reviewer is the signed-in account, not a typed name. */
  signedIn?: boolean;
}) {
  const mayChange = useMayChange();
  const searchParams = useSearchParams();
  const filterQs = useMemo(() => {
    const f = filterFromSearchParams(new URLSearchParams(searchParams.toString()));
    const { sort: _s, dir: _d, offset: _o, limit: _l, ...rest } = f;
    return filterToSearchParams(rest).toString();
  }, [searchParams]);

  const [reviewer, setReviewer] = useState(initialReviewer);
  const [scope, setScope] = useState<'pending' | 'second-opinion'>('pending');
  const [items, setItems] = useState<QueueItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [remaining, setRemaining] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [index, setIndex] = useState(0);
  const [session, setSession] = useState<SessionDecision[]>([]);
  const [reason, setReason] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [shortcuts, setShortcuts] = useState<Shortcuts>(DEFAULT_SHORTCUTS);
  const [showHelp, setShowHelp] = useState(true);
  const [showSettings, setShowSettings] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => setShortcuts(loadShortcuts()), []);

  const loadPage = useCallback(
    async (after: string | null, replace: boolean) => {
      setLoading(true);
      const sp = new URLSearchParams(filterQs);
      sp.set('scope', scope);
      sp.set('limit', String(BATCH));
      if (after) sp.set('after', after);
      const res = await fetch(`/api/review/queue?${sp}`);
      const body = await res.json();
      setLoading(false);
      if (!res.ok) {
        setMessage({ kind: 'error', text: body.error?.message ?? 'Could not load the queue.' });
        return;
      }
      setItems((prev) => (replace ? body.items : [...prev, ...body.items.filter((i: QueueItem) => !prev.some((p) => p.id === i.id))]));
      setCursor(body.nextCursor);
      if (replace) setRemaining(body.remaining);
    },
    [filterQs, scope],
  );

  useEffect(() => {
    if (!reviewer) return;
    setIndex(0);
    setSession([]);
    void loadPage(null, true);
  }, [reviewer, loadPage]);

  useEffect(() => {
    if (reviewer && cursor && !loading && index >= items.length - 5) void loadPage(cursor, false);
  }, [index, items.length, cursor, loading, loadPage, reviewer]);

  const current = items[index] ?? null;
  const decisionFor = (personaId: number) => [...session].reverse().find((d) => d.personaId === personaId && !d.undone) ?? null;
  const currentDecision = current ? decisionFor(current.id) : null;

  // Reset the reason and note when moving to another persona (show the recorded reason when it was decided).
  useEffect(() => {
    setReason(currentDecision?.reasonCode ?? null);
    setNote('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current?.id]);

  const decide = useCallback(
    async (decision: 'accept' | 'reject') => {
      if (!current || busy) return;
      setBusy(true);
      const res = await fetch('/api/review/decisions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ personaId: current.id, decision, reasonCode: reason, note: note.trim() || null }),
      });
      const body = await res.json();
      setBusy(false);
      if (!res.ok) {
        setMessage({ kind: 'error', text: body.error?.message ?? 'The decision was not saved.' });
        return;
      }
      setSession((s) => [...s, { decisionId: body.decision.id, personaId: current.id, decision, reasonCode: reason, undone: false }]);
      setItems((list) => list.map((it) => (it.id === current.id ? { ...it, status: body.status } : it)));
      const label = reasonCodes.find((r) => r.code === reason)?.label;
      setMessage({ kind: 'ok', text: `${decision === 'accept' ? 'Accepted' : 'Rejected'} #${current.id}${label ? ` (${label})` : ''}.` });
      setIndex((i) => Math.min(i + 1, items.length));
    },
    [current, busy, reason, note, reasonCodes, items.length],
  );

  const undo = useCallback(async () => {
    const last = [...session].reverse().find((d) => !d.undone);
    if (!last || busy) {
      if (!last) setMessage({ kind: 'error', text: 'Nothing to undo in this session.' });
      return;
    }
    setBusy(true);
    const res = await fetch('/api/review/undo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decisionId: last.decisionId }) });
    const body = await res.json();
    setBusy(false);
    if (!res.ok) {
      setMessage({ kind: 'error', text: body.error?.message ?? 'Undo failed.' });
      return;
    }
    setSession((s) => s.map((d) => (d.decisionId === last.decisionId ? { ...d, undone: true } : d)));
    setItems((list) => list.map((it) => (it.id === last.personaId ? { ...it, status: body.status } : it)));
    const at = items.findIndex((it) => it.id === last.personaId);
    if (at >= 0) setIndex(at);
    setMessage({ kind: 'ok', text: `Undid the ${last.decision} of #${last.personaId}; its status is ${body.status} again.` });
  }, [session, busy, items]);

  const handler = useRef<(e: KeyboardEvent) => void>(() => {});
  handler.current = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && isTyping(e.target)) {
      (e.target as HTMLElement).blur();
      return;
    }
    if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey || !reviewer || showSettings) return;
    const digit = /^[1-9]$/.test(e.key) ? Number(e.key) : null;
    if (digit !== null) {
      const code = reasonCodes[digit - 1]?.code;
      if (code) {
        e.preventDefault();
        setReason((r) => (r === code ? null : code));
      }
      return;
    }
    const action = (Object.entries(shortcuts) as [ShortcutAction, string][]).find(([, k]) => k === e.key || (k.length === 1 && k.toLowerCase() === e.key))?.[0];
    const arrow = e.key === 'ArrowRight' ? 'next' : e.key === 'ArrowLeft' ? 'previous' : null;
    const act = action ?? arrow;
    if (!act) return;
    e.preventDefault();
    if (act === 'accept') void decide('accept');
    else if (act === 'reject') void decide('reject');
    else if (act === 'next') setIndex((i) => Math.min(i + 1, Math.max(items.length - 1, 0)));
    else if (act === 'previous') setIndex((i) => Math.max(i - 1, 0));
    else if (act === 'undo') void undo();
    else if (act === 'note') noteRef.current?.focus();
    else if (act === 'help') setShowHelp((h) => !h);
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => handler.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const decidedCount = session.filter((d) => !d.undone).length;
  const done = reviewer && !loading && items.length > 0 && index >= items.length && !cursor;

  return (
    <div className="space-y-4" data-testid="review-screen">
      <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white p-3">
        {signedIn ? (
          reviewer ? (
            <div className="flex items-center gap-2 text-sm" data-testid="reviewer-current">
              <span className="text-slate-600">Reviewing as</span>
              <strong data-testid="reviewer-name">{reviewer}</strong>
              <span className="text-slate-500">(your account)</span>
            </div>
          ) : (
            <ReadOnlyNote what="reviewing" />
          )
        ) : (
          <ReviewerNameForm reviewer={reviewer} onChange={setReviewer} autoFocus />
        )}
        <div className="flex items-center gap-3 text-sm">
          <label className="flex items-center gap-1">
            Queue
            <select className="rounded border border-slate-300 px-1 py-0.5" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)} data-testid="scope">
              <option value="pending">pending (not yet accepted or rejected)</option>
              <option value="second-opinion">second opinion (judged by others, not by you)</option>
            </select>
          </label>
          {filterQs && (
            <span className="text-xs text-slate-600" data-testid="queue-filter">
              filtered: {decodeURIComponent(filterQs)} ·{' '}
              <Link className="underline" href="/review">
                clear
              </Link>
            </span>
          )}
        </div>
      </div>

      {!reviewer ? (
        mayChange ? <p className="text-sm text-slate-700">Enter your name to start: every decision is recorded under it, with the time.</p> : null
      ) : (
        <div className="grid grid-cols-[minmax(0,1fr)_18rem] gap-5">
          <section className="min-w-0 space-y-3" aria-label="Persona under review">
            <div className="flex items-center justify-between text-sm text-slate-700">
              <span data-testid="queue-position">
                {items.length === 0 ? (loading ? 'Loading the queue…' : 'The queue is empty.') : `Persona ${Math.min(index + 1, items.length)} of ${fmtInt.format(remaining ?? items.length)} in the queue`}
                {' · '}
                <span title="decisions you made on this screen and did not undo">{decidedCount} decided this session</span>
              </span>
              <span className="text-xs text-slate-500">Order: flagged first, then lowest critic score, then oldest.</span>
            </div>

            {message && (
              <p className={`rounded px-3 py-1.5 text-sm ${message.kind === 'ok' ? 'bg-emerald-50 text-emerald-900' : 'bg-rose-50 text-rose-900'}`} role="status" aria-live="polite" data-testid="review-message">
                {message.text}
              </p>
            )}

            {done && (
              <p className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm" data-testid="queue-done">
                You reached the end of this queue.
              </p>
            )}

            {current && (
              <article className="space-y-3 rounded-lg border border-slate-300 bg-white p-4 shadow-sm" data-testid="review-card" data-id={current.id} data-status={current.status}>
                <header className="flex flex-wrap items-center gap-2">
                  <h2 className="text-lg font-semibold">
                    <Link href={`/personas/${current.id}`} className="hover:underline" target="_blank">
                      #{current.id} {current.name ?? (current.occupation !== 'unknown' ? current.occupation : 'Unnamed persona')}
                    </Link>
                  </h2>
                  <StatusBadge status={current.status} testId="review-status" />
                  <span className="text-xs text-slate-500">{current.sourceId}</span>
                  {currentDecision && (
                    <span className="rounded bg-slate-900 px-1.5 py-0.5 text-xs text-white" data-testid="review-decided">
                      you {currentDecision.decision}ed this
                    </span>
                  )}
                </header>
                {current.flags.length > 0 && (
                  <ul className="space-y-1 text-sm" data-testid="review-flags">
                    {current.flags.map((f, i) => (
                      <li key={i} className="rounded border border-amber-300 bg-amber-50 px-2 py-1">
                        <strong>{f.code}</strong>: {f.reason}
                        {f.relatedPersonaId && (
                          <>
                            {' '}
                            ·{' '}
                            <Link className="underline" href={`/personas/${f.relatedPersonaId}`} target="_blank">
                              twin #{f.relatedPersonaId}
                            </Link>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                <p className="max-h-72 overflow-auto whitespace-pre-wrap leading-relaxed" data-testid="review-narrative">
                  {current.narrative}
                </p>
                <dl className="grid grid-cols-2 gap-x-6 gap-y-1 border-t border-slate-100 pt-2 text-sm md:grid-cols-4">
                  <div>
                    <dt className="text-xs text-slate-500">Age / band</dt>
                    <dd>
                      {current.age ?? 'unknown'} / {current.ageBand}
                    </dd>
                  </div>
                  <div>
                    <dt className="text-xs text-slate-500">Gender</dt>
                    <dd>{current.gender}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-slate-500">Country</dt>
                    <dd>{current.country}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-slate-500">Occupation</dt>
                    <dd className="truncate">{current.occupation}</dd>
                  </div>
                </dl>
                <div className="grid gap-3 border-t border-slate-100 pt-2 text-sm md:grid-cols-2">
                  <div>
                    <p className="text-xs text-slate-500">Critic scores (1-10, higher is better)</p>
                    {current.qualityScores ? (
                      <ul>
                        {Object.entries(current.qualityScores).map(([k, v]) => (
                          <li key={k}>
                            <span className="tabular-nums font-medium">{v.score}</span> {k}: <span className="text-slate-600">{v.reason}</span>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p className="text-slate-600">not scored</p>
                    )}
                  </div>
                  <div>
                    <p className="text-xs text-slate-500">Traits (common 1-5 scale{current.instrumentId ? `, ${current.instrumentId}` : ''})</p>
                    {current.E === null ? (
                      <p className="text-slate-600">not measured</p>
                    ) : (
                      <p className="tabular-nums">
                        {TRAITS.map((t) => (
                          <span key={t} className="mr-3" title={TRAIT_NAMES[t]}>
                            {t} {fmt2(current[t])}
                          </span>
                        ))}
                      </p>
                    )}
                  </div>
                </div>
              </article>
            )}

            {current && (
              <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3">
                <fieldset>
                  <legend className="text-sm font-medium">Reason (press its number; press again to clear)</legend>
                  <div className="mt-1 flex flex-wrap gap-1.5" data-testid="reason-codes">
                    {reasonCodes.map((r, i) => (
                      <button
                        key={r.code}
                        type="button"
                        aria-pressed={reason === r.code}
                        onClick={() => setReason((x) => (x === r.code ? null : r.code))}
                        className={`rounded border px-2 py-1 text-sm ${reason === r.code ? 'border-slate-900 bg-slate-900 text-white' : 'border-slate-300 bg-white hover:bg-slate-50'}`}
                        data-testid={`reason-${r.code}`}
                      >
                        <kbd className="mr-1 font-mono text-xs opacity-70">{i + 1}</kbd>
                        {r.label}
                      </button>
                    ))}
                  </div>
                </fieldset>
                <label className="block text-sm">
                  <span className="font-medium">Note</span> <span className="text-xs text-slate-500">(optional; Esc returns to the shortcuts)</span>
                  <textarea ref={noteRef} rows={2} className="mt-1 w-full rounded border border-slate-300 px-2 py-1" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} data-testid="review-note" />
                </label>
                <div className="flex flex-wrap gap-2">
                  <button type="button" disabled={busy} onClick={() => decide('accept')} className="rounded bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-50" data-testid="accept">
                    Accept <kbd className="ml-1 rounded bg-white/20 px-1 font-mono text-xs">{keyLabel(shortcuts.accept)}</kbd>
                  </button>
                  <button type="button" disabled={busy} onClick={() => decide('reject')} className="rounded bg-rose-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-800 disabled:opacity-50" data-testid="reject">
                    Reject <kbd className="ml-1 rounded bg-white/20 px-1 font-mono text-xs">{keyLabel(shortcuts.reject)}</kbd>
                  </button>
                  <button type="button" onClick={() => setIndex((i) => Math.max(i - 1, 0))} className="rounded border border-slate-300 px-3 py-1.5 text-sm" data-testid="previous">
                    Previous <kbd className="ml-1 font-mono text-xs">{keyLabel(shortcuts.previous)}</kbd>
                  </button>
                  <button type="button" onClick={() => setIndex((i) => Math.min(i + 1, Math.max(items.length - 1, 0)))} className="rounded border border-slate-300 px-3 py-1.5 text-sm" data-testid="next">
                    Next <kbd className="ml-1 font-mono text-xs">{keyLabel(shortcuts.next)}</kbd>
                  </button>
                  <button type="button" disabled={busy || !session.some((d) => !d.undone)} onClick={undo} className="rounded border border-slate-300 px-3 py-1.5 text-sm disabled:opacity-50" data-testid="undo">
                    Undo <kbd className="ml-1 font-mono text-xs">{keyLabel(shortcuts.undo)}</kbd>
                  </button>
                </div>
              </div>
            )}
          </section>

          <aside className="space-y-4 text-sm" aria-label="Shortcuts and session">
            <div className="rounded-lg border border-slate-200 bg-white p-3" data-testid="shortcut-help">
              <div className="flex items-center justify-between">
                <h2 className="font-semibold">Keyboard</h2>
                <button type="button" className="text-xs text-teal-800 underline" onClick={() => setShowSettings(true)} data-testid="customize-shortcuts">
                  customize
                </button>
              </div>
              {showHelp ? (
                <ul className="mt-1 space-y-0.5">
                  {SHORTCUT_ACTIONS.map((a) => (
                    <li key={a} className="flex justify-between gap-2">
                      <span>{SHORTCUT_LABELS[a]}</span>
                      <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono" data-testid={`shortcut-${a}`}>
                        {keyLabel(shortcuts[a])}
                      </kbd>
                    </li>
                  ))}
                  <li className="flex justify-between gap-2">
                    <span>Pick a reason</span>
                    <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono">1-{reasonCodes.length}</kbd>
                  </li>
                  <li className="flex justify-between gap-2">
                    <span>Next / previous</span>
                    <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono">→ / ←</kbd>
                  </li>
                </ul>
              ) : (
                <p className="text-xs text-slate-500">Press {keyLabel(shortcuts.help)} to show the shortcuts.</p>
              )}
            </div>
            {showSettings && <ShortcutSettings shortcuts={shortcuts} onClose={() => setShowSettings(false)} onSave={setShortcuts} />}
            <div className="rounded-lg border border-slate-200 bg-white p-3">
              <h2 className="font-semibold">This session</h2>
              {session.length === 0 ? (
                <p className="text-slate-600">No decisions yet.</p>
              ) : (
                <ol className="mt-1 space-y-0.5" data-testid="session-log">
                  {[...session].reverse().map((d) => (
                    <li key={d.decisionId} className={d.undone ? 'text-slate-400 line-through' : ''} data-testid="session-entry" data-undone={d.undone ? 'yes' : 'no'}>
                      #{d.personaId} {d.decision}
                      {d.reasonCode ? ` · ${reasonCodes.find((r) => r.code === d.reasonCode)?.label ?? d.reasonCode}` : ''}
                    </li>
                  ))}
                </ol>
              )}
              {reviewer && (
                <Link className="mt-2 inline-block text-teal-800 underline" href={`/reviewers/${encodeURIComponent(reviewer)}`} data-testid="my-history">
                  My full history
                </Link>
              )}
            </div>
            <div className="rounded-lg border border-slate-200 bg-white p-3">
              <h2 className="font-semibold">Up next</h2>
              <ol className="mt-1 space-y-0.5">
                {items.slice(index, index + 8).map((it, k) => (
                  <li key={it.id} className={`truncate ${k === 0 ? 'font-medium' : 'text-slate-600'}`}>
                    #{it.id} {it.flagCodes.length ? `⚑ ${it.flagCodes.join(',')}` : ''} {it.minCriticScore !== null ? `critic ${it.minCriticScore}` : ''} {it.excerpt.slice(0, 40)}
                  </li>
                ))}
              </ol>
            </div>
          </aside>
        </div>
      )}
    </div>
  );
}
