import { jsonBody, route } from '@/lib/http/route';
import { startDemographicsExtraction } from '@/lib/pipeline/service';
import { z } from 'zod';

export const dynamic = 'force-dynamic';

/**
 * POST /api/pipeline/demographics: starts a job in which the LLM reads personas' demographics from their narratives
 * (body: {sourceId?, personaIds?, batchSize?, concurrency?}); answers the job.
 */
export const POST = route(async (req) => ({ job: startDemographicsExtraction(await jsonBody(req, z.record(z.string(), z.unknown()))) }));
