import { z } from 'zod';
import { jsonBody, route } from '@/lib/http/route';
import { getStudioData } from '@/lib/studio/data';
import { targetSpecSchema } from '@/lib/targets/schema';

export const dynamic = 'force-dynamic';

/** POST a target spec (reference filters and preset; edits are applied in the browser): pool, respondents, baselines. */
export const POST = route(async (req) => getStudioData(await jsonBody(req, z.object({ spec: targetSpecSchema })).then((b) => b.spec)), { role: 'viewer' });
