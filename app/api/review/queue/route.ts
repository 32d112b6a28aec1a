import { route, searchParams } from '@/lib/http/route';
import { requireReviewer } from '@/lib/review/reviewer';
import { queueQuerySchema } from '@/lib/review/schema';
import { getQueue } from '@/lib/review/service';

export const dynamic = 'force-dynamic';

/** GET /api/review/queue?queue=&scope=&after=&limit=&<filter> : the next personas of a queue (pool by default), riskiest first. */
export const GET = route((req) => getQueue(requireReviewer(req), searchParams(req, queueQuerySchema)));
