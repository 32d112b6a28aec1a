/**
 * Loads the Open-Source Psychometrics IPIP-50 sample (db/seed-data/reference/big5-openpsychometrics/data.csv:
 * TAB-separated, CRLF, items E1..O10 with 0 = missed) and scores the five traits with the IPIP-50 key
 * (db/seed-data/instruments/ipip50.csv; '-' items scored 6 - x; trait = mean of its 10 items, 1-5 scale).
 * Rows with any missed item are dropped (one row in this file). Returns an n x 5 matrix in trait order E A C N O.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Matrix } from '../../lib/numeric/matrix';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const BIG5_DATA = `${root}db/seed-data/reference/big5-openpsychometrics/data.csv`;
export const IPIP50_KEY = `${root}db/seed-data/instruments/ipip50.csv`;

let cache: { traits: Matrix; dropped: number } | null = null;

export function loadBig5Traits(): { traits: Matrix; dropped: number } {
  if (cache) return cache;
  const key = new Map<string, { trait: string; reverse: boolean }>();
  const keyLines = readFileSync(IPIP50_KEY, 'utf8').replace(/\r/g, '').split('\n').filter(Boolean);
  for (const line of keyLines.slice(1)) {
    const [id, trait, keyed] = line.split(',');
    key.set(id!, { trait: trait!, reverse: keyed === '-' });
  }
  const lines = readFileSync(BIG5_DATA, 'utf8').replace(/\r/g, '').split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]!.split('\t');
  const order = ['E', 'A', 'C', 'N', 'O'];
  const cols: { col: number; trait: number; reverse: boolean }[] = [];
  header.forEach((h, col) => {
    const k = key.get(h);
    if (k) cols.push({ col, trait: order.indexOf(h[0]!), reverse: k.reverse });
  });
  if (cols.length !== 50) throw new Error(`expected 50 IPIP items in ${BIG5_DATA}, found ${cols.length}`);
  const out: number[] = [];
  let dropped = 0;
  const sums = new Float64Array(5);
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    sums.fill(0);
    let ok = true;
    for (const c of cols) {
      const v = Number(cells[c.col]);
      if (!(v >= 1 && v <= 5)) {
        ok = false;
        break;
      }
      sums[c.trait] = sums[c.trait]! + (c.reverse ? 6 - v : v);
    }
    if (!ok) {
      dropped++;
      continue;
    }
    for (let k = 0; k < 5; k++) out.push(sums[k]! / 10);
  }
  cache = { traits: { data: Float64Array.from(out), rows: out.length / 5, cols: 5 }, dropped };
  return cache;
}
