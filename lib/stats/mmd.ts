import { createRng } from '../numeric/rng';
import { sampleIndices } from '../numeric/sampleIndices';
import { selectKth } from '../numeric/selectKth';
import { sumByIndex, uniqueRows } from '../numeric/uniqueRows';
import { prepareMetricInput, type MetricInput, type MetricResult, type PreparedMetricInput } from './metricInput';
import type { Matrix } from '../numeric/matrix';

/**
 * Median heuristic: the median Euclidean distance between distinct points of the pooled sample a U b
 * (on a seeded subsample of at most 1,000 points). O(s^2 d) expected, s <= 1000. Gretton et al. (2012).
 * @example medianHeuristic(matrixFromRows([[0], [1]]), matrixFromRows([[3]]), 0) === 2
 */
export function medianHeuristic(a: Matrix, b: Matrix, seed: number): number {
  const d = a.cols;
  const total = a.rows + b.rows;
  const s = Math.min(total, 1000);
  const rng = createRng(seed + 7919);
  const idx = sampleIndices(total, s, rng);
  const pts = new Float64Array(s * d);
  for (let t = 0; t < s; t++) {
    const i = idx[t]!;
    const src = i < a.rows ? a.data.subarray(i * d, i * d + d) : b.data.subarray((i - a.rows) * d, (i - a.rows) * d + d);
    pts.set(src, t * d);
  }
  // Squared distances: the square root is monotone, so the median's order statistics are read off the squares
  // (quickselect, O(s^2) instead of a sort) and only those two take a square root.
  const dist = new Float64Array((s * (s - 1)) / 2);
  let c = 0;
  for (let i = 0; i < s; i++) for (let j = i + 1; j < s; j++) dist[c++] = sqDist(pts, i * d, pts, j * d, d);
  const m = dist.length;
  if (m === 0) return 1;
  const hi = Math.sqrt(selectKth(dist, m >> 1));
  let below = -Infinity;
  if (m % 2 === 0) for (let i = 0; i < m >> 1; i++) if (dist[i]! > below) below = dist[i]!;
  const med = m % 2 ? hi : 0.5 * (Math.sqrt(below) + hi);
  return med > 0 ? med : 1;
}

/** One MMD value with how it was obtained: exactly, or estimated on a subsample with its standard error. */
export interface MmdEstimate {
  value: number;
  sigma: number;
  /** 'exact V-statistic' or 'unbiased estimate on subsamples'. */
  estimator: string;
  /** Rows drawn per side when estimated (null when exact). */
  subsample: number | null;
  /** Standard error of `value` when estimated (grouped jackknife, delta method), null when exact. */
  se: number | null;
}

/**
 * Default pair budget of the exact MMD on lattice points: u^2 <= 6.4e7 (8,000 distinct rows, about 0.3 s a pass in
 * Node on one core). Above it the subsample estimate (about 0.2 s a set) with its standard error: an exact pass over
 * the demo's 19,718 respondents took 2 s a set, which made every run, the frontier and auto's choice ten times dearer.
 */
export const MMD_EXACT_LIMIT = 6.4e7;
/** Default pair budget of the exact MMD on other points (one exp per pair and set): u^2 <= 1.6e7 (4,000 rows). */
export const MMD_EXACT_LIMIT_PAIRWISE = 1.6e7;
/** Rows drawn per side by the subsample estimate (standard error about 3-6% of the value on the bench's sets). */
export const MMD_SUBSAMPLE = 3000;
const JACKKNIFE_GROUPS = 20;

