import { route, searchParams } from '@/lib/http/route';
import { requireReviewer } from '@/lib/review/reviewer';
import { remainingQuerySchema } from '@/lib/review/schema';
import { getRemaining } from '@/lib/review/service';

export const dynamic = 'force-dynamic';

/** GET /api/review/remaining?queue=&scope=&<filter> : how many personas are left to decide in the queue. */
export const GET = route((req) => getRemaining(requireReviewer(req), searchParams(req, remainingQuerySchema)));
