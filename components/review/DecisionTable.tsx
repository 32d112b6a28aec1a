import Link from 'next/link';
import type { DecisionRow } from '@/lib/review/service';
import { StatusBadge } from '../personas/StatusBadge';
import { fmtTime } from '../personas/format';

/** The audit trail as a table: time, reviewer, persona, decision, reason, note, status change. Server-safe. */
export function DecisionTable({ decisions, show = 'both', testId = 'decision-table' }: { decisions: DecisionRow[]; show?: 'persona' | 'reviewer' | 'both'; testId?: string }) {
  if (decisions.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid={`${testId}-empty`}>
        No review decisions yet.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <div className="relative overflow-x-auto">
<table className="w-full text-sm" data-testid={testId}>
        <caption className="caption-bottom px-3 py-2 text-left text-xs text-slate-500">
          Append-only: every decision stays, newest first. An undo is its own row; the status returns to what it was before
          the undone decision. Times are UTC.
        </caption>
        <thead className="bg-slate-100 text-left text-slate-700">
          <tr>
            <th className="px-3 py-2">#</th>
            <th className="px-3 py-2">Time</th>
            {show !== 'persona' && <th className="px-3 py-2">Reviewer</th>}
            {show !== 'reviewer' && <th className="px-3 py-2">Persona</th>}
            <th className="px-3 py-2">Decision</th>
            <th className="px-3 py-2">Reason</th>
            <th className="px-3 py-2">Note</th>
            <th className="px-3 py-2">Status change</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((d) => (
            <tr key={d.id} className="border-t border-slate-100 align-top" data-testid="decision-row" data-decision={d.decision} data-persona={d.personaId} data-undone={d.undoneById ? 'yes' : 'no'}>
              <td className="px-3 py-2 tabular-nums text-slate-500">{d.id}</td>
              <td className="whitespace-nowrap px-3 py-2 tabular-nums">{fmtTime(d.createdAt)}</td>
              {show !== 'persona' && (
                <td className="px-3 py-2">
                  <Link className="text-teal-800 underline" href={`/reviewers/${encodeURIComponent(d.reviewer)}`}>
                    {d.reviewer}
                  </Link>
                </td>
              )}
              {show !== 'reviewer' && (
                <td className="max-w-xs px-3 py-2">
                  <Link className="text-teal-800 underline" href={`/personas/${d.personaId}`}>
                    #{d.personaId}
                  </Link>{' '}
                  <span className="text-slate-600">{d.personaName ?? d.personaExcerpt.slice(0, 60)}</span>
                </td>
              )}
              <td className="px-3 py-2">
                <span className={d.undoneById ? 'line-through decoration-slate-400' : ''} data-testid="decision-kind">
                  {d.decision}
                  {d.decision === 'undo' && d.undoesId ? ` of #${d.undoesId}` : ''}
                </span>
                {d.settlement && <span className="ml-1 rounded bg-violet-50 px-1 text-xs text-violet-800">settles a conflict</span>}
                {d.batchId && <span className="ml-1 rounded bg-slate-100 px-1 text-xs text-slate-600" title={`bulk action ${d.batchId}`}>bulk</span>}
                {d.undoneById && <span className="ml-1 text-xs text-slate-500">(undone by #{d.undoneById})</span>}
              </td>
              <td className="px-3 py-2">{d.reasonLabel ?? '—'}</td>
              <td className="max-w-xs whitespace-pre-wrap px-3 py-2 text-slate-700">{d.note ?? ''}</td>
              <td className="whitespace-nowrap px-3 py-2">
                {d.statusBefore ? <StatusBadge status={d.statusBefore} /> : '—'} → {d.statusAfter ? <StatusBadge status={d.statusAfter} /> : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
</div>
    </div>
  );
}