/**
 * MMD with the RBF kernel k(x, y) = exp(-|x - y|^2 / (2 sigma^2)), weights on either side.
 *
 * Definition: the weighted V-statistic (biased, non-negative) MMD^2 = sum a_i a_j k + sum b_i b_j k
 * - 2 sum a_i b_j k = D' K D with D = a - b the signed measure; value = sqrt(max(MMD^2, 0)). sigma: `mmdBandwidth`
 * or the median heuristic (default, on the rows as given). Computed on the distinct rows of a and b (duplicates
 * carry summed weight: the same measure, the same value). Exact when the u distinct rows satisfy u^2 <= exactLimit:
 * questionnaire scores on a common lattice (every trait a multiple of one step h; default limit MMD_EXACT_LIMIT,
 * 8,000 rows) take an O(u^2 d) pass that histograms D_i D_j by the integer squared distance (exact up to rounding),
 * other points the pairwise sum with one exp per pair (default MMD_EXACT_LIMIT_PAIRWISE, 4,000 rows). Above the limit,
 * a set is still exact by parts (a'Ka + b'Kb - 2 a'Kb) when b lies on a lattice with at most about 21,000 distinct rows
 * (b'Kb from its cached histogram of pair distances, for any sigma) and the set's own and cross pairs fit
 * MMD_SPLIT_LIMIT: a k-set against questionnaire respondents. Otherwise: the unbiased U-statistic on MMD_SUBSAMPLE seeded iid draws per side (draws from
 * the weighted measures, so its expectation is the exact V-statistic), with a grouped-jackknife standard error
 * (20 groups; delta method for the square root), stated in the result (see mmdBatch).
 * Reference: Gretton, Borgwardt, Rasch, Scholkopf, Smola (2012) A kernel two-sample test, JMLR 13.
 * @example mmd({ a, b: a }).value === 0
 */
export function mmd(input: MetricInput): MetricResult {
  const r = mmdBatch([{ a: input.a, aWeights: input.aWeights }], input.b, input.bWeights, input)[0]!;
  const parameters: Record<string, number | string> = { sigma: r.sigma, estimator: r.estimator, seed: input.seed ?? 0 };
  if (r.subsample !== null) {
    parameters.subsample = r.subsample;
    parameters.se = r.se!;
  }
  return { value: r.value, perDimension: null, parameters };
}

/**
 * MMD of several sets a_1..a_r (each optionally weighted) against one b: each entry equals mmd({ a, aWeights, b,
 * bWeights, ... }) (its own sigma from the median heuristic of a_s U b). The distinct rows of all sets and b are
 * found once and, on the lattice path, one pass over the pairs serves every set. O(u^2 (d + r)) exact.
 * @example mmdBatch([{ a }], a)[0].value === 0
 */
export function mmdBatch(
  items: { a: Matrix; aWeights?: ArrayLike<number> }[],
  b: Matrix,
  bWeights?: ArrayLike<number>,
  options: { seed?: number; mmdBandwidth?: number | 'median'; exactLimit?: number; subsample?: number } = {},
): MmdEstimate[] {
  const seed = options.seed ?? 0;
  const preps = items.map((it) => prepareMetricInput({ a: it.a, b, aWeights: it.aWeights, bWeights }));
  if (preps.length === 0) return [];
  const sigmas = preps.map((p) => (typeof options.mmdBandwidth === 'number' ? options.mmdBandwidth : medianHeuristic(p.a, p.b, seed)));
  const mats = Array.from(new Set(items.map((it) => it.a)));
  const uq = uniqueRows([...mats, b]);
  const u = uq.rows.rows;
  const lattice = u * u <= (options.exactLimit ?? MMD_EXACT_LIMIT) ? latticeCodes(uq.rows) : null;
  if (!lattice && u * u > (options.exactLimit ?? MMD_EXACT_LIMIT_PAIRWISE)) {
    // Too many rows for one pass over every pair: each set exactly by parts when it is small next to a target on a
    // lattice (the usual case: a k-set against questionnaire respondents), else the subsample estimate.
    const s = options.subsample ?? MMD_SUBSAMPLE;
    const self = options.exactLimit === undefined ? referenceSelfTerm(b, bWeights, preps[0]!.wb) : null;
    return preps.map((p, k) => (self && splitFits(p, self) ? splitMmd(p, self, sigmas[k]!) : subsampleMmd(p, sigmas[k]!, s, seed)));
  }
  const bIndex = uq.index[mats.length]!;
  const db = sumByIndex(bIndex, u, preps[0]!.wb);
  const D = preps.map((p, k) => {
    const v = sumByIndex(uq.index[mats.indexOf(items[k]!.a)]!, u, p.wa);
    for (let i = 0; i < u; i++) v[i] = v[i]! - db[i]!;
    return v;
  });
  const mmd2 = lattice ? latticeMmd2(lattice, D, sigmas) : pairwiseMmd2(uq.rows, D, sigmas);
  return mmd2.map((m2, k) => ({ value: Math.sqrt(Math.max(m2, 0)), sigma: sigmas[k]!, estimator: 'exact V-statistic', subsample: null, se: null }));
}

