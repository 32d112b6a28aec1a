import { jsonBody, route, searchParams } from '@/lib/http/route';
import { personaFilterSchema } from '@/lib/personas/schema';
import { requireReviewer } from '@/lib/review/reviewer';
import { bulkInputSchema } from '@/lib/review/schema';
import { bulkDecide, countMatching } from '@/lib/review/service';

export const dynamic = 'force-dynamic';

/** GET /api/review/bulk?<filter> : how many personas a bulk action on this filter would record. */
export const GET = route((req) => ({ count: countMatching(searchParams(req, personaFilterSchema)) }));

/** POST /api/review/bulk {filter, decision, reasonCode?, note?, expectedCount} : one decision per matching persona. */
export const POST = route(async (req) => {
  const reviewer = requireReviewer(req);
  return bulkDecide(reviewer, await jsonBody(req, bulkInputSchema));
});
