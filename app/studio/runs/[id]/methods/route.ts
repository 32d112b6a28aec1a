import { z } from 'zod';
import { route } from '@/lib/http/route';
import { methodsReport } from '@/lib/export/methodsReport';
import { methodsReportHtml } from '@/lib/export/methodsReportHtml';

export const dynamic = 'force-dynamic';

/** The run's methods report: one HTML page (static SVG charts, print rules) for a paper's methods section or appendix. */
export const GET = route(async (_req, ctx: { params: Promise<{ id: string }> }) => {
  const id = z.coerce.number().int().positive().parse((await ctx.params).id);
  const html = methodsReportHtml(methodsReport(id));
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
});
