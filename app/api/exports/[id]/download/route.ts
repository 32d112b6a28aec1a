import { z } from 'zod';
import { route, searchParams } from '@/lib/http/route';
import { EXPORT_FORMATS } from '@/lib/export/schema';
import { downloadExport } from '@/lib/export/service';

export const dynamic = 'force-dynamic';

const query = z.object({ format: z.enum([...EXPORT_FORMATS, 'manifest']).optional() });

/** The export's file (?format=jsonl|csv|parquet, default its own) or its manifest (?format=manifest), as a download. */
export const GET = route(async (req, ctx: { params: Promise<{ id: string }> }) => {
  const id = z.coerce.number().int().positive().parse((await ctx.params).id);
  const { bytes, filename, contentType } = downloadExport(id, searchParams(req, query).format);
  return new Response(Buffer.from(bytes), {
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${filename}"`,
      'content-length': String(bytes.length),
      'cache-control': 'no-store',
    },
  });
});