/** Pairs (one exp each) the exact MMD by parts may spend on a set: its own pairs and its pairs with the target's rows. */
export const MMD_SPLIT_LIMIT = 3e7;
/** Largest target (distinct rows) whose self-term is computed by one pass over its pairs (about 1 s at 21,000 rows). */
const MMD_SELF_LIMIT = 4.5e8;

/** The target's own term of MMD^2 for any bandwidth: its distinct rows, their weights, and the weighted pair counts by integer squared distance. */
interface SelfTerm {
  rows: Matrix;
  w: Float64Array;
  h: number;
  hist: Float64Array;
  /** The rows' lattice codes by dimension (row j of dimension k at codes[k][j]), the lattice origins and largest codes. */
  codes: Int32Array[];
  origins: number[];
  tops: number[];
  /** Dimensions grouped for the cross term (see crossGroups): each group's dimensions and the rows' joint codes. */
  groups: { dims: number[]; codes: Int32Array; size: number }[];
}
const selfTerms = new WeakMap<Matrix, Map<unknown, SelfTerm | null>>();
const NO_WEIGHTS = {};

/**
 * sum_ij b_i b_j [|b_i - b_j|^2 = h^2 q] by q, for a target on a lattice (questionnaire scores): b'K b for any sigma
 * is then sum_q hist_q exp(-h^2 q / (2 sigma^2)). Cached per target matrix and weights (a run's metrics, its frontier
 * and auto's folds measure many sets against one target). Null when the target is not on a lattice or too large.
 */
function referenceSelfTerm(b: Matrix, bWeights: ArrayLike<number> | undefined, wb: Float64Array): SelfTerm | null {
  let byWeights = selfTerms.get(b);
  if (!byWeights) selfTerms.set(b, (byWeights = new Map()));
  const key = bWeights ?? NO_WEIGHTS;
  if (byWeights.has(key)) return byWeights.get(key)!;
  const uq = uniqueRows([b]);
  const u = uq.rows.rows;
  const lat = u * u <= MMD_SELF_LIMIT ? latticeCodes(uq.rows) : null;
  let out: SelfTerm | null = null;
  if (lat) {
    const w = sumByIndex(uq.index[0]!, u, wb);
    const d = b.cols;
    const codes = Array.from({ length: d }, (_, k) => Int32Array.from({ length: u }, (_, j) => lat.codes[j * d + k]!));
    out = { rows: uq.rows, w, h: lat.h, hist: pairHistogram(lat, w), codes, origins: lat.origins, tops: lat.tops, groups: crossGroups(codes, lat.tops, u) };
  }
  byWeights.set(key, out);
  return out;
}

/**
 * sum_ij w_i w_j [q_ij = q] by the integer squared distance q of lattice rows. The codes are packed as digits
 * (c + top) in base 2 top + 1, so the difference of two packed numbers plus a fixed offset indexes the digit-wise
 * differences without borrows: the five dimensions go in groups of two (2 + 2 + 1) whose squared-distance tables are
 * looked up (three subtractions and three reads a pair). Other dimensions, or tables too large: the plain loop.
 */
