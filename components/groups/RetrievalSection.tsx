'use client';
/**
 * The group page's retrieved personas: the count after the filters, a note when too few qualify, the LLM revision of
 * the selected personas (a job), and the table of hits with why each matched.
 */
import { JobProgress } from '@/components/jobs/JobProgress';
import { RetrievalHits } from './RetrievalHits';
import type { GroupDetailState } from './useGroupDetail';

export function RetrievalSection({
  state,
  retrieveCount,
  canRevise,
  mayChange,
}: {
  state: GroupDetailState;
  retrieveCount: number;
  canRevise: boolean;
  mayChange: boolean;
}) {
  const { retrieval, retrievalError, loading, retrieve, selected, setSelected, reviseJob, startRevise, reviseFinished } = state;
  return (
    <section className="space-y-2" aria-labelledby="retrieval-title">
      <div className="flex items-center gap-3">
        <h2 id="retrieval-title" className="text-lg font-semibold">
          Retrieved personas
        </h2>
        <button type="button" className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100" onClick={() => void retrieve()} disabled={loading}>
          {loading ? 'Retrieving…' : 'Retrieve again'}
        </button>
      </div>
      {retrievalError && <p className="text-sm text-red-700">{retrievalError}</p>}
      {retrieval && (
        <>
          <p className="text-xs text-slate-600" data-testid="retrieval-note">
            {retrieval.hits.length} of {retrieval.candidates.toLocaleString('en-US')} personas after the filters. {retrieval.note}
          </p>
          {retrieval.hits.length < retrieveCount && (
            <div className="rounded border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900" role="status" data-testid="too-few-personas">
              <p>
                Only {retrieval.hits.length} of the {retrieveCount} personas asked for qualify: the persona filters leave{' '}
                {retrieval.candidates.toLocaleString('en-US')} candidates. Widen the persona filters, or adapt the retrieved personas to the group
                with the LLM (each revision is a new, re-measured version).
              </p>
              <button
                type="button"
                className="mt-1 rounded border border-amber-400 bg-white px-2 py-0.5 hover:bg-amber-100 disabled:opacity-50"
                disabled={retrieval.hits.length === 0}
                onClick={() => setSelected(retrieval.hits.map((h) => h.id).slice(0, 200))}
                data-testid="select-all-for-revision"
              >
                Select all {Math.min(retrieval.hits.length, 200)} for revision
              </button>
            </div>
          )}
          <div className="flex flex-wrap items-center gap-2 text-xs">
            <button
              type="button"
              className="rounded bg-slate-700 px-2 py-1 font-medium text-white hover:bg-slate-800 disabled:opacity-50"
              disabled={!canRevise || selected.length === 0 || reviseJob !== null || !mayChange}
              data-testid="revise-selected"
              onClick={() => void startRevise()}
            >
              Revise selected ({selected.length}) to fit the group
            </button>
            <span className="text-slate-600">
              {canRevise
                ? 'An LLM adapts place and culture details only; each revision is a new version, re-measured, with a drift check.'
                : 'Revision needs an LLM: set LLM_BASE_URL and LLM_MODEL (see README) and restart.'}
            </span>
          </div>
          {reviseJob !== null && <JobProgress jobId={reviseJob} title="Revision and re-measurement" onFinished={reviseFinished} />}
          <RetrievalHits hits={retrieval.hits} selected={selected} setSelected={setSelected} />
        </>
      )}
    </section>
  );
}
