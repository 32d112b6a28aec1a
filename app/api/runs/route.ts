import { jsonBody, route } from '@/lib/http/route';
import { listRuns, runRequestSchema, startAlignmentRun } from '@/lib/studio/runs';

export const dynamic = 'force-dynamic';

export const GET = route(() => ({ runs: listRuns() }));

/** Starts a full alignment run as a job: { name, seed, size?, spec, config? } -> { runId, jobId }. */
export const POST = route(async (req) => startAlignmentRun(await jsonBody(req, runRequestSchema)));
