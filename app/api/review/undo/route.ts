import { jsonBody, route } from '@/lib/http/route';
import { requireReviewer } from '@/lib/review/reviewer';
import { undoInputSchema } from '@/lib/review/schema';
import { undo } from '@/lib/review/service';

export const dynamic = 'force-dynamic';

/** POST /api/review/undo {decisionId?} : undoes the reviewer's given (or latest) decision. */
export const POST = route(async (req) => {
  const reviewer = requireReviewer(req);
  return undo(reviewer, await jsonBody(req, undoInputSchema));
});
