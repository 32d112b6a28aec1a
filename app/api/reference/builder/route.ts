import { z } from 'zod';
import { route } from '@/lib/http/route';
import { builderReference } from '@/lib/groups/builderData';

export const dynamic = 'force-dynamic';

const querySchema = z.object({ set: z.string().min(1).max(120).default('big5') });

/** The reference respondents in compact form for the group builder: { n, countries, names, data (base64), norms }. */
export const GET = route((req) => builderReference(undefined, querySchema.parse(Object.fromEntries(new URL(req.url).searchParams)).set));
