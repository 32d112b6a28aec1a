/**
 * The three export formats, written deterministically (same rows -> same bytes):
 * - JSONL: one canonical JSON object per line (keys in column order), '\n' line ends.
 * - CSV: RFC 4180 (comma, CRLF, fields with comma / quote / CR / LF / leading or trailing space quoted, quotes doubled),
 *   UTF-8 without BOM; a text cell starting with = + - @ TAB or CR gets a leading single quote so that a spreadsheet
 *   shows it as text instead of running it as a formula (OWASP CSV injection). Numbers are written as JavaScript
 *   prints them (shortest round-trip form), null as an empty cell.
 * - Parquet: hyparquet-writer, one typed column per field, snappy, statistics on, fixed created_by.
 */
import { createHash } from 'node:crypto';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { EXPORT_COLUMNS, type ExportFormat, type ExportRow } from './schema';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The row with its keys in column order (the canonical form that is hashed and written). */
export function canonicalRow(row: ExportRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of EXPORT_COLUMNS) out[c] = row[c];
  return out;
}

export function rowHash(row: ExportRow): string {
  return sha256Hex(JSON.stringify(canonicalRow(row)));
}

export function toJsonl(rows: ExportRow[]): Uint8Array {
  return new TextEncoder().encode(rows.map((r) => JSON.stringify(canonicalRow(r))).join('\n') + (rows.length ? '\n' : ''));
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-neutralised (text only), then quoted when RFC 4180 requires it. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number') s = Number.isFinite(value) ? String(value) : '';
  else {
    s = String(value);
    if (FORMULA_START.test(s)) s = `'${s}`;
  }
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: ExportRow[]): Uint8Array {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const r of rows) lines.push(EXPORT_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

const INT_COLUMNS = new Set(['personaId', 'parentId', 'age', 'count']);
const DOUBLE_COLUMNS = new Set(['E', 'A', 'C', 'N', 'O', 'weight']);

export function toParquet(rows: ExportRow[], meta: { version: string; rowsSha256: string }): Uint8Array {
  const columnData = EXPORT_COLUMNS.map((c) => ({
    name: c,
    data: rows.map((r) => r[c]),
    type: INT_COLUMNS.has(c) ? ('INT32' as const) : DOUBLE_COLUMNS.has(c) ? ('DOUBLE' as const) : ('STRING' as const),
    nullable: true,
  }));
  const buf = parquetWriteBuffer({
    columnData,
    createdBy: `populace ${meta.version}`,
    kvMetadata: [
      { key: 'populace.columns', value: EXPORT_COLUMNS.join(',') },
      { key: 'populace.rowsSha256', value: meta.rowsSha256 },
    ],
  });
  return new Uint8Array(buf);
}

export function renderRows(rows: ExportRow[], format: ExportFormat, meta: { version: string; rowsSha256: string }): Uint8Array {
  if (format === 'jsonl') return toJsonl(rows);
  if (format === 'csv') return toCsv(rows);
  return toParquet(rows, meta);
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};
