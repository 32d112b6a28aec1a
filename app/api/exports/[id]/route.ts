import { z } from 'zod';
import { route } from '@/lib/http/route';
import { actorFromRequest } from '@/lib/audit/actor';
import { deleteExport, getExport } from '@/lib/export/service';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };
const exportId = async (ctx: Ctx) => z.coerce.number().int().positive().parse((await ctx.params).id);

/** One export with its manifest. */
export const GET = route(async (_req, ctx: Ctx) => getExport(await exportId(ctx)));

/**
 * Deletes the export and its stored files, with an audit entry: its owner or an admin when sign-in is required
 * (403 otherwise), anyone on a loopback server. -> { deleted: id }.
 */
export const DELETE = route(async (req, ctx: Ctx) => deleteExport(await exportId(ctx), actorFromRequest(req)));
