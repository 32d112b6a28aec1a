import { route } from '@/lib/http/route';
import { cancelJob } from '@/lib/jobs';
import { jobIdSchema } from '@/lib/jobs/schema';

export const dynamic = 'force-dynamic';

/** POST /api/jobs/:id/cancel: requests cancellation (the job ends as 'cancelled'). */
export const POST = route(async (_req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  return { job: cancelJob(jobIdSchema.parse(id)) };
});
