import { z } from 'zod';
import { route, searchParams } from '@/lib/http/route';
import { EXPORT_FORMATS } from '@/lib/export/schema';
import { downloadExport } from '@/lib/export/service';

export const dynamic = 'force-dynamic';

const query = z.object({ format: z.enum([...EXPORT_FORMATS, 'manifest']).optional() });

/**
 * The export's file (?format=jsonl|csv|parquet, default its own) or its manifest (?format=manifest), as a download:
 * the bytes stored when the export was made, with their sha256 in x-content-sha256 (hex, the manifest's file hash)
 * and Digest (sha-256, base64).
 */
export const GET = route(async (req, ctx: { params: Promise<{ id: string }> }) => {
  const id = z.coerce.number().int().positive().parse((await ctx.params).id);
  const { bytes, filename, contentType, sha256 } = downloadExport(id, searchParams(req, query).format);
  return new Response(Buffer.from(bytes), {
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${filename}"`,
      'content-length': String(bytes.length),
      'cache-control': 'no-store',
      'x-content-sha256': sha256,
      digest: `sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`,
    },
  });
});