function pairHistogram(lat: { codes: Int32Array; maxQ: number; tops: number[] }, w: Float64Array): Float64Array {
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

/** Whether a set is small enough for the exact MMD by parts against this target. */
function splitFits(p: PreparedMetricInput, self: SelfTerm): boolean {
  const ua = uniqueRows([p.a]).rows.rows;
  return ua * self.rows.rows <= MMD_SPLIT_LIMIT && ua * ua <= MMD_SPLIT_LIMIT;
}

/** Exact MMD (V-statistic) as a'Ka + b'Kb - 2 a'Kb: the set's pairs and cross pairs one exp each, the target's term from its histogram. */
function splitMmd(p: PreparedMetricInput, self: SelfTerm, sigma: number): MmdEstimate {
  const uq = uniqueRows([p.a]);
  const a = uq.rows;
  const wa = sumByIndex(uq.index[0]!, a.rows, p.wa);
  const d = a.cols;
  const gamma = 1 / (2 * sigma * sigma);
  // The set's own pairs: from the histogram of its integer squared distances when it lies on a lattice of its own
  // (questionnaire scores), else one exp per pair.
  const aLattice = latticeCodes(a);
  let aa = 0;
  if (aLattice) {
    const hist = pairHistogram(aLattice, wa);
    const ca = aLattice.h * aLattice.h * gamma;
    for (let q = 0; q < hist.length; q++) if (hist[q] !== 0) aa += hist[q]! * Math.exp(-ca * q);
  } else {
    for (let i = 0; i < a.rows; i++) {
      let r = 0;
      for (let j = i + 1; j < a.rows; j++) r += wa[j]! * Math.exp(-gamma * sqDist(a.data, i * d, a.data, j * d, d));
      aa += wa[i]! * (wa[i]! + 2 * r);
    }
  }
  // Cross pairs: the kernel is a product over dimensions and the target's values are o_k + h c, so each set row needs
  // one table of exp(-gamma (x_k - o_k - h c)^2) per dimension; dimensions go in groups (crossGroups) whose joint
  // table is the product of theirs, so a pair costs one read and one multiplication per group (3 for five traits).
  let ab = 0;
  const { w: wb, origins, tops, h, groups } = self;
  const ub = wb.length;
  const rowTables = tops.map((t) => new Float64Array(t + 1));
  const groupTables = groups.map((g) => new Float64Array(g.size));
  const prod = groups.length === 3 ? null : new Float64Array(ub);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < d; k++) {
      const x = a.data[i * d + k]! - origins[k]!;
      const tk = rowTables[k]!;
      for (let c = 0; c < tk.length; c++) tk[c] = Math.exp(-gamma * (x - h * c) * (x - h * c));
    }
    groups.forEach((g, gi) => fillGroupTable(groupTables[gi]!, g.dims.map((k) => rowTables[k]!)));
    let r = 0;
    if (prod === null) {
      const [g0, g1, g2] = groupTables as [Float64Array, Float64Array, Float64Array];
      const c0 = groups[0]!.codes;
      const c1 = groups[1]!.codes;
      const c2 = groups[2]!.codes;
      for (let j = 0; j < ub; j++) r += wb[j]! * g0[c0[j]!]! * g1[c1[j]!]! * g2[c2[j]!]!;
    } else {
      prod.set(wb);
      groups.forEach((g, gi) => {
        const t = groupTables[gi]!;
        for (let j = 0; j < ub; j++) prod[j] = prod[j]! * t[g.codes[j]!]!;
      });
      for (let j = 0; j < ub; j++) r += prod[j]!;
    }
    ab += wa[i]! * r;
  }
  const c = (self.h * self.h) * gamma;
  let bb = 0;
  for (let q = 0; q < self.hist.length; q++) if (self.hist[q] !== 0) bb += self.hist[q]! * Math.exp(-c * q);
  const m2 = aa + bb - 2 * ab;
  return { value: Math.sqrt(Math.max(m2, 0)), sigma, estimator: 'exact V-statistic', subsample: null, se: null };
}

/**
 * Groups of the dimensions for the cross term of splitMmd: consecutive pairs whose joint table (one entry per pair of
 * codes) holds at most as many entries as the target has rows, else single dimensions; each group's codes
 * are the rows' joint codes (c_k (top_{k+1} + 1) + c_{k+1} for a pair). Building the tables costs a set row the sum
 * of the group sizes, reading them one access per group and target row.
 */
