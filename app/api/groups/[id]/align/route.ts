import { z } from 'zod';
import { jsonBody, route } from '@/lib/http/route';
import { actorFromRequest } from '@/lib/audit/actor';
import { startGroupAlignment } from '@/lib/groups/align';
import { groupAlignRequestSchema } from '@/lib/groups/schema';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

/**
 * Aligns the group set to the group's target as a job owned by the caller: { seed?, size?, selection? } ->
 * { runId, jobId, setSize }. size is bounded (422 naming the limit).
 */
export const POST = route(async (req, ctx: Ctx) =>
  startGroupAlignment(z.coerce.number().int().positive().parse((await ctx.params).id), await jsonBody(req, groupAlignRequestSchema), undefined, actorFromRequest(req)),
);
