/** Loads tests/fixtures/reference.json (written by tests/fixtures/generate_reference.py). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Matrix } from '../../lib/numeric/matrix';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ref: any = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/reference.json', import.meta.url)), 'utf8'));

export function mat(values: number[], rows: number, cols: number): Matrix {
  return { data: Float64Array.from(values), rows, cols };
}
