/**
 * Reading an import file as a stream: rows of a CSV (header first) or JSONL file with their line numbers, unparseable
 * rows as errors (a file cut short says so), the format from the file name.
 */
import { parse } from 'csv-parse';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { AppError } from '../http/errors';

export type ImportInput = Readable | ReadableStream<Uint8Array> | AsyncIterable<string | Uint8Array> | string;
/** How a bad row that is the cut-off end of the file starts its reason. */
export const ENDS_MID_ROW = 'the file ends mid-row, so it was probably cut short';

function toReadable(input: ImportInput): Readable {
  if (typeof input === 'string') return Readable.from([input]);
  if (input instanceof Readable) return input;
  // a request body: Node's global ReadableStream is the class of node:stream/web
  if (input instanceof NodeReadableStream) return Readable.fromWeb(input);
  if ('getReader' in input) throw new TypeError('a web stream that is not a Node.js ReadableStream cannot be read');
  return Readable.from(input);
}

export function formatOf(fileName: string, format?: string): 'csv' | 'jsonl' {
  const f = (format ?? path.extname(fileName).slice(1)).toLowerCase();
  if (f === 'csv') return 'csv';
  if (f === 'jsonl' || f === 'ndjson' || f === 'json') return 'jsonl';
  throw new AppError('unknown_format', `${fileName}: unknown file type "${f || '(none)'}"; use .csv or .jsonl.`, 400);
}

/** Rows of a CSV (header first) or JSONL stream with their 1-based line numbers; unparseable rows come as errors. */
export async function* readRows(
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
