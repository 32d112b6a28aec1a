/** Reading the embedded demo data files (db/seed-data), with errors that name the file and line. */
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const seedDataDir = path.join(/* turbopackIgnore: true */ process.cwd(), 'db', 'seed-data');

export function seedFile(relative: string): string {
  return path.join(seedDataDir, relative);
}

export class DemoDataError extends Error {
  constructor(file: string, line: number | undefined, message: string) {
    super(`${file}${line !== undefined ? `, line ${line}` : ''}: ${message}`);
    this.name = 'DemoDataError';
  }
}

/** Parses a CSV (or TSV with delimiter '\t') into records keyed by header. */
export function readCsv(relative: string, delimiter = ','): Record<string, string>[] {
  const text = readFileSync(seedFile(relative), 'utf8');
  return parse(text, { columns: true, delimiter, bom: true, skip_empty_lines: true, relax_column_count: false });
}

/** Parses a JSON Lines file. */
export function readJsonl<T>(relative: string): T[] {
  const lines = readFileSync(seedFile(relative), 'utf8').split('\n');
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (e) {
      throw new DemoDataError(relative, i + 1, `not valid JSON (${(e as Error).message})`);
    }
  });
  return out;
}

export function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(seedFile(relative), 'utf8')) as T;
}

/** An integer field, or a DemoDataError naming file, line and field. */
export function intField(rec: Record<string, string>, field: string, file: string, line: number): number {
  const raw = rec[field];
  const v = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isInteger(v)) {
    throw new DemoDataError(file, line, `field "${field}" must be an integer, got "${raw ?? ''}"`);
  }
  return v;
}

export function numField(rec: Record<string, string>, field: string, file: string, line: number): number {
  const raw = rec[field];
  const v = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isFinite(v)) {
    throw new DemoDataError(file, line, `field "${field}" must be a number, got "${raw ?? ''}"`);
  }
  return v;
}
