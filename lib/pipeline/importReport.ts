/** An import's source (created on first use, refused when it holds another kind) and its report of rows, bad rows and failures. */
import path from 'node:path';
import type { ZodError } from 'zod';
import type { Db } from '../../db/client';
import { ensureSource, getSource } from '../../db/queries/posts';
import { AppError } from '../http/errors';
import type { ImportInput } from './importRows';
import type { BadRow, ImportReport } from './schema';

const MAX_LISTED_BAD = 1000;

/** A source id derived from a file name: "posts-my-file". */
export function sourceIdFromFile(prefix: string, fileName: string): string {
  const base = path
    .basename(fileName, path.extname(fileName))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${prefix}-${base || 'upload'}`;
}

/**
 * Creates the import's source if it is new (id from the options or the file name) and returns an empty report for
 * it; refuses (409) a source that exists with another kind, so posts cannot be filed under a persona source nor
 * personas under the human reference.
 */
export function openSource(db: Db, o: ImportOptions, kind: 'posts' | 'personas'): ImportReport {
  const file = path.basename(o.fileName);
  const id = o.sourceId ?? sourceIdFromFile(kind, o.fileName);
  const name = o.sourceName ?? `${kind === 'posts' ? 'Posts' : 'Personas'} from ${file}`;
  ensureSource({ db, source: { id, name, kind, licence: o.licence ?? 'unknown: imported by the user', citation: 'user import', origin: file } });
  const existing = getSource({ db, id });
  if (existing && existing.kind !== kind) {
    throw new AppError('source_kind_mismatch', `${o.fileName}: the source "${id}" holds ${existing.kind}, not ${kind}; choose another source id.`, 409);
  }
  return newReport(file, id);
}

/**
 * Runs an import's row loop; when the input fails part-way (an upload over its limits, a dropped connection) the
 * error says how many rows were stored before it and that uploading the whole file again adds only the rest (rows
 * are identified by their id, or by their line).
 */
export async function importLoop(report: ImportReport, loop: () => Promise<void>): Promise<ImportReport> {
  try {
    await loop();
  } catch (e) {
    const base = e instanceof AppError ? e : new AppError('upload_failed', `${report.file}: the upload failed: ${(e as Error)?.message ?? e}.`, 400);
    throw new AppError(
      base.code,
      `${base.message} The import stopped after ${report.rows} rows; ${report.imported} were stored before that. Uploading the complete file again stores only the rows not stored yet.`,
      base.status,
      { ...report, complete: false },
    );
  }
  report.complete = true;
  return report;
}

export interface ImportOptions {
  input: ImportInput;
  fileName: string;
  format?: string;
  sourceId?: string;
  sourceName?: string;
  licence?: string;
  db?: Db;
  batchSize?: number;
}

function newReport(file: string, sourceId: string): ImportReport {
  return { file, sourceId, rows: 0, imported: 0, skipped: 0, bad: [], badCount: 0 };
}

export function addBad(report: ImportReport, bad: BadRow): void {
  report.badCount++;
  if (report.bad.length < MAX_LISTED_BAD) report.bad.push(bad);
}

export function zodBad(line: number, err: ZodError): BadRow {
  const issue = err.issues[0]!;
  return { line, field: issue.path.join('.') || null, reason: issue.message };
}
