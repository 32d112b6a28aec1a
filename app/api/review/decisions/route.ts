import { jsonBody, route, searchParams } from '@/lib/http/route';
import { requireReviewer } from '@/lib/review/reviewer';
import { decisionInputSchema, historyQuerySchema } from '@/lib/review/schema';
import { decide, getHistory } from '@/lib/review/service';

export const dynamic = 'force-dynamic';

/** GET /api/review/decisions?reviewer=&personaId= : the audit trail, newest first. */
export const GET = route((req) => getHistory(searchParams(req, historyQuerySchema)));

/** POST /api/review/decisions {personaId, decision, reasonCode?, note?} : the cookie's reviewer decides. */
export const POST = route(async (req) => {
  const reviewer = requireReviewer(req);
  return decide(reviewer, await jsonBody(req, decisionInputSchema));
});
