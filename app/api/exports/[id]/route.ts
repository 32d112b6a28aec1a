import { z } from 'zod';
import { route } from '@/lib/http/route';
import { getExport } from '@/lib/export/service';

export const dynamic = 'force-dynamic';

/** One export with its manifest. */
export const GET = route(async (_req, ctx: { params: Promise<{ id: string }> }) => getExport(z.coerce.number().int().positive().parse((await ctx.params).id)));
