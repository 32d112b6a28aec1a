/**
 * The table formats (the simulator formats are in simulators.ts), written deterministically (same rows -> same bytes):
 * - JSONL: one canonical JSON object per line (keys in column order), '\n' line ends.
 * - CSV: RFC 4180 (comma, CRLF, fields with comma / quote / CR / LF / leading or trailing space quoted, quotes doubled),
 *   UTF-8 without BOM; a text cell starting with = + - @ TAB or CR gets a leading single quote so that a spreadsheet
 *   shows it as text instead of running it as a formula (OWASP CSV injection). Numbers are written as JavaScript
 *   prints them (shortest round-trip form), null as an empty cell.
 * - Parquet: hyparquet-writer, one typed column per field, snappy, statistics on, fixed created_by.
 */
import { createHash } from 'node:crypto';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { TRAITS } from '../core/traits';
import { csvCell } from './csv';
import { EXPORT_COLUMNS, type ExportFormat, type ExportRow } from './schema';
import { toAgentPrompts, toHfDataset, toOasisReddit, toOasisTwitter, toTinyTroupe, type SimulatorMeta } from './simulators';

export { csvCell };

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

export function toCsv(rows: ExportRow[]): Uint8Array {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const r of rows) lines.push(EXPORT_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

const INT_COLUMNS = new Set(['personaId', 'parentId', 'age', 'count']);
const DOUBLE_COLUMNS = new Set<string>([...TRAITS, 'weight']);
const parquetType = (c: string) => (INT_COLUMNS.has(c) ? ('INT32' as const) : DOUBLE_COLUMNS.has(c) ? ('DOUBLE' as const) : ('STRING' as const));

/** The Parquet columns as Hugging Face dataset features (name and dtype). */
export const PARQUET_FEATURES = EXPORT_COLUMNS.map((c) => ({ name: c, dtype: { INT32: 'int32', DOUBLE: 'float64', STRING: 'string' }[parquetType(c)] }));

export function toParquet(rows: ExportRow[], meta: { version: string; rowsSha256: string }): Uint8Array {
  const columnData = EXPORT_COLUMNS.map((c) => ({ name: c, data: rows.map((r) => r[c]), type: parquetType(c), nullable: true }));
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

/** The bytes of a set in one format. */
export function renderRows(rows: ExportRow[], format: ExportFormat, meta: SimulatorMeta): Uint8Array {
  switch (format) {
    case 'jsonl':
      return toJsonl(rows);
    case 'csv':
      return toCsv(rows);
    case 'parquet':
      return toParquet(rows, meta);
    case 'tinytroupe':
      return toTinyTroupe(rows, meta);
    case 'oasis-twitter':
      return toOasisTwitter(rows, meta);
    case 'oasis-reddit':
      return toOasisReddit(rows, meta);
    case 'prompts':
      return toAgentPrompts(rows, meta);
    case 'hf-dataset':
      return toHfDataset(rows, meta, toParquet(rows, meta), PARQUET_FEATURES);
  }
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  tinytroupe: 'application/zip',
  'oasis-twitter': 'text/csv; charset=utf-8',
  'oasis-reddit': 'application/json; charset=utf-8',
  prompts: 'application/x-ndjson; charset=utf-8',
  'hf-dataset': 'application/zip',
};

/** File name endings per format. */
export const FILE_EXTENSIONS: Record<ExportFormat, string> = {
  jsonl: 'jsonl',
  csv: 'csv',
  parquet: 'parquet',
  tinytroupe: 'tinytroupe.zip',
  'oasis-twitter': 'oasis-twitter.csv',
  'oasis-reddit': 'oasis-reddit.json',
  prompts: 'prompts.jsonl',
  'hf-dataset': 'hf-dataset.zip',
};
