/** Imports an uploaded file streamed as the raw request body (no buffering of the whole file), within limits. */
import { env, type EnvSource } from '../env';
import { AppError } from '../http/errors';
import { importPersonas, importPosts } from './imports';
import { importQuerySchema, type ImportReport } from './schema';
import { startDemographicsAfterImport } from './service';

/** Upload limits: POPULACE_MAX_UPLOAD_MB (default 256) and POPULACE_MAX_UPLOAD_ROWS (default 1,000,000 lines). */
export function uploadLimits(source?: EnvSource) {
  return {
    maxBytes: Math.floor(env('POPULACE_MAX_UPLOAD_MB', source) * 1024 * 1024),
    maxRows: env('POPULACE_MAX_UPLOAD_ROWS', source),
  };
}

const mb = (bytes: number) => `${Number((bytes / 1048576).toFixed(bytes < 1048576 ? 2 : 0))} MB`;

/**
 * Passes the body through while counting bytes and lines; past either limit the stream fails with a 413 that names
 * the file and the limit. Rows already imported by then were stored whole, batch by batch; the error says how many,
 * and a re-upload of the complete file skips them.
 */
function limited(body: ReadableStream<Uint8Array>, fileName: string, limits: { maxBytes: number; maxRows: number }) {
  let bytes = 0;
  let lines = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
        if (bytes > limits.maxBytes) {
          controller.error(
            new AppError('upload_too_large', `${fileName}: the upload is larger than the limit of ${mb(limits.maxBytes)} (POPULACE_MAX_UPLOAD_MB).`, 413),
          );
          return;
        }
        if (lines > limits.maxRows) {
          controller.error(new AppError('upload_too_many_rows', `${fileName}: the upload has more than the limit of ${limits.maxRows} lines (POPULACE_MAX_UPLOAD_ROWS).`, 413));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

export async function importUpload(req: Request): Promise<ImportReport> {
  const q = importQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  if (!req.body) throw new AppError('empty_upload', `${q.filename}: the upload is empty.`, 400);
  const limits = uploadLimits();
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    throw new AppError('upload_too_large', `${q.filename}: the upload is larger than the limit of ${mb(limits.maxBytes)} (POPULACE_MAX_UPLOAD_MB).`, 413);
  }
  const input = limited(req.body, q.filename, limits);
  const opts = { input, fileName: q.filename, sourceId: q.sourceId, sourceName: q.name, licence: q.licence };
  if (q.kind === 'posts') return importPosts(opts);
  const report = await importPersonas(opts);
  // the new personas' demographics are read by the LLM too, when one is configured
  report.demographicsJob = startDemographicsAfterImport(report.sourceId);
  return report;
}
