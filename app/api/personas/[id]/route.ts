import { z } from 'zod';
import { route } from '@/lib/http/route';
import { getPersonaDetail } from '@/lib/personas/service';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.coerce.number().int().positive() });

/** GET /api/personas/:id : everything the persona page shows. */
export const GET = route(async (_req, ctx: { params: Promise<{ id: string }> }) => getPersonaDetail(params.parse(await ctx.params).id));
