import { jsonBody, route } from '@/lib/http/route';
import { exportRequestSchema } from '@/lib/export/schema';
import { createExport, listExports } from '@/lib/export/service';

export const dynamic = 'force-dynamic';

export const GET = route(() => ({ exports: listExports() }));

/** Creates an export: { source, set?, size?, unique?, seed?, format? } -> { id, createdAt, manifest }. */
export const POST = route(async (req) => createExport(await jsonBody(req, exportRequestSchema)));
