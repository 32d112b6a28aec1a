'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { filterFromSearchParams, filterToSearchParams } from '@/lib/personas/schema';
import { REVIEW_QUEUES, type ReviewQueueName } from '@/lib/review/schema';
import { useMayChange } from '../Access';
import { DecisionBar } from './DecisionBar';
import { PersonaCard } from './PersonaCard';
import { QueueHeader } from './QueueHeader';
import { ReasonPicker } from './ReasonPicker';
import { SessionPanel } from './SessionPanel';
import { DEFAULT_SHORTCUTS, loadShortcuts, type Shortcuts } from './shortcuts';
import { useReviewKeys } from './useReviewKeys';
import { useReviewQueue, type Scope } from './useReviewQueue';

/**
 * The keyboard review screen: a queue (the alignment pool by default, or the persona filter in the URL) riskiest
 * first, accept, reject with a reason picked by number, next / previous, undo, and the count left in the queue.
 */
export function ReviewScreen({
  initialReviewer,
  reasonCodes,
  reasonRequired,
  signedIn = false,
}: {
  initialReviewer: string | null;
  reasonCodes: { code: string; label: string }[];
  /** A reject must name a reason (POPULACE_REVIEW_REASON_REQUIRED). */
  reasonRequired: boolean;
  /** Sign-in is required: the reviewer is the signed-in account, not a typed name. */
  signedIn?: boolean;
}) {
  const mayChange = useMayChange();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filterQs = useMemo(() => {
    const { sort: _s, dir: _d, offset: _o, limit: _l, ...rest } = filterFromSearchParams(new URLSearchParams(searchParams.toString()));
    return filterToSearchParams(rest).toString();
  }, [searchParams]);
  const queueParam = searchParams.get('queue');
  const queue: ReviewQueueName = (REVIEW_QUEUES as readonly string[]).includes(queueParam ?? '') ? (queueParam as ReviewQueueName) : 'pool';

  const [reviewer, setReviewer] = useState(initialReviewer);
  const [scope, setScope] = useState<Scope>('pending');
  const [index, setIndex] = useState(0);
  const [note, setNote] = useState('');
  const [picker, setPicker] = useState<{ reason: string | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [shortcuts, setShortcuts] = useState<Shortcuts>(DEFAULT_SHORTCUTS);
  const [showHelp, setShowHelp] = useState(true);
  const [showSettings, setShowSettings] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const q = useReviewQueue({ reviewer, queue, scope, filterQs });

  useEffect(() => setShortcuts(loadShortcuts()), []);
  useEffect(() => setIndex(0), [queue, scope, filterQs, reviewer]);
  const loadMore = useRef(q.loadMore);
  loadMore.current = q.loadMore;
  useEffect(() => {
    if (index >= q.items.length - 5) loadMore.current();
  }, [index, q.items.length, q.hasMore]);

  const current = q.items[index] ?? null;
  const decisionFor = (id: number) => [...q.session].reverse().find((d) => d.personaId === id && !d.undone) ?? null;
  useEffect(() => {
    setNote('');
    setPicker(null);
  }, [current?.id]);

  const reasonLabel = (code: string) => reasonCodes.find((r) => r.code === code)?.label ?? code;
  const say = (text: string) => {
    q.clearError();
    setNotice(text);
  };

  async function decide(decision: 'accept' | 'reject', reasonCode: string | null = null) {
    if (!current || q.busy) return;
    const persona = current;
    try {
      await q.decide({ personaId: persona.id, decision, reasonCode, note: note.trim() || null });
    } catch {
      return; // shown by the one error display
    }
    setPicker(null);
    say(`${decision === 'accept' ? 'Accepted' : 'Rejected'} #${persona.id}${reasonCode ? ` (${reasonLabel(reasonCode)})` : ''}.`);
    setIndex((i) => Math.min(i + 1, q.items.length));
  }

  async function undo() {
    const last = [...q.session].reverse().find((d) => !d.undone);
    if (!last) return say('Nothing to undo in this session.');
    if (q.busy) return;
    try {
      await q.undo(last.decisionId);
    } catch {
      return;
    }
    const at = q.items.findIndex((it) => it.id === last.personaId);
    if (at >= 0) setIndex(at);
    say(`Undid the ${last.decision} of #${last.personaId}.`);
  }

  const openPicker = (reason: string | null = null) => {
    if (current && mayChange) setPicker({ reason });
  };
  const next = () => setIndex((i) => Math.min(i + 1, Math.max(q.items.length - 1, 0)));
  const previous = () => setIndex((i) => Math.max(i - 1, 0));

  const confirmReject = () => picker && (picker.reason || !reasonRequired) && void decide('reject', picker.reason);
  useReviewKeys({
    disabled: !reviewer || showSettings,
    shortcuts,
    reasonCodes,
    picker: picker && { onPick: (reason) => setPicker({ reason }), onConfirm: confirmReject, onCancel: () => setPicker(null) },
    onDigit: (reason) => openPicker(reason),
    onAction: (act) => {
      if (act === 'accept') void decide('accept');
      else if (act === 'reject') openPicker();
      else if (act === 'next') next();
      else if (act === 'previous') previous();
      else if (act === 'undo') void undo();
      else if (act === 'note') noteRef.current?.focus();
      else if (act === 'help') setShowHelp((h) => !h);
    },
  });

  const setQueue = (next: ReviewQueueName) => {
    const sp = new URLSearchParams(filterQs);
    if (next !== 'pool') sp.set('queue', next);
    const qs = sp.toString();
    router.replace(`${pathname}${qs ? `?${qs}` : ''}`);
  };
  const done = reviewer && !q.loading && !q.hasMore && index >= q.items.length && q.items.length > 0;
  const status = q.error ?? notice;

  return (
    <div className="space-y-4" data-testid="review-screen">
      <QueueHeader
        signedIn={signedIn}
        reviewer={reviewer}
        onReviewer={setReviewer}
        queue={queue}
        onQueue={setQueue}
        scope={scope}
        onScope={setScope}
        filterQs={filterQs}
        remaining={q.remaining}
        decided={q.session.filter((d) => !d.undone).length}
      />
      {!reviewer ? (
        mayChange ? <p className="text-sm text-slate-700">Enter your name to start: every decision is recorded under it, with the time.</p> : null
      ) : (
        <div className="grid grid-cols-[minmax(0,1fr)_18rem] gap-5">
          <section className="min-w-0 space-y-3" aria-label="Persona under review">
            {status && (
              <p className={`rounded px-3 py-1.5 text-sm ${q.error ? 'bg-rose-50 text-rose-900' : 'bg-emerald-50 text-emerald-900'}`} role="status" aria-live="polite" data-testid="review-message" data-kind={q.error ? 'error' : 'ok'}>
                {status}
              </p>
            )}
            {q.items.length === 0 && (
              <p className="rounded border border-slate-200 bg-white p-3 text-sm text-slate-700" data-testid="queue-empty">
                {q.loading ? 'Loading the queue…' : 'Nothing to review in this queue.'}
              </p>
            )}
            {done && (
              <p className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm" data-testid="queue-done">
                You reached the end of this queue.
              </p>
            )}
            {current && <PersonaCard persona={current} decision={decisionFor(current.id)} />}
            {current && picker && (
              <ReasonPicker
                reasonCodes={reasonCodes}
                selected={picker.reason}
                required={reasonRequired}
                busy={q.busy}
                personaId={current.id}
                onPick={(reason) => setPicker({ reason })}
                onConfirm={confirmReject}
                onCancel={() => setPicker(null)}
              />
            )}
            {current && (
              <DecisionBar
                note={note}
                onNote={setNote}
                noteRef={noteRef}
                shortcuts={shortcuts}
                busy={q.busy || !mayChange}
                canUndo={q.session.some((d) => !d.undone)}
                onAccept={() => void decide('accept')}
                onReject={() => openPicker()}
                onPrevious={previous}
                onNext={next}
                onUndo={() => void undo()}
              />
            )}
          </section>
          <SessionPanel
            shortcuts={shortcuts}
            onShortcuts={setShortcuts}
            showHelp={showHelp}
            showSettings={showSettings}
            onSettings={setShowSettings}
            reasonCount={reasonCodes.length}
            session={q.session}
            reasonLabel={reasonLabel}
            reviewer={reviewer}
            upNext={q.items.slice(index, index + 8)}
          />
        </div>
      )}
    </div>
  );
}
