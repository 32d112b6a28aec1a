import { jsonBody, route } from '@/lib/http/route';
import { actorFromRequest } from '@/lib/audit/actor';
import { exportRequestSchema } from '@/lib/export/schema';
import { createExport, listExports } from '@/lib/export/service';

export const dynamic = 'force-dynamic';

/** Exports, newest first, each with its owner (createdBy) and whether the caller may delete it (mayDelete). */
export const GET = route((req) => ({ exports: listExports(undefined, actorFromRequest(req)) }));

/**
 * Creates an export owned by the caller: { source, set?, size?, unique?, seed?, format? } -> { id, createdAt,
 * createdBy, manifest }. The file is stored in every format at once; size is bounded (422 naming the limit).
 */
export const POST = route(async (req) => createExport(await jsonBody(req, exportRequestSchema), undefined, actorFromRequest(req)));
