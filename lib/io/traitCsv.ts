/**
 * CSV files of trait scores (id,E,A,C,N,O on the 1-5 scale) and of weights (id,weight), for the CLI and scripts.
 * Errors name the file, the line and the column so a person can fix the input.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TRAITS } from '../core/traits';
import type { Matrix } from '../numeric/matrix';

/** A problem in an input file, with where it is. */
export class TraitCsvError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: string | null,
    detail: string,
  ) {
    super(`${file}${line !== null ? `, line ${line}` : ''}${column !== null ? `, column ${column}` : ''}: ${detail}`);
    this.name = 'TraitCsvError';
  }
}

/** Splits one CSV line (RFC 4180 quotes, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim());
}

function readLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TraitCsvError(file, null, null, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n?/g, '\n').split('\n');
}

function quote(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Reads id,E,A,C,N,O (header required, any column order, extra columns ignored). Every score must be a number on
 * the 1-5 scale; ids must be present and unique. Returns ids and an n x 5 matrix in trait order E A C N O.
 */
export function readTraitCsv(file: string, range: readonly [number, number] = [1, 5]): { ids: string[]; traits: Matrix } {
  const lines = readLines(file);
  const headerIdx = lines.findIndex((l) => l.trim() !== '');
  if (headerIdx < 0) throw new TraitCsvError(file, null, null, 'the file is empty; expected a header id,E,A,C,N,O and one row per person');
  const header = splitCsvLine(lines[headerIdx]!);
  const pos = new Map(header.map((h, i) => [h, i]));
  for (const col of ['id', ...TRAITS]) {
    if (!pos.has(col)) throw new TraitCsvError(file, headerIdx + 1, col, `the header has no "${col}" column; expected id,E,A,C,N,O`);
  }
  const ids: string[] = [];
  const values: number[] = [];
  const seen = new Map<string, number>();
  for (let li = headerIdx + 1; li < lines.length; li++) {
    const raw = lines[li]!;
    if (raw.trim() === '') continue;
    const cells = splitCsvLine(raw);
    const lineNo = li + 1;
    const id = cells[pos.get('id')!] ?? '';
    if (id === '') throw new TraitCsvError(file, lineNo, 'id', 'the id is empty');
    if (seen.has(id)) throw new TraitCsvError(file, lineNo, 'id', `duplicate id "${id}" (first on line ${seen.get(id)})`);
    seen.set(id, lineNo);
    for (const col of TRAITS) {
      const cell = cells[pos.get(col)!];
      if (cell === undefined || cell === '') throw new TraitCsvError(file, lineNo, col, 'the value is missing');
      const v = Number(cell);
      if (!Number.isFinite(v)) throw new TraitCsvError(file, lineNo, col, `"${cell}" is not a number`);
      if (v < range[0] || v > range[1]) throw new TraitCsvError(file, lineNo, col, `${v} is outside the ${range[0]}-${range[1]} scale`);
      values.push(v);
    }
    ids.push(id);
  }
  if (ids.length === 0) throw new TraitCsvError(file, null, null, 'the file has a header but no rows');
  return { ids, traits: { data: Float64Array.from(values), rows: ids.length, cols: 5 } };
}

/** Reads id,weight and returns the weights in the order of `ids` (every id needs a finite, non-negative weight). */
export function readWeightsCsv(file: string, ids: string[]): Float64Array {
  const lines = readLines(file);
  const headerIdx = lines.findIndex((l) => l.trim() !== '');
  if (headerIdx < 0) throw new TraitCsvError(file, null, null, 'the file is empty; expected a header id,weight');
  const header = splitCsvLine(lines[headerIdx]!);
  const iId = header.indexOf('id');
  const iW = header.indexOf('weight');
  if (iId < 0 || iW < 0) throw new TraitCsvError(file, headerIdx + 1, iId < 0 ? 'id' : 'weight', 'expected the header id,weight');
  const byId = new Map<string, number>();
  for (let li = headerIdx + 1; li < lines.length; li++) {
    const raw = lines[li]!;
    if (raw.trim() === '') continue;
    const cells = splitCsvLine(raw);
    const v = Number(cells[iW]);
    if (cells[iW] === undefined || cells[iW] === '' || !Number.isFinite(v) || v < 0) {
      throw new TraitCsvError(file, li + 1, 'weight', `"${cells[iW] ?? ''}" is not a non-negative number`);
    }
    byId.set(cells[iId] ?? '', v);
  }
  const out = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    const w = byId.get(id);
    if (w === undefined) throw new TraitCsvError(file, null, 'id', `no weight for id "${id}"`);
    out[i] = w;
  });
  return out;
}

/** Writes a CSV with a header; creates the directory. */
export function writeCsv(file: string, header: string[], rows: (string | number)[][]): void {
  mkdirSync(dirname(file), { recursive: true });
  const body = rows.map((r) => r.map((c) => (typeof c === 'number' ? String(c) : quote(c))).join(',')).join('\n');
  writeFileSync(file, `${header.join(',')}\n${body}${rows.length ? '\n' : ''}`);
}

/** Writes id,E,A,C,N,O rows. */
export function writeTraitCsv(file: string, ids: string[], traits: Matrix): void {
  writeCsv(
    file,
    ['id', ...TRAITS],
    ids.map((id, i) => [id, ...Array.from(traits.data.subarray(i * 5, i * 5 + 5), (v) => Number(v.toFixed(6)))]),
  );
}
