/**
 * Streaming imports: social media posts from CSV or JSONL, and ready-made personas from JSONL.
 *
 * Rows are read one by one and stored in batches, each batch in one transaction (a row is never half-written).
 * A bad row does not stop the import: it is reported with its line, the field and the reason. Importing the same
 * file again adds nothing (rows are identified by their id column, or by their line when there is none).
 *
 * Posts: CSV with a header, or JSONL objects. Columns: author id (author_id | authorId | author | user_id | user),
 * text (text | body | content | post), optional time (time | timestamp | posted_at | created_at | date), optional id
 * (id | post_id); every other column is kept as metadata.
 * Personas: JSONL objects {id?, name?, narrative, demographics?: {age?, gender?, country?, occupation?},
 * instrument?, answers?: {itemId: value}, model?, temperature?}.
 */
import { parse } from 'csv-parse';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ZodError } from 'zod';
import { getDb, type Db } from '../../db/client';
import { insertPersonasBatch, type ImportedPersonaRow } from '../../db/queries/pipeline';
import { personaDemographics } from '../personas/extractDemographics';
import { recheckSourceDuplicates } from './sourceDuplicates';

/** Jaccard similarity of word shingles above which an imported persona counts as a near duplicate (as generation's default). */
const DUPLICATE_THRESHOLD = 0.8;
import { ensureSource, getSource, insertPostsBatch, type PostRowInput } from '../../db/queries/posts';
import { AppError } from '../http/errors';
import { scoreCommon } from '../instruments/score';
import { loadInstrument } from './instruments';
import { importedPersonaSchema, type BadRow, type ImportReport } from './schema';

export type ImportInput = Readable | ReadableStream<Uint8Array> | AsyncIterable<string | Uint8Array> | string;

const MAX_LISTED_BAD = 1000;
/** How a bad row that is the cut-off end of the file starts its reason. */
export const ENDS_MID_ROW = 'the file ends mid-row, so it was probably cut short';

function toReadable(input: ImportInput): Readable {
  if (typeof input === 'string') return Readable.from([input]);
  if (input instanceof Readable) return input;
  if (typeof (input as ReadableStream).getReader === 'function') {
    return Readable.fromWeb(input as unknown as import('node:stream/web').ReadableStream<Uint8Array>);
  }
  return Readable.from(input as AsyncIterable<string | Uint8Array>);
}

export function formatOf(fileName: string, format?: string): 'csv' | 'jsonl' {
  const f = (format ?? path.extname(fileName).slice(1)).toLowerCase();
  if (f === 'csv') return 'csv';
  if (f === 'jsonl' || f === 'ndjson' || f === 'json') return 'jsonl';
  throw new AppError('unknown_format', `${fileName}: unknown file type "${f || '(none)'}"; use .csv or .jsonl.`, 400);
}

