import { route } from '@/lib/http/route';
import { getAgreement } from '@/lib/review/agreement';

export const dynamic = 'force-dynamic';

/** GET /api/review/agreement : Cohen's kappa per reviewer pair, Fleiss' kappa, open conflicts. */
export const GET = route(() => getAgreement());
