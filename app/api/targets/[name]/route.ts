import { route } from '@/lib/http/route';
import { getNamedTarget } from '@/lib/targets/service';

export const dynamic = 'force-dynamic';

export const GET = route(async (_req, ctx: { params: Promise<{ name: string }> }) => getNamedTarget((await ctx.params).name));
