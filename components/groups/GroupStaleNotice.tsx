'use client';
/** Says that a saved edit of the definition made the retrieval or the latest alignment stale, with the ways to redo them. */
import type { GroupDetailState } from './useGroupDetail';

export function GroupStaleNotice({ state, hasRun, mayChange }: { state: GroupDetailState; hasRun: boolean; mayChange: boolean }) {
  const { staleRetrieval, retrieve, alignJob, startAlign } = state;
  return (
    <section className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm" role="status" data-testid="group-stale">
      <p className="font-medium text-amber-900">
        The definition changed since {staleRetrieval ? 'these personas were retrieved' : 'the latest alignment'}
        {staleRetrieval && hasRun ? ' and the latest alignment was made' : ''}: {staleRetrieval && hasRun ? 'both are' : 'it is'} out of date.
      </p>
      <div className="mt-1 flex flex-wrap gap-2 text-xs">
        {staleRetrieval && (
          <button type="button" className="rounded border border-amber-700 px-2 py-0.5 text-amber-900 hover:bg-amber-100" onClick={() => void retrieve()} data-testid="stale-retrieve">
            Retrieve again
          </button>
        )}
        {hasRun && (
          <button
            type="button"
            className="rounded bg-amber-700 px-2 py-0.5 font-medium text-white hover:bg-amber-800 disabled:opacity-50"
            disabled={alignJob !== null || !mayChange}
            data-testid="stale-align"
            onClick={() => void startAlign()}
          >
            Align again
          </button>
        )}
      </div>
    </section>
  );
}
