import { route } from '@/lib/http/route';
import { actorFromRequest, seesServerDetails } from '@/lib/audit/actor';
import { getHealth } from '@/lib/workspace/overview';

export const dynamic = 'force-dynamic';

/** Database status and table counts; the database file's path only for admins (and on a loopback server). */
export const GET = route((req) => getHealth(undefined, { details: seesServerDetails(actorFromRequest(req)) }));
