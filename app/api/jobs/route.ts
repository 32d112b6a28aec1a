import { route, searchParams } from '@/lib/http/route';
import { listJobs } from '@/lib/jobs';
import { listJobsQuerySchema } from '@/lib/jobs/schema';

export const dynamic = 'force-dynamic';

/** GET /api/jobs?kind=&limit=: the most recent jobs with progress. */
export const GET = route((req) => {
  const q = searchParams(req, listJobsQuerySchema);
  return { jobs: listJobs({ kind: q.kind, limit: q.limit }) };
});
