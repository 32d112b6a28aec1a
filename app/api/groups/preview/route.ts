import { z } from 'zod';
import { jsonBody, route } from '@/lib/http/route';
import { previewGroupTarget } from '@/lib/groups/service';
import { targetSpecSchema } from '@/lib/targets/schema';

export const dynamic = 'force-dynamic';

/** The human target of a reference spec in numbers: { n, warnings, description, perCountry }. */
export const POST = route(async (req) => previewGroupTarget((await jsonBody(req, z.object({ spec: targetSpecSchema }))).spec), { role: 'viewer' });
