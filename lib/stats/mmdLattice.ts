/**
 * The MMD's lattice machinery: questionnaire scores lie on a lattice of one step h, so a pair's squared distance is
 * h^2 times a whole number q and the Gaussian kernel becomes a table indexed by q. Integer codes of the rows
 * (latticeCodes), the weighted histogram of their pairs by q (pairHistogram) and the quadratic forms D' K D of
 * signed measures on them (latticeMmd2).
 */
import type { Matrix } from '../numeric/matrix';

/**
 * Integer codes of a matrix whose every column lies on a lattice of one common step h (values v_k0 + c h, c whole,
 * up to 1e-9 h): the squared distance of two rows is then h^2 times an integer. Null when not (or when the
 * integer squared distances would exceed 2^22).
 */
export function latticeCodes(m: Matrix): { codes: Int32Array; h: number; maxQ: number; origins: number[]; tops: number[] } | null {
  const { rows: n, cols: d } = m;
  if (n === 0) return null;
  const col = new Float64Array(n);
  const steps: number[] = [];
  const origins: number[] = [];
  for (let k = 0; k < d; k++) {
    for (let i = 0; i < n; i++) col[i] = m.data[i * d + k]!;
    col.sort();
    let step = Infinity;
    let distinct = 1;
    for (let i = 1; i < n; i++) {
      const g = col[i]! - col[i - 1]!;
      if (g > 0) {
        distinct++;
        if (g < step) step = g;
      }
    }
    if (distinct > 4096) return null;
    steps.push(step);
    origins.push(col[0]!);
  }
  const finite = steps.filter((s) => Number.isFinite(s));
  const h = finite.length ? Math.min(...finite) : 1;
  const codes = new Int32Array(n * d);
  let maxQ = 0;
  const tops: number[] = [];
  for (let k = 0; k < d; k++) {
    let top = 0;
    for (let i = 0; i < n; i++) {
      const x = (m.data[i * d + k]! - origins[k]!) / h;
      const c = Math.round(x);
      if (Math.abs(x - c) > 1e-9 * Math.max(1, Math.abs(x))) return null;
      codes[i * d + k] = c;
      if (c > top) top = c;
    }
    maxQ += top * top;
    tops.push(top);
  }
  if (maxQ > 1 << 22) return null;
  return { codes, h, maxQ, origins, tops };
}

/**
 * D_s' K_s D_s for every signed measure D_s on lattice points: the squared distance of a pair is h^2 q with q a
 * whole number, so each measure's kernel is a table of exp(-h^2 q / (2 sigma_s^2)); measures go four at a time.
 */
export function latticeMmd2(lat: { codes: Int32Array; h: number; maxQ: number }, D: Float64Array[], sigmas: number[]): number[] {
  const out: number[] = [];
  for (let s0 = 0; s0 < D.length; s0 += 4) {
    const group = [0, 1, 2, 3].map((t) => Math.min(s0 + t, D.length - 1));
    const r = latticeQuad4(
      lat,
      group.map((s) => D[s]!),
      group.map((s) => sigmas[s]!),
    );
    for (let t = 0; t < 4 && s0 + t < D.length; t++) out.push(r[t]!);
  }
  return out;
}

/** latticeMmd2 for four measures at once: one pass over the pairs, one kernel table per measure. */
function latticeQuad4(lat: { codes: Int32Array; h: number; maxQ: number }, D: Float64Array[], sigmas: number[]): number[] {
  const { codes, h, maxQ } = lat;
  const u = D[0]!.length;
  const d = codes.length / u;
  const tables = sigmas.map((sg) => {
    const c = (h * h) / (2 * sg * sg);
    return Float64Array.from({ length: maxQ + 1 }, (_, q) => Math.exp(-c * q));
  });
  const [T0, T1, T2, T3] = tables as [Float64Array, Float64Array, Float64Array, Float64Array];
  const Dt = new Float64Array(u * 4);
  for (let i = 0; i < u; i++) for (let s = 0; s < 4; s++) Dt[i * 4 + s] = D[s]![i]!;
  const dd = new Int32Array(d);
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  for (let i = 0; i < u; i++) {
    const o = i * d;
    for (let k = 0; k < d; k++) dd[k] = codes[o + k]!;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    for (let j = i + 1; j < u; j++) {
      const p = j * d;
      let q = 0;
      for (let k = 0; k < d; k++) {
        const t = dd[k]! - codes[p + k]!;
        q += t * t;
      }
      const js = j * 4;
      r0 += T0[q]! * Dt[js]!;
      r1 += T1[q]! * Dt[js + 1]!;
      r2 += T2[q]! * Dt[js + 2]!;
      r3 += T3[q]! * Dt[js + 3]!;
    }
    const is = i * 4;
    a0 += Dt[is]! * (2 * r0 + Dt[is]!);
    a1 += Dt[is + 1]! * (2 * r1 + Dt[is + 1]!);
    a2 += Dt[is + 2]! * (2 * r2 + Dt[is + 2]!);
    a3 += Dt[is + 3]! * (2 * r3 + Dt[is + 3]!);
  }
  return [a0, a1, a2, a3];
}

