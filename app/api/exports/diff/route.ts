import { route, searchParams } from '@/lib/http/route';
import { exportDiffRequestSchema } from '@/lib/export/schema';
import { diffStoredExports } from '@/lib/export/service';

export const dynamic = 'force-dynamic';

/** Added, removed and reweighted personas between exports ?a= and ?b=. */
export const GET = route((req) => {
  const { a, b } = searchParams(req, exportDiffRequestSchema);
  return diffStoredExports(a, b);
});
