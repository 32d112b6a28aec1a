import { route } from '@/lib/http/route';
import { getReasonCodes } from '@/lib/review/service';

export const dynamic = 'force-dynamic';

/** GET /api/review/reason-codes : the reason codes, in keyboard order (1 = first). */
export const GET = route(() => ({ reasonCodes: getReasonCodes() }));