/**
 * sum_ij w_i w_j [q_ij = q] by the integer squared distance q of lattice rows. The codes are packed as digits
 * (c + top) in base 2 top + 1, so the difference of two packed numbers plus a fixed offset indexes the digit-wise
 * differences without borrows: the five dimensions go in groups of two (2 + 2 + 1) whose squared-distance tables are
 * looked up (three subtractions and three reads a pair). Other dimensions, or tables too large: the plain loop.
 */
export function pairHistogram(lat: { codes: Int32Array; maxQ: number; tops: number[] }, w: Float64Array): Float64Array {
  const u = w.length;
  const d = lat.tops.length;
  const hist = new Float64Array(lat.maxQ + 1);
  for (let i = 0; i < u; i++) hist[0] = hist[0]! + w[i]! * w[i]!;
  // Groups of two dimensions keep each table small enough for the first-level cache (81^2 entries for 0.1 steps on 1-5).
  const groups: number[][] = [];
  for (let k = 0; k < d; k += 2) groups.push(lat.tops.slice(k, k + 2));
  const sizes = groups.map((g) => g.reduce((a, t) => a * (2 * t + 1), 1));
  if (d !== 5 || Math.max(...sizes) > 1 << 16) {
    for (let i = 0; i < u; i++) {
      const o = i * d;
      const wi2 = 2 * w[i]!;
      for (let j = i + 1; j < u; j++) {
        let q = 0;
        for (let k = 0; k < d; k++) {
          const t = lat.codes[o + k]! - lat.codes[j * d + k]!;
          q += t * t;
        }
        hist[q] = hist[q]! + wi2 * w[j]!;
      }
    }
    return hist;
  }
  // Per group: packed codes of every row, and the table from (packed difference + offset) to the squared distance.
  const packed: Int32Array[] = [];
  const tables: Int32Array[] = [];
  const offsets: number[] = [];
  let k0 = 0;
  for (const g of groups) {
    const base = g.map((t) => 2 * t + 1);
    const pk = new Int32Array(u);
    let offset = 0;
    let mult = 1;
    for (let k = 0; k < g.length; k++) {
      for (let j = 0; j < u; j++) pk[j] = pk[j]! + lat.codes[j * d + k0 + k]! * mult;
      offset += g[k]! * mult;
      mult *= base[k]!;
    }
    const table = new Int32Array(mult);
    for (let idx = 0; idx < mult; idx++) {
      let rest = idx;
      let q = 0;
      for (let k = 0; k < g.length; k++) {
        const diff = (rest % base[k]!) - g[k]!;
        rest = Math.floor(rest / base[k]!);
        q += diff * diff;
      }
      table[idx] = q;
    }
    packed.push(pk);
    tables.push(table);
    offsets.push(offset);
    k0 += g.length;
  }
  const [p0, p1, p2] = packed as [Int32Array, Int32Array, Int32Array];
  const [t0, t1, t2] = tables as [Int32Array, Int32Array, Int32Array];
  const [f0, f1, f2] = offsets as [number, number, number];
  for (let i = 0; i < u; i++) {
    const wi2 = 2 * w[i]!;
    const a0 = p0[i]! + f0;
    const a1 = p1[i]! + f1;
    const a2 = p2[i]! + f2;
    for (let j = i + 1; j < u; j++) {
      const q = t0[a0 - p0[j]!]! + t1[a1 - p1[j]!]! + t2[a2 - p2[j]!]!;
      hist[q] = hist[q]! + wi2 * w[j]!;
    }
  }
  return hist;
}
