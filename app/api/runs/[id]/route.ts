import { z } from 'zod';
import { route } from '@/lib/http/route';
import { getRun } from '@/lib/studio/runs';

export const dynamic = 'force-dynamic';

export const GET = route(async (_req, ctx: { params: Promise<{ id: string }> }) =>
  getRun(z.coerce.number().int().positive().parse((await ctx.params).id)),
);