function crossGroups(codes: Int32Array[], tops: number[], rows: number): { dims: number[]; codes: Int32Array; size: number }[] {
  const out: { dims: number[]; codes: Int32Array; size: number }[] = [];
  for (let k = 0; k < codes.length; ) {
    const pair = k + 1 < codes.length ? (tops[k]! + 1) * (tops[k + 1]! + 1) : Infinity;
    if (pair <= rows) {
      const span = tops[k + 1]! + 1;
      const a = codes[k]!;
      const b = codes[k + 1]!;
      out.push({ dims: [k, k + 1], codes: Int32Array.from({ length: rows }, (_, j) => a[j]! * span + b[j]!), size: pair });
      k += 2;
    } else {
      out.push({ dims: [k], codes: codes[k]!, size: tops[k]! + 1 });
      k += 1;
    }
  }
  return out;
}

/** The joint table of a group of dimensions: the outer product of their tables (row-major, the last one fastest). */
function fillGroupTable(out: Float64Array, tables: Float64Array[]): void {
  if (tables.length === 1) {
    out.set(tables[0]!);
    return;
  }
  const [x, y] = tables as [Float64Array, Float64Array];
  for (let c = 0, o = 0; c < x.length; c++) {
    const v = x[c]!;
    for (let e = 0; e < y.length; e++) out[o++] = v * y[e]!;
  }
}

/**
 * Integer codes of a matrix whose every column lies on a lattice of one common step h (values v_k0 + c h, c whole,
 * up to 1e-9 h): the squared distance of two rows is then h^2 times an integer. Null when not (or when the
 * integer squared distances would exceed 2^22).
 */
