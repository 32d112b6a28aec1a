import Link from 'next/link';
import { Suspense } from 'react';
import { ReviewScreen } from '@/components/review/ReviewScreen';
import { authRequired } from '@/lib/auth/config';
import { currentReviewer } from '@/lib/review/reviewer';
import { getReasonSettings } from '@/lib/review/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

export default async function ReviewPage() {
  await requirePageAccess();
  const reviewer = await currentReviewer();
  const settings = getReasonSettings();
  const reasonCodes = settings.reasonCodes.map((r) => ({ code: r.code, label: r.label }));
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Review</h1>
          <p className="text-sm text-slate-600">
            Accept or reject personas, riskiest first: by default the personas that can enter the alignment pool (measured, not rejected). A
            persona&apos;s status follows its latest decision; rejected personas leave the alignment pool at once.
          </p>
        </div>
        <nav className="flex gap-4 text-sm" aria-label="Review pages">
          <Link className="text-teal-800 underline" href="/review/agreement" data-testid="link-agreement">
            Agreement and conflicts
          </Link>
          <Link className="text-teal-800 underline" href="/reviewers" data-testid="link-reviewers">
            Reviewers and history
          </Link>
        </nav>
      </div>
      <Suspense fallback={<p className="text-sm text-slate-600">Loading…</p>}>
        <ReviewScreen initialReviewer={reviewer} reasonCodes={reasonCodes} reasonRequired={settings.reasonRequired} signedIn={authRequired()} />
      </Suspense>
    </div>
  );
}
