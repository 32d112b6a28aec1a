import Link from 'next/link';
import { DecisionTable } from '@/components/review/DecisionTable';
import { fmtInt, fmtTime } from '@/components/personas/format';
import { getHistory, getReviewers } from '@/lib/review/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const metadata = { title: 'Reviewers' };
export const dynamic = 'force-dynamic';

export default async function ReviewersPage() {
  await requirePageAccess();
  const reviewers = getReviewers();
  const recent = getHistory({ limit: 50 }).decisions;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Reviewers</h1>
        <p className="text-sm text-slate-600">Everyone who recorded a review decision, with their counts; open a reviewer for their full history.</p>
      </div>
      {reviewers.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="reviewers-empty">
          No review decisions yet. Start on the <Link className="text-teal-800 underline" href="/review">Review</Link> screen.
        </p>
      ) : (
        <div className="relative overflow-x-auto">
<table className="w-full max-w-4xl rounded-lg border border-slate-200 bg-white text-sm" data-testid="reviewers-table">
          <caption className="caption-bottom px-3 py-2 text-left text-xs text-slate-500">
            Decisions = every row recorded (accepts, rejects and undos, bulk actions one row per persona). Times are UTC.
          </caption>
          <thead className="bg-slate-100 text-left">
            <tr>
              <th className="px-3 py-2">Reviewer</th>
              <th className="px-3 py-2 text-right">Decisions</th>
              <th className="px-3 py-2 text-right">Accepts</th>
              <th className="px-3 py-2 text-right">Rejects</th>
              <th className="px-3 py-2 text-right">Undos</th>
              <th className="px-3 py-2">First</th>
              <th className="px-3 py-2">Last</th>
            </tr>
          </thead>
          <tbody>
            {reviewers.map((r) => (
              <tr key={r.reviewer} className="border-t border-slate-100" data-testid="reviewer-row">
                <td className="px-3 py-2">
                  <Link className="text-teal-800 underline" href={`/reviewers/${encodeURIComponent(r.reviewer)}`}>
                    {r.reviewer}
                  </Link>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{fmtInt.format(r.decisions)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{fmtInt.format(r.accepts)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{fmtInt.format(r.rejects)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{fmtInt.format(r.undos)}</td>
                <td className="px-3 py-2 tabular-nums">{fmtTime(r.first)}</td>
                <td className="px-3 py-2 tabular-nums">{fmtTime(r.last)}</td>
              </tr>
            ))}
          </tbody>
        </table>
</div>
      )}
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Latest decisions, all reviewers</h2>
        <DecisionTable decisions={recent} testId="recent-decisions" />
      </section>
    </div>
  );
}
