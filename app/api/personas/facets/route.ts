import { route, searchParams } from '@/lib/http/route';
import { personaFilterSchema } from '@/lib/personas/schema';
import { getFacets } from '@/lib/personas/service';

export const dynamic = 'force-dynamic';

/** GET /api/personas/facets?<filter>: each facet's values with counts under the rest of the filter, and demographics coverage. */
export const GET = route((req) => getFacets(searchParams(req, personaFilterSchema)));