function latticeCodes(m: Matrix): { codes: Int32Array; h: number; maxQ: number; origins: number[]; tops: number[] } | null {
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
function latticeMmd2(lat: { codes: Int32Array; h: number; maxQ: number }, D: Float64Array[], sigmas: number[]): number[] {
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

/** D_s' K_s D_s on arbitrary points: one squared distance per pair, one kernel value per measure. */
function pairwiseMmd2(x: Matrix, D: Float64Array[], sigmas: number[]): number[] {
  const S = D.length;
  const { rows: u, cols: d } = x;
  const gam = sigmas.map((s) => 1 / (2 * s * s));
  const off = new Float64Array(S);
  for (let i = 0; i < u; i++) {
    const o = i * d;
    for (let j = i + 1; j < u; j++) {
      const q = sqDist(x.data, o, x.data, j * d, d);
      for (let s = 0; s < S; s++) off[s] = off[s]! + D[s]![i]! * D[s]![j]! * Math.exp(-gam[s]! * q);
    }
  }
  return D.map((v, s) => {
    let diag = 0;
    for (let i = 0; i < u; i++) diag += v[i]! * v[i]!;
    return diag + 2 * off[s]!;
  });
}

/** Seeded iid draws (by weight) of `count` rows of m: inverse CDF at sorted uniforms, then shuffled. */
function drawRows(m: Matrix, w: Float64Array, count: number, seed: number): Matrix {
  const rng = createRng(seed);
  const u = new Float64Array(count);
  for (let t = 0; t < count; t++) u[t] = rng.next();
  u.sort();
  const d = m.cols;
  const out = new Float64Array(count * d);
  let cum = w[0]!;
  let i = 0;
  const order = new Uint32Array(count);
  for (let t = 0; t < count; t++) order[t] = t;
  for (let t = count - 1; t > 0; t--) {
    const j = rng.nextInt(t + 1);
    const x = order[t]!;
    order[t] = order[j]!;
    order[j] = x;
  }
  for (let t = 0; t < count; t++) {
    while (u[t]! >= cum && i < m.rows - 1) cum += w[++i]!;
    out.set(m.data.subarray(i * d, i * d + d), order[t]! * d);
  }
  return { data: out, rows: count, cols: d };
}

/**
 * Unbiased MMD^2 (U-statistic) on `count` iid draws from each weighted measure, with the delete-a-group jackknife
 * over 20 groups (group g holds draws t = g mod 20 of both sides) for its standard error.
 */
function subsampleMmd(p: PreparedMetricInput, sigma: number, count: number, seed: number): MmdEstimate {
  const x = drawRows(p.a, p.wa, count, seed + 104729);
  const y = drawRows(p.b, p.wb, count, seed + 130363);
  const d = p.a.cols;
  const G = JACKKNIFE_GROUPS;
  const gamma = 1 / (2 * sigma * sigma);
  const xx = new Float64Array(G * G);
  const yy = new Float64Array(G * G);
  const xy = new Float64Array(G * G);
  // Draws on a common lattice (questionnaire scores): a pair's squared distance is h^2 times a whole number, so its
  // kernel value is read from a table instead of one exp per pair (the same values up to rounding).
  const both: Matrix = { data: new Float64Array(2 * count * d), rows: 2 * count, cols: d };
  both.data.set(x.data);
  both.data.set(y.data, count * d);
  const lat = latticeCodes(both);
  if (lat) {
    const c = lat.h * lat.h * gamma;
    const E = Float64Array.from({ length: lat.maxQ + 1 }, (_, q) => Math.exp(-c * q));
    const C = lat.codes;
    const yo = count * d;
    for (let i = 0; i < count; i++) {
      const gi = (i % G) * G;
      const o = i * d;
      for (let j = i + 1; j < count; j++) {
        const gj = gi + (j % G);
        xx[gj] = xx[gj]! + E[sqCodes(C, o, j * d, d)]!;
        yy[gj] = yy[gj]! + E[sqCodes(C, yo + o, yo + j * d, d)]!;
      }
      for (let j = 0; j < count; j++) xy[gi + (j % G)] = xy[gi + (j % G)]! + E[sqCodes(C, o, yo + j * d, d)]!;
    }
  } else {
    for (let i = 0; i < count; i++) {
      const gi = (i % G) * G;
      const o = i * d;
      for (let j = i + 1; j < count; j++) {
        const gj = j % G;
        xx[gi + gj] = xx[gi + gj]! + Math.exp(-gamma * sqDist(x.data, o, x.data, j * d, d));
        yy[gi + gj] = yy[gi + gj]! + Math.exp(-gamma * sqDist(y.data, o, y.data, j * d, d));
      }
      for (let j = 0; j < count; j++) xy[gi + (j % G)] = xy[gi + (j % G)]! + Math.exp(-gamma * sqDist(x.data, o, y.data, j * d, d));
    }
  }
  const sizes = new Float64Array(G);
  for (let t = 0; t < count; t++) sizes[t % G] = sizes[t % G]! + 1;
  const total = (m: Float64Array) => m.reduce((s, v) => s + v, 0);
  const touching = (m: Float64Array, g: number) => {
    let s = 0;
    for (let h = 0; h < G; h++) s += m[g * G + h]! + m[h * G + g]!;
    return s - m[g * G + g]!;
  };
  const estimate = (n: number, sxx: number, syy: number, sxy: number) => (2 * sxx) / (n * (n - 1)) + (2 * syy) / (n * (n - 1)) - (2 * sxy) / (n * n);
  const theta = estimate(count, total(xx), total(yy), total(xy));
  const loo = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    loo[g] = estimate(count - sizes[g]!, total(xx) - touching(xx, g), total(yy) - touching(yy, g), total(xy) - touching(xy, g));
  }
  const mean = loo.reduce((s, v) => s + v, 0) / G;
  const seTheta = Math.sqrt(((G - 1) / G) * loo.reduce((s, v) => s + (v - mean) ** 2, 0));
  const value = Math.sqrt(Math.max(theta, 0));
  const se = value > 0 ? Math.min(seTheta / (2 * value), Math.sqrt(seTheta)) : Math.sqrt(seTheta);
  return { value, sigma, estimator: 'unbiased estimate on subsamples', subsample: count, se };
}

/** Integer squared distance between the d lattice codes at C[a..] and C[b..]. */
function sqCodes(C: Int32Array, a: number, b: number, d: number): number {
  let q = 0;
  for (let k = 0; k < d; k++) {
    const t = C[a + k]! - C[b + k]!;
    q += t * t;
  }
  return q;
}

/** Squared Euclidean distance between the d values at x[xo..] and y[yo..]. */
function sqDist(x: Float64Array, xo: number, y: Float64Array, yo: number, d: number): number {
  let q = 0;
  for (let k = 0; k < d; k++) {
    const t = x[xo + k]! - y[yo + k]!;
    q += t * t;
  }
  return q;
}

function kernelSum(x: Matrix, wx: Float64Array, y: Matrix, wy: Float64Array, gamma: number): number {
  const d = x.cols;
  let total = 0;
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    const o = i * d;
    for (let j = 0; j < y.rows; j++) {
      s += wy[j]! * Math.exp(-gamma * sqDist(x.data, o, y.data, j * d, d));
    }
    total += wx[i]! * s;
  }
  return total;
}

