/**
 * The exact MMD by parts, a'Ka + b'Kb - 2 a'Kb, for a set measured against a large target on a lattice (a k-set
 * against questionnaire respondents): the target's own term from its cached histogram of pair distances
 * (referenceSelfTerm), the set's own and cross pairs computed directly (splitMmd) when they fit MMD_SPLIT_LIMIT.
 */
import type { Matrix } from '../numeric/matrix';
import { sumByIndex, uniqueRows } from '../numeric/uniqueRows';
import type { PreparedMetricInput } from './metricInput';
import type { MmdEstimate } from './mmd';
import { latticeCodes, pairHistogram } from './mmdLattice';
import { sqDist } from './squaredDistance';

/** Pairs (one exp each) the exact MMD by parts may spend on a set: its own pairs and its pairs with the target's rows. */
export const MMD_SPLIT_LIMIT = 3e7;
/** Largest target (distinct rows) whose self-term is computed by one pass over its pairs (about 1 s at 21,000 rows). */
const MMD_SELF_LIMIT = 4.5e8;

/** The target's own term of MMD^2 for any bandwidth: its distinct rows, their weights, and the weighted pair counts by integer squared distance. */
export interface SelfTerm {
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
export function referenceSelfTerm(b: Matrix, bWeights: ArrayLike<number> | undefined, wb: Float64Array): SelfTerm | null {
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

/** Whether a set is small enough for the exact MMD by parts against this target. */
export function splitFits(p: PreparedMetricInput, self: SelfTerm): boolean {
  const ua = uniqueRows([p.a]).rows.rows;
  return ua * self.rows.rows <= MMD_SPLIT_LIMIT && ua * ua <= MMD_SPLIT_LIMIT;
}

/** Exact MMD (V-statistic) as a'Ka + b'Kb - 2 a'Kb: the set's pairs and cross pairs one exp each, the target's term from its histogram. */
export function splitMmd(p: PreparedMetricInput, self: SelfTerm, sigma: number): MmdEstimate {
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
