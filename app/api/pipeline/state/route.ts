import { route } from '@/lib/http/route';
import { actorFromRequest, seesServerDetails } from '@/lib/audit/actor';
import { getPipelineState } from '@/lib/pipeline/service';

export const dynamic = 'force-dynamic';

/**
 * GET /api/pipeline/state: LLM configuration, posts sources with counts, measured counts. The LLM servers' URLs only
 * for admins (and on a loopback server).
 */
export const GET = route((req) => getPipelineState(undefined, { details: seesServerDetails(actorFromRequest(req)) }));
