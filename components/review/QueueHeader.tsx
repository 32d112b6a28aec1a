'use client';

import Link from 'next/link';
import { describeFilter } from '@/lib/review/describeFilter';
import { REVIEW_QUEUES, QUEUE_LABELS, type ReviewQueueName } from '@/lib/review/schema';
import { ReadOnlyNote } from '../Access';
import { fmtInt } from '../personas/format';
import { ReviewerNameForm } from './ReviewerNameForm';
import type { Scope } from './useReviewQueue';

/** Who reviews, which queue (and filter) is being worked through, and how many personas are left in it. */
export function QueueHeader({
  signedIn,
  reviewer,
  onReviewer,
  queue,
  onQueue,
  scope,
  onScope,
  filterQs,
  remaining,
  decided,
}: {
  signedIn: boolean;
  reviewer: string | null;
  onReviewer: (name: string | null) => void;
  queue: ReviewQueueName;
  onQueue: (queue: ReviewQueueName) => void;
  scope: Scope;
  onScope: (scope: Scope) => void;
  filterQs: string;
  remaining: number | null;
  decided: number;
}) {
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3" data-testid="queue-header">
      <div className="flex flex-wrap items-center justify-between gap-3">
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
          <ReviewerNameForm reviewer={reviewer} onChange={onReviewer} autoFocus />
        )}
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <label className="flex items-center gap-1">
            Queue
            <select className="rounded border border-slate-300 px-1 py-0.5" value={queue} onChange={(e) => onQueue(e.target.value as ReviewQueueName)} data-testid="queue-select">
              {REVIEW_QUEUES.map((q) => (
                <option key={q} value={q}>
                  {QUEUE_LABELS[q]}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1">
            Scope
            <select className="rounded border border-slate-300 px-1 py-0.5" value={scope} onChange={(e) => onScope(e.target.value as Scope)} data-testid="scope">
              <option value="pending">pending (not yet accepted or rejected)</option>
              <option value="second-opinion">second opinion (judged by others, not by you)</option>
            </select>
          </label>
        </div>
      </div>
      {filterQs && (
        <p className="flex flex-wrap items-center gap-2 rounded bg-teal-50 px-2 py-1 text-sm text-teal-950" data-testid="queue-filter">
          <span>
            Working through the filter <strong data-testid="queue-filter-text">{describeFilter(filterQs)}</strong>
          </span>
          <Link className="text-teal-800 underline" href={`/personas?${filterQs}`} data-testid="queue-filter-browse">
            show in the browser
          </Link>
          <Link className="text-teal-800 underline" href="/review" data-testid="queue-filter-clear">
            clear the filter
          </Link>
        </p>
      )}
      {reviewer && (
        <p className="flex flex-wrap items-baseline gap-x-3 text-sm text-slate-700">
          <strong className="text-base tabular-nums" data-testid="queue-remaining" data-value={remaining ?? ''}>
            {remaining === null ? '… left' : `${fmtInt.format(remaining)} left in this queue`}
          </strong>
          <span title="decisions you made on this screen and did not undo" data-testid="decided-count">
            {decided} decided this session
          </span>
          <span className="text-xs text-slate-500">Order: flagged first, then lowest critic score, then oldest.</span>
        </p>
      )}
    </div>
  );
}
