import { createMatrix, type Matrix } from './matrix';

/** The distinct rows of one or more matrices (same column count) and where each input row went. */
export interface UniqueRows {
  /** Distinct rows in order of first appearance, u x d. */
  rows: Matrix;
  /** Per input matrix, the distinct-row index of each of its rows. */
  index: Uint32Array[];
}

/**
 * Distinct rows of several matrices with one shared numbering: two rows are the same when every value is equal
 * (0 and -0 count as equal; NaN must not be present). Open-addressing hash table on the values' bit patterns, with
 * full row comparison on collision, so the result is exact. O(total rows x d) expected time, O(total rows) memory.
 * Used to measure a weighted sample on its distinct rows: a sample and its distinct rows carrying the summed
 * weights are the same measure, so every metric of the measure is unchanged (questionnaire scores repeat often).
 * @example uniqueRows([matrixFromRows([[1, 2], [1, 2], [3, 4]])]).rows.rows === 2
 */
export function uniqueRows(mats: readonly Matrix[]): UniqueRows {
  const d = mats[0]?.cols ?? 0;
  let total = 0;
  for (const m of mats) total += m.rows;
  let cap = 1024;
  while (cap < 2 * total) cap *= 2;
  const table = new Int32Array(cap).fill(-1);
  let hashes = new Uint32Array(Math.max(16, Math.min(total, 1 << 16)));
  let data = new Float64Array(Math.max(16, Math.min(total, 1 << 16)) * d);
  let u = 0;
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const index: Uint32Array[] = [];
  for (const m of mats) {
    const idx = new Uint32Array(m.rows);
    const x = m.data;
    for (let i = 0; i < m.rows; i++) {
      const o = i * d;
      let h = 0x811c9dc5;
      for (let k = 0; k < d; k++) {
        f64[0] = x[o + k]! + 0;
        h = Math.imul(h ^ u32[0]!, 0x01000193);
        h = Math.imul(h ^ u32[1]!, 0x01000193);
        h ^= h >>> 15;
      }
      h >>>= 0;
      let slot = h & (cap - 1);
      let found = -1;
      for (;;) {
        const r = table[slot]!;
        if (r < 0) break;
        if (hashes[r] === h) {
          let same = true;
          const p = r * d;
          for (let k = 0; k < d; k++) {
            if (data[p + k] !== x[o + k]) {
              same = false;
              break;
            }
          }
          if (same) {
            found = r;
            break;
          }
        }
        slot = (slot + 1) & (cap - 1);
      }
      if (found < 0) {
        if (u === hashes.length) {
          const nh = new Uint32Array(Math.min(total, 2 * u));
          nh.set(hashes);
          hashes = nh;
          const nd = new Float64Array(nh.length * d);
          nd.set(data);
          data = nd;
        }
        found = u++;
        hashes[found] = h;
        for (let k = 0; k < d; k++) data[found * d + k] = x[o + k]! + 0;
        table[slot] = found;
      }
      idx[i] = found;
    }
    index.push(idx);
  }
  const rows = createMatrix(u, d);
  rows.data.set(data.subarray(0, u * d));
  return { rows, index };
}

/**
 * Sums weights (or counts, when weights are undefined) by distinct-row index: out[index[i]] += w_i. O(n).
 * @example sumByIndex(Uint32Array.of(0, 0, 1), 2) -> [2, 1]
 */
export function sumByIndex(index: Uint32Array, u: number, weights?: ArrayLike<number>): Float64Array {
  const out = new Float64Array(u);
  if (weights) for (let i = 0; i < index.length; i++) out[index[i]!] = out[index[i]!]! + weights[i]!;
  else for (let i = 0; i < index.length; i++) out[index[i]!] = out[index[i]!]! + 1;
  return out;
}
