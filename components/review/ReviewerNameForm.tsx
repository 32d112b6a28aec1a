'use client';

import { useState } from 'react';
import { normaliseReviewerName, reviewerCookieString } from '@/lib/review/reviewerName';

/**
 * The reviewer's name when the server needs no sign-in, remembered in the populace_reviewer cookie (with sign-in the
 * account is the reviewer: ReviewScreen shows it instead). Every decision is recorded
 * under this name.
 */
export function ReviewerNameForm({ reviewer, onChange, autoFocus = false }: { reviewer: string | null; onChange: (name: string) => void; autoFocus?: boolean }) {
  const [editing, setEditing] = useState(reviewer === null);
  const [value, setValue] = useState(reviewer ?? '');
  const [error, setError] = useState<string | null>(null);

  if (!editing && reviewer) {
    return (
      <div className="flex items-center gap-2 text-sm" data-testid="reviewer-current">
        <span className="text-slate-600">Reviewing as</span>
        <strong data-testid="reviewer-name">{reviewer}</strong>
        <button type="button" className="text-teal-800 underline" onClick={() => setEditing(true)} data-testid="reviewer-change">
          change
        </button>
      </div>
    );
  }
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      data-testid="reviewer-form"
      onSubmit={(e) => {
        e.preventDefault();
        const name = normaliseReviewerName(value);
        if (!name) {
          setError('Enter a name of 1 to 64 characters.');
          return;
        }
        document.cookie = reviewerCookieString(name);
        setError(null);
        setEditing(false);
        onChange(name);
      }}
    >
      <label className="flex flex-col text-sm">
        <span className="text-slate-700">Your reviewer name</span>
        <input
          className="w-56 rounded border border-slate-300 px-2 py-1"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="e.g. Ada"
          maxLength={64}
          data-testid="reviewer-input"
          autoFocus={autoFocus}
        />
      </label>
      <button type="submit" className="rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800" data-testid="reviewer-save">
        Start reviewing
      </button>
      <span className="text-xs text-slate-500">Recorded with every decision; remembered in this browser.</span>
      {error && (
        <span className="text-sm text-rose-700" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
