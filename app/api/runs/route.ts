import { jsonBody, route } from '@/lib/http/route';
import { actorFromRequest } from '@/lib/audit/actor';
import { listRuns, runRequestSchema, startAlignmentRun } from '@/lib/studio/runs';

export const dynamic = 'force-dynamic';

/** Recent runs, each with its owner (createdBy) and whether the caller may delete it (mayDelete). */
export const GET = route((req) => ({ runs: listRuns(undefined, actorFromRequest(req)) }));

/**
 * Starts a full alignment run as a job owned by the caller: { name, seed, size?, spec, config? } -> { runId, jobId }.
 * size is bounded (422 naming the field, the value and the limit).
 */
export const POST = route(async (req) => startAlignmentRun(await jsonBody(req, runRequestSchema), undefined, {}, actorFromRequest(req)));