/** kernelSum(x, w, x, w) using the symmetry of the kernel: half the kernel evaluations. */
function selfKernelSum(x: Matrix, w: Float64Array, gamma: number): number {
  const d = x.cols;
  let diag = 0;
  let off = 0;
  for (let i = 0; i < x.rows; i++) {
    diag += w[i]! * w[i]!;
    let s = 0;
    const o = i * d;
    for (let j = i + 1; j < x.rows; j++) {
      s += w[j]! * Math.exp(-gamma * sqDist(x.data, o, x.data, j * d, d));
    }
    off += w[i]! * s;
  }
  return diag + 2 * off;
}

/**
 * MMD^2 = aa + bb - 2 ab. The three sums are accumulated in different orders, so for identical sets the difference
 * is rounding noise of order eps (aa + bb), not zero; anything below 1e-12 (aa + bb) is reported as 0.
 */
function combineMmd2(aa: number, bb: number, ab: number): number {
  const mmd2 = aa + bb - 2 * ab;
  return mmd2 > 1e-12 * (aa + bb) ? mmd2 : 0;
}

/** A fixed first sample of the exact MMD with its kernel (Gram) matrix, for repeated calls that change only its
 * weights and the second sample (the studio's pool subsample). Memory O(n^2). */
export interface MmdGram {
  a: Matrix;
  sigma: number;
  /** exp(-|a_i - a_j|^2 / (2 sigma^2)), n x n. */
  gram: Float64Array;
}

/** Builds the Gram matrix of `a` for mmdWithGram. O(n^2 d). */
export function mmdGram(a: Matrix, sigma: number): MmdGram {
  const n = a.rows;
  const d = a.cols;
  const gamma = 1 / (2 * sigma * sigma);
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    gram[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const v = Math.exp(-gamma * sqDist(a.data, i * d, a.data, j * d, d));
      gram[i * n + j] = v;
      gram[j * n + i] = v;
    }
  }
  return { a, sigma, gram };
}

/**
 * The exact MMD (weighted V-statistic) of the cached sample under `aWeights` against `b`: the same value as
 * mmd({ a, b, aWeights, bWeights, mmdBandwidth: sigma }) on its exact path, with the a-a term read from the Gram
 * matrix instead of recomputed. O(n^2 + m^2 d / 2 + n m d).
 * @example mmdWithGram(mmdGram(a, 1), undefined, a) === 0
 */
export function mmdWithGram(g: MmdGram, aWeights: ArrayLike<number> | undefined, b: Matrix, bWeights?: ArrayLike<number>): number {
  const p = prepareMetricInput({ a: g.a, b, aWeights, bWeights });
  const n = g.a.rows;
  let aa = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += g.gram[row + j]! * p.wa[j]!;
    aa += p.wa[i]! * s;
  }
  const gamma = 1 / (2 * g.sigma * g.sigma);
  return Math.sqrt(combineMmd2(aa, selfKernelSum(p.b, p.wb, gamma), kernelSum(p.a, p.wa, p.b, p.wb, gamma)));
}
