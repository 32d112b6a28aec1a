import Link from 'next/link';
import { DecisionTable } from '@/components/review/DecisionTable';
import { fmtInt } from '@/components/personas/format';
import { getHistory } from '@/lib/review/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ reviewer: string }> }) {
  return { title: `Decisions of ${decodeURIComponent((await params).reviewer)}` };
}

export default async function ReviewerHistoryPage({ params }: { params: Promise<{ reviewer: string }> }) {
  await requirePageAccess();
  const reviewer = decodeURIComponent((await params).reviewer);
  const decisions = getHistory({ reviewer, limit: 1000 }).decisions;
  const inEffect = decisions.filter((d) => d.decision !== 'undo' && !d.undoneById).length;
  return (
    <div className="space-y-4" data-testid="reviewer-history" data-reviewer={reviewer}>
      <p className="text-sm">
        <Link href="/reviewers" className="text-teal-800 underline">
          ← Reviewers
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">History of {reviewer}</h1>
      <p className="text-sm text-slate-600">
        <span data-testid="history-count">{fmtInt.format(decisions.length)}</span> decisions recorded (latest 1,000 shown), {fmtInt.format(inEffect)} still in effect
        (not undone). Struck-through decisions were undone by a later row.
      </p>
      <DecisionTable decisions={decisions} show="persona" testId="reviewer-decisions" />
    </div>
  );
}
