import { z } from 'zod';
import { jsonBody, route } from '@/lib/http/route';
import { groupInputSchema } from '@/lib/groups/schema';
import { deleteGroup, getGroupDetail, updateGroup } from '@/lib/groups/service';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };
const id = async (ctx: Ctx) => z.coerce.number().int().positive().parse((await ctx.params).id);

/** The group with its target, latest run (metrics, coverage), runs and revisions. */
export const GET = route(async (_req, ctx: Ctx) => getGroupDetail(await id(ctx)));
export const PUT = route(async (req, ctx: Ctx) => updateGroup(await id(ctx), await jsonBody(req, groupInputSchema)));
export const DELETE = route(async (_req, ctx: Ctx) => deleteGroup(await id(ctx)));
