'use client';
/**
 * What the last export request did: the error (with the redraw with repeats when too few distinct personas exist)
 * or the new export with what it holds and its downloads; and a status line for screen readers.
 */
import { count, describeNormalisation, FORMAT_NAMES, number } from './exportFormat';
import type { ExportForm } from './useExportForm';

export function ExportOutcome({ form, mayChange }: { form: ExportForm; mayChange: boolean }) {
  const { busy, created, error, drawWithRepeats } = form;
  return (
    <>
      <p className="sr-only" role="status" aria-live="polite">
        {busy ? 'Export running' : created ? `Export ${created.id} created` : ''}
      </p>
      {error && (
        <div className="mt-2 text-sm text-red-700" role="alert" data-testid="export-error" data-code={error.code}>
          <p>{error.message}</p>
          {error.code === 'too_few_distinct' && error.details?.repeats && mayChange && (
            <button
              type="button"
              className="mt-1 rounded border border-red-300 px-2 py-0.5 text-xs text-red-800 hover:bg-red-50"
              onClick={() => drawWithRepeats(error.details?.value)}
              disabled={busy}
              data-testid="export-draw-with-repeats"
            >
              Draw {error.details.value !== undefined ? number.format(error.details.value) : 'k'} with repeats instead
            </button>
          )}
        </div>
      )}
      {created !== null && (
        <p className="mt-2 text-sm text-emerald-800" data-testid="export-created" data-export-id={created.id}>
          Export {created.id} created
          {created.set ? (
            <>
              : <span data-testid="export-created-summary">{count(created.set.rows, 'row')} · {count(created.set.distinct, 'distinct persona')} · {count(created.set.draws, 'draw')} · {describeNormalisation(created.set.weights.normalisation)}</span>
              .{' '}
            </>
          ) : (
            '. '
          )}
          <a className="underline" href={`/api/exports/${created.id}/download?format=${created.format}`} download data-testid="export-created-download">
            Download {FORMAT_NAMES[created.format]}
          </a>{' '}
          ·{' '}
          <a className="underline" href={`/api/exports/${created.id}/download?format=manifest`} download>
            manifest
          </a>
          {created.set && <span className="mt-0.5 block text-xs text-slate-600">{created.set.weights.statement}</span>}
        </p>
      )}
    </>
  );
}
