import { route } from '@/lib/http/route';
import { getJob } from '@/lib/jobs';
import { jobIdSchema } from '@/lib/jobs/schema';

export const dynamic = 'force-dynamic';

/** GET /api/jobs/:id: one job with done, total, failures, rate and time left. */
export const GET = route(async (_req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  return { job: getJob(jobIdSchema.parse(id)) };
});
