import { route } from '@/lib/http/route';
import { importUpload } from '@/lib/pipeline/upload';

export const dynamic = 'force-dynamic';

/**
 * POST /api/pipeline/import?kind=posts|personas&filename=F[&sourceId=&name=&licence=]
 * Body: the file itself (CSV or JSONL), streamed. Answers the import report (counts and bad rows with line and field).
 */
export const POST = route((req) => importUpload(req));
