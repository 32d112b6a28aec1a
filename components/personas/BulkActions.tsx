'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { filterToSearchParams, isEmptyFilter, type PersonaFilter, type PersonaListQuery } from '@/lib/personas/schema';
import { ReviewerNameForm } from '../review/ReviewerNameForm';
import { fmtInt } from './format';
import { ReadOnlyNote, useMayChange } from '../Access';
import { api } from '../api';

/**
 * Review what the current filter matches: one by one in the keyboard queue (/review with the filter in its URL), or
 * accept / reject all of it at once (the count, a confirmation, one decision per persona).
 */
export function BulkActions({ filter, total, reasonCodes, reviewer: initialReviewer }: { filter: Partial<PersonaListQuery>; total: number | null; reasonCodes: { code: string; label: string }[]; reviewer: string | null }) {
  const queryClient = useQueryClient();
  const mayChange = useMayChange();
  const [reviewer, setReviewer] = useState(initialReviewer);
  const [pending, setPending] = useState<'accept' | 'reject' | null>(null);
  const [reasonCode, setReasonCode] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const { sort: _s, dir: _d, offset: _o, limit: _l, ...onlyFilter } = filter;
  const empty = isEmptyFilter(onlyFilter as PersonaFilter);
  const filterQs = filterToSearchParams(onlyFilter).toString();
  // Whether a reject must name a reason (POPULACE_REVIEW_REASON_REQUIRED); required until the server says otherwise.
  const settings = useQuery({
    queryKey: ['review-reason-settings'],
    queryFn: () => api<{ reasonRequired: boolean }>('/api/review/reason-codes'),
    staleTime: Infinity,
  });
  const reasonNeeded = pending === 'reject' && settings.data?.reasonRequired !== false;

  async function run() {
    if (!pending || total === null) return;
    setBusy(true);
    setMessage(null);
    let body: { saved: number; changed: number };
    try {
      body = await api('/api/review/bulk', {
        json: { filter: onlyFilter, decision: pending, reasonCode: reasonCode || null, note: note || null, expectedCount: total },
        fallback: 'The bulk action failed.',
      });
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
      return;
    } finally {
      setBusy(false);
    }
    setMessage({ kind: 'ok', text: `Recorded ${fmtInt.format(body.saved)} ${pending} decisions as ${reviewer} (${fmtInt.format(body.changed)} statuses changed).` });
    setPending(null);
    setNote('');
    await queryClient.invalidateQueries({ queryKey: ['personas'] });
  }

  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="bulk-actions">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">Review</span>
        <Link
          href={`/review?queue=all${filterQs ? `&${filterQs}` : ''}`}
          className={`shrink-0 whitespace-nowrap rounded border border-slate-400 px-2 py-1 text-slate-800 hover:bg-slate-50 ${total === 0 ? 'pointer-events-none opacity-40' : ''}`}
          aria-disabled={total === 0}
          data-testid="review-one-by-one"
        >
          Review these one by one
        </Link>
        {!mayChange ? (
          <ReadOnlyNote what="bulk review" />
        ) : reviewer ? (
          <>
            <button type="button" className="rounded border border-emerald-600 px-2 py-1 text-emerald-800 hover:bg-emerald-50 disabled:opacity-40" disabled={!total} onClick={() => setPending('accept')} data-testid="bulk-accept">
              Accept all {total === null ? '…' : fmtInt.format(total)}
            </button>
            <button type="button" className="rounded border border-rose-600 px-2 py-1 text-rose-800 hover:bg-rose-50 disabled:opacity-40" disabled={!total} onClick={() => setPending('reject')} data-testid="bulk-reject">
              Reject all {total === null ? '…' : fmtInt.format(total)}
            </button>
            <span className="text-xs text-slate-500">as {reviewer}; one decision is recorded per persona, each can be undone.</span>
          </>
        ) : (
          <ReviewerNameForm reviewer={null} onChange={setReviewer} />
        )}
      </div>
      {pending && total !== null && (
        <div className="mt-3 space-y-2 rounded border border-amber-300 bg-amber-50 p-3" role="alertdialog" aria-labelledby="bulk-confirm-title" data-testid="bulk-confirm">
          <p id="bulk-confirm-title" className="font-medium">
            {pending === 'accept' ? 'Accept' : 'Reject'} <span data-testid="bulk-count">{fmtInt.format(total)}</span> personas matching{' '}
            {empty ? 'no filter (every persona)' : 'the current filter'}?
          </p>
          {pending === 'reject' && <p className="text-xs text-amber-900">Rejected personas leave the alignment pool at once.</p>}
          <div className="flex flex-wrap items-end gap-2">
            <label className="flex flex-col">
              <span className="text-xs text-slate-700">Reason{reasonNeeded ? ' (required)' : ''}</span>
              <select className="rounded border border-slate-300 px-1 py-1" value={reasonCode} onChange={(e) => setReasonCode(e.target.value)} data-testid="bulk-reason">
                <option value="">{reasonNeeded ? 'pick a reason' : 'none'}</option>
                {reasonCodes.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-1 flex-col">
              <span className="text-xs text-slate-700">Note</span>
              <input className="rounded border border-slate-300 px-2 py-1" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} data-testid="bulk-note" />
            </label>
            <button type="button" className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white disabled:opacity-50" disabled={busy || (reasonNeeded && !reasonCode)} onClick={run} data-testid="bulk-confirm-button">
              {busy ? 'Recording…' : `Yes, ${pending} ${fmtInt.format(total)}`}
            </button>
            <button type="button" className="px-2 py-1.5 text-slate-700 underline" onClick={() => setPending(null)} data-testid="bulk-cancel">
              Cancel
            </button>
          </div>
        </div>
      )}
      {message && (
        <p className={`mt-2 ${message.kind === 'ok' ? 'text-emerald-800' : 'text-rose-800'}`} role="status" data-testid="bulk-message">
          {message.text}
        </p>
      )}
    </div>
  );
}
