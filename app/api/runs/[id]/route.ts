import { z } from 'zod';
import { route } from '@/lib/http/route';
import { actorFromRequest } from '@/lib/audit/actor';
import { deleteRun, getRun } from '@/lib/studio/runs';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };
const runId = async (ctx: Ctx) => z.coerce.number().int().positive().parse((await ctx.params).id);

export const GET = route(async (_req, ctx: Ctx) => getRun(await runId(ctx)));

/**
 * Deletes the run with an audit entry: its owner or an admin when sign-in is required (403 otherwise), anyone on a
 * loopback server. Refused with 409 while the run computes, or while exports refer to it (delete those first).
 * -> { deleted: id }.
 */
export const DELETE = route(async (req, ctx: Ctx) => deleteRun(await runId(ctx), actorFromRequest(req)));
