import { Suspense } from 'react';
import { PersonaBrowser } from '@/components/personas/PersonaBrowser';
import { getFacets } from '@/lib/personas/service';
import { currentReviewer } from '@/lib/review/reviewer';
import { getReasonCodes } from '@/lib/review/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const metadata = { title: 'Personas' };
export const dynamic = 'force-dynamic';

export default async function PersonasPage() {
  await requirePageAccess();
  const facets = getFacets();
  const reviewer = await currentReviewer();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Personas</h1>
        <p className="text-sm text-slate-600">Search, filter and sort every persona; open one for its full record, or review what a filter matches in bulk.</p>
      </div>
      <Suspense fallback={<p className="text-sm text-slate-600">Loading…</p>}>
        <PersonaBrowser facets={facets} reasonCodes={getReasonCodes().map((r) => ({ code: r.code, label: r.label }))} reviewer={reviewer} />
      </Suspense>
    </div>
  );
}
