import { z } from 'zod';
import { jsonBody, route } from '@/lib/http/route';
import { startRevision } from '@/lib/groups/revise';
import { reviseRequestSchema } from '@/lib/groups/schema';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

/** Starts the LLM light revision (and re-measurement) of personas for the group: { personaIds } -> { jobId }. */
export const POST = route(async (req, ctx: Ctx) =>
  startRevision(z.coerce.number().int().positive().parse((await ctx.params).id), await jsonBody(req, reviseRequestSchema)),
);
