import { jsonBody, route } from '@/lib/http/route';
import { savedTargetSchema } from '@/lib/targets/schema';
import { listNamedTargets, saveNamedTarget } from '@/lib/targets/service';

export const dynamic = 'force-dynamic';

export const GET = route(() => ({ targets: listNamedTargets() }));

export const POST = route(async (req) => {
  const body = await jsonBody(req, savedTargetSchema);
  return saveNamedTarget(body.name, body.spec);
});
