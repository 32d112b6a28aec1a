'use client';
/** The group page's alignment controls: seed, set size, "Align group" (a job), and the last action's error. */
import { ReadOnlyNote } from '@/components/Access';
import { JobProgress } from '@/components/jobs/JobProgress';
import { DEFAULT_ESTIMATOR, DEFAULT_SELECTION, STUDIO_KDE_BANDWIDTH } from '@/lib/core/defaults';
import type { GroupDetailState } from './useGroupDetail';

export function AlignSection({ state, mayChange }: { state: GroupDetailState; mayChange: boolean }) {
  const { seed, setSeed, size, setSize, alignJob, startAlign, alignFinished, actionError } = state;
  return (
    <section className="space-y-2" aria-labelledby="align-title">
      <h2 id="align-title" className="text-lg font-semibold">
        Align the group set
      </h2>
      <ReadOnlyNote what="revising or aligning a group" />
      <p className="text-xs text-slate-600">
        The measured, non-rejected hits (with this group’s measured revisions in place of their originals) are aligned to the group’s
        target by the same engine as the studio: weights by the {DEFAULT_ESTIMATOR} estimator (KDE bandwidth {String(STUDIO_KDE_BANDWIDTH)} when a
        KDE estimator is used), {DEFAULT_SELECTION} selection of k personas.
      </p>
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="block text-xs">
          <span className="text-slate-600">Seed</span>
          <input type="number" min={0} className="mt-0.5 block w-24 rounded border border-slate-300 px-1 py-0.5" value={seed} onChange={(e) => setSeed(Number(e.target.value) || 0)} data-testid="align-seed" />
        </label>
        <label className="block text-xs">
          <span className="text-slate-600">Set size k (default: the group set size)</span>
          <input type="number" min={1} className="mt-0.5 block w-28 rounded border border-slate-300 px-1 py-0.5" value={size} onChange={(e) => setSize(e.target.value)} data-testid="align-size" />
        </label>
        <button
          type="button"
          className="rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800 disabled:opacity-50"
          disabled={alignJob !== null || !mayChange}
          data-testid="align-group"
          onClick={() => void startAlign()}
        >
          Align group
        </button>
      </div>
      {actionError && (
        <p className="text-sm text-red-700" role="alert" data-testid="group-action-error">
          {actionError}
        </p>
      )}
      {alignJob !== null && <JobProgress jobId={alignJob} title="Group alignment" onFinished={alignFinished} />}
    </section>
  );
}
