import { jsonBody, route } from '@/lib/http/route';
import { startGeneration } from '@/lib/pipeline/service';
import { z } from 'zod';

export const dynamic = 'force-dynamic';

/** POST /api/pipeline/generate: starts a generate job with the options in the body; answers the job. */
export const POST = route(async (req) => ({ job: startGeneration(await jsonBody(req, z.record(z.string(), z.unknown()))) }));
