/** Imports an uploaded file streamed as the raw request body (no buffering of the whole file). */
import { AppError } from '../http/errors';
import { importPersonas, importPosts } from './imports';
import { importQuerySchema, type ImportReport } from './schema';

export async function importUpload(req: Request): Promise<ImportReport> {
  const q = importQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  if (!req.body) throw new AppError('empty_upload', `${q.filename}: the upload is empty.`, 400);
  const opts = { input: req.body, fileName: q.filename, sourceId: q.sourceId, sourceName: q.name, licence: q.licence };
  return q.kind === 'posts' ? importPosts(opts) : importPersonas(opts);
}
