import { jsonBody, route } from '@/lib/http/route';
import { startMeasurement } from '@/lib/pipeline/service';
import { z } from 'zod';

export const dynamic = 'force-dynamic';

/** POST /api/pipeline/measure: starts a measure job with the options in the body; answers the job. */
export const POST = route(async (req) => ({ job: startMeasurement(await jsonBody(req, z.record(z.string(), z.unknown()))) }));
