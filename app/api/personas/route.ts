import { route, searchParams } from '@/lib/http/route';
import { personaListQuerySchema } from '@/lib/personas/schema';
import { listPersonasPage } from '@/lib/personas/service';

export const dynamic = 'force-dynamic';

/** GET /api/personas?q=&status=&source=&flag=&...&sort=&dir=&offset=&limit= : one page of the persona browser. */
export const GET = route((req) => listPersonasPage(searchParams(req, personaListQuerySchema)));