/** A source id derived from a file name: "posts-my-file". */
export function sourceIdFromFile(prefix: string, fileName: string): string {
  const base = path
    .basename(fileName, path.extname(fileName))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${prefix}-${base || 'upload'}`;
}

/** Rows of a CSV (header first) or JSONL stream with their 1-based line numbers; unparseable rows come as errors. */
async function* readRows(
  input: ImportInput,
  format: 'csv' | 'jsonl',
): AsyncGenerator<{ line: number; row: Record<string, unknown> } | { line: number; error: string }> {
  const stream = toReadable(input);
  // A failing source (an upload over its limits, a dropped connection) must end the import with its error rather
  // than leave it waiting: .pipe() and readline do not forward source errors by themselves.
  let streamError: unknown = null;
  // Whether the file ends with a newline: a last line without one that does not parse was cut short.
  let lastByte = 10;
  stream.on('data', (chunk: Buffer | string) => {
    if (chunk.length) lastByte = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1]!;
  });
  if (format === 'jsonl') {
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    stream.on('error', (e) => {
      streamError = e;
      rl.close();
    });
    let line = 0;
    let pending: { line: number; error: string } | null = null;
    for await (const text of rl) {
      if (streamError) break;
      if (pending) yield pending;
      pending = null;
      line++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        // Held back one line: if it is the last one and the file has no final newline, the file ends mid-row.
        pending = { line, error: `invalid JSON: ${(e as Error).message}` };
        continue;
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) yield { line, error: 'not a JSON object' };
      else yield { line, row: value as Record<string, unknown> };
    }
    if (streamError) throw streamError;
    if (pending) {
      yield lastByte === 10 || lastByte === 13
        ? pending
        : { line: pending.line, error: `${ENDS_MID_ROW}: the last line is incomplete JSON (${pending.error})` };
    }
    return;
  }
  const skipped: { line: number; error: string }[] = [];
  const parser = stream.pipe(
    parse({ columns: true, bom: true, info: true, skip_empty_lines: true, trim: false, skip_records_with_error: true }),
  );
  parser.on('skip', (err: Error & { lines?: number; code?: string }) =>
    skipped.push({
      line: err.lines ?? 0,
      error: err.code === 'CSV_QUOTE_NOT_CLOSED' ? `${ENDS_MID_ROW}: a quoted field opened on this line never closes (${err.message})` : err.message,
    }),
  );
  stream.on('error', (e) => parser.destroy(e));
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    while (skipped.length) yield skipped.shift()!;
    yield { line: rec.info.lines, row: rec.record };
  }
  while (skipped.length) yield skipped.shift()!;
}

/**
 * Creates the import's source if it is new (id from the options or the file name) and returns an empty report for
 * it; refuses (409) a source that exists with another kind, so posts cannot be filed under a persona source nor
 * personas under the human reference.
 */
function openSource(db: Db, o: ImportOptions, kind: 'posts' | 'personas'): ImportReport {
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
async function importLoop(report: ImportReport, loop: () => Promise<void>): Promise<ImportReport> {
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

const pick = (row: Record<string, unknown>, names: string[]): { key: string | null; value: unknown } => {
  for (const n of names) if (n in row) return { key: n, value: row[n] };
  return { key: null, value: undefined };
};

const AUTHOR = ['author_id', 'authorId', 'author', 'user_id', 'user'];
const TEXT = ['text', 'body', 'content', 'post'];
const TIME = ['time', 'timestamp', 'posted_at', 'postedAt', 'created_at', 'date'];
const ID = ['id', 'post_id', 'postId'];

/** A JSON scalar as text, or null for objects and arrays (whose String() is meaningless or even throws). */
function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return null;
}

/** Validates one post row; returns the row to store or the bad-row reason. */
export function parsePostRow(row: Record<string, unknown>, line: number): PostRowInput | BadRow {
  const author = pick(row, AUTHOR);
  if (author.value === undefined || author.value === null || (scalarText(author.value) ?? 'x').trim() === '') {
    return { line, field: author.key ?? 'author_id', reason: 'the author id is missing' };
  }
  const authorText = scalarText(author.value);
  if (authorText === null) return { line, field: author.key, reason: 'the author id must be a string or a number' };
  const text = pick(row, TEXT);
  if (typeof text.value !== 'string' || text.value.trim() === '') {
    return { line, field: text.key ?? 'text', reason: text.value === undefined ? 'the text is missing' : 'the text is empty or not a string' };
  }
  const time = pick(row, TIME);
  let postedAt: string | null = null;
  if (time.value !== undefined && time.value !== null && scalarText(time.value)?.trim() !== '') {
    const raw = time.value;
    const rawText = scalarText(raw);
    if (rawText === null) return { line, field: time.key, reason: 'the time must be a string or a number' };
    const d = typeof raw === 'number' ? new Date(raw < 1e12 ? raw * 1000 : raw) : new Date(rawText);
    if (Number.isNaN(d.getTime())) return { line, field: time.key, reason: `"${rawText}" is not a date or time` };
    postedAt = d.toISOString();
  }
  const id = pick(row, ID);
  const idText = id.value === undefined || id.value === null ? null : scalarText(id.value);
  if (id.value !== undefined && id.value !== null && idText === null) return { line, field: id.key, reason: 'the id must be a string or a number' };
  const used = new Set([author.key, text.key, time.key, id.key]);
  const metaEntries = Object.entries(row).filter(([k, v]) => !used.has(k) && v !== '' && v !== undefined);
  return {
    authorExternalId: authorText.trim(),
    externalId: idText !== null && idText.trim() !== '' ? idText.trim() : `line:${line}`,
    text: text.value.trim(),
    postedAt,
    metadata: metaEntries.length ? Object.fromEntries(metaEntries) : null,
  };
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

function addBad(report: ImportReport, bad: BadRow): void {
  report.badCount++;
  if (report.bad.length < MAX_LISTED_BAD) report.bad.push(bad);
}

/** Imports posts; returns counts and the bad rows. */
export async function importPosts(o: ImportOptions): Promise<ImportReport> {
  const db = o.db ?? getDb();
  const format = formatOf(o.fileName, o.format);
  const report = openSource(db, o, 'posts');
  const batchSize = o.batchSize ?? 500;
  let batch: PostRowInput[] = [];
  const flush = () => {
    const n = insertPostsBatch({ db, sourceId: report.sourceId, rows: batch });
    report.imported += n;
    report.skipped += batch.length - n;
    batch = [];
  };
  return importLoop(report, async () => {
    for await (const r of readRows(o.input, format)) {
      report.rows++;
      if ('error' in r) {
        addBad(report, { line: r.line, field: null, reason: r.error });
        continue;
      }
      const parsed = parsePostRow(r.row, r.line);
      if ('reason' in parsed) addBad(report, parsed);
      else batch.push(parsed);
      if (batch.length >= batchSize) flush();
    }
    flush();
  });
}

function zodBad(line: number, err: ZodError): BadRow {
  const issue = err.issues[0]!;
  return { line, field: issue.path.join('.') || null, reason: issue.message };
}

/** Imports ready-made personas (JSONL), with item answers and trait scores when given. */
export async function importPersonas(o: ImportOptions): Promise<ImportReport> {
  const db = o.db ?? getDb();
  const format = formatOf(o.fileName, o.format);
  if (format !== 'jsonl') throw new AppError('unknown_format', `${o.fileName}: personas are imported from JSONL.`, 400);
  const report = openSource(db, o, 'personas');
  const instruments = new Map<string, ReturnType<typeof loadInstrument> | null>();
  const instrument = (id: string) => {
    if (!instruments.has(id)) {
      try {
        instruments.set(id, loadInstrument(db, id));
      } catch {
        instruments.set(id, null);
      }
    }
    return instruments.get(id)!;
  };
  let batch: ImportedPersonaRow[] = [];
  const flush = () => {
    const n = insertPersonasBatch({ db, rows: batch });
    report.imported += n;
    report.skipped += batch.length - n;
    batch = [];
  };
  return importLoop(report, async () => {
    for await (const r of readRows(o.input, 'jsonl')) {
      report.rows++;
      if ('error' in r) {
        addBad(report, { line: r.line, field: null, reason: r.error });
        continue;
      }
      const parsed = importedPersonaSchema.safeParse(r.row);
      if (!parsed.success) {
        addBad(report, zodBad(r.line, parsed.error));
        continue;
      }
      const v = parsed.data;
      const row: ImportedPersonaRow = {
        persona: {
          sourceId: report.sourceId,
          externalId: v.id ?? `line:${r.line}`,
          name: v.name ?? null,
          narrative: v.narrative.trim(),
          // The file's demographics are 'given'; what it leaves out is read from the narrative.
          ...personaDemographics(
            {
              age: v.demographics?.age ?? null,
              gender: v.demographics?.gender ?? 'unknown',
              country: v.demographics?.country?.trim() || 'unknown',
              occupation: v.demographics?.occupation?.trim() || 'unknown',
            },
            v.narrative,
          ),
          model: v.model ?? null,
          status: 'draft',
          metadata: { import: { file: report.file, line: r.line } },
        },
      };
      if (v.answers && Object.keys(v.answers).length) {
        if (!v.instrument) {
          addBad(report, { line: r.line, field: 'instrument', reason: 'answers need the instrument they belong to' });
          continue;
        }
        const ins = instrument(v.instrument);
        if (!ins) {
          addBad(report, { line: r.line, field: 'instrument', reason: `unknown instrument "${v.instrument}"` });
          continue;
        }
        const known = new Set(ins.items.map((i) => i.itemId));
        const badItem = Object.entries(v.answers).find(([k, x]) => !known.has(k) || !Number.isInteger(x) || x < ins.scaleMin || x > ins.scaleMax);
        if (badItem) {
          const [k, x] = badItem;
          addBad(report, {
            line: r.line,
            field: `answers.${k}`,
            reason: known.has(k) ? `${x} is not an integer on the scale ${ins.scaleMin}-${ins.scaleMax}` : `"${k}" is not an item of ${ins.id}`,
          });
          continue;
        }
        row.responses = { instrumentId: ins.id, model: v.model ?? null, temperature: v.temperature ?? null, answers: v.answers };
        if (ins.items.every((i) => v.answers![i.itemId] !== undefined)) {
          const s = scoreCommon({ id: ins.id, scaleMin: ins.scaleMin, scaleMax: ins.scaleMax, items: ins.items }, new Map(Object.entries(v.answers)));
          row.scores = { instrumentId: ins.id, ...s };
          row.persona.status = 'measured';
        }
      }
      batch.push(row);
      if (batch.length >= (o.batchSize ?? 200)) flush();
    }
    flush();
    // Exact and near duplicates within the source (this file's personas and those stored before) are flagged for review.
    report.duplicates = recheckSourceDuplicates({ db, sourceId: report.sourceId, threshold: DUPLICATE_THRESHOLD });
  });
}
