import { z } from 'zod';
import { jsonBody, route } from '@/lib/http/route';
import { retrieveForGroup } from '@/lib/groups/service';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

/** Retrieves personas for the group (optionally with another description): ranked hits with why they matched. Reads only. */
export const POST = route(async (req, ctx: Ctx) => {
  const id = z.coerce.number().int().positive().parse((await ctx.params).id);
  const body = await jsonBody(req, z.object({ description: z.string().trim().max(2000).optional() }).default({}));
  return retrieveForGroup(id, undefined, body);
}, { role: 'viewer' });
