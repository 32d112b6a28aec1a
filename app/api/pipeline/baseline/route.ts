import { jsonBody, route } from '@/lib/http/route';
import { startBaselineJob } from '@/lib/pipeline/service';
import { z } from 'zod';

export const dynamic = 'force-dynamic';

/** POST /api/pipeline/baseline: starts a baseline job with the options in the body; answers the job. */
export const POST = route(async (req) => ({ job: startBaselineJob(await jsonBody(req, z.record(z.string(), z.unknown()))) }));
