import { route } from '@/lib/http/route';
import { getReasonSettings } from '@/lib/review/service';

export const dynamic = 'force-dynamic';

/** GET /api/review/reason-codes : the reason codes in keyboard order (1 = first) and whether a reject needs one. */
export const GET = route(() => getReasonSettings());
