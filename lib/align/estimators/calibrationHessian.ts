/** The calibration dual's Hessian: the weighted covariance of the standardised features over (sampled) pool rows. */
import { denseFeatures, type MomentFeatureSet } from './momentFeatures';

/** What the Hessian pass reads of the dual (DualProblem) at its last evaluated lambda. */
export interface DualRows {
  readonly fs: MomentFeatureSet;
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly base: Float64Array;
  /** Scores s_i of the last evaluated lambda and their maximum. */
  readonly scores: Float64Array;
  readonly smax: number;
  /** Active features: their count, raw indices, compact index of each raw feature (-1 = inactive), dense ones. */
  readonly q: number;
  readonly active: Int32Array;
  readonly compactOf: Int32Array;
  readonly denseActive: Int32Array;
  /** Per-row raw feature index of the bin each column falls in (n x d, -1 = no bins), or null without bins. */
  readonly binFeature: Int32Array | null;
}

/**
 * Cov_w(f~) (standardised, q x q) over the rows with inclusion probability min(1, scale w_i), taken by systematic
 * sampling (fixed start 1/2, so deterministic) and weighted by w_i / pi_i; scale Infinity = every row.
 */
export function accumulateHessian(dual: DualRows, scale: number): Float64Array {
  const { fs, d, n, data, base, scores, q, compactOf, denseActive } = dual;
  const smax = dual.smax;
  const centre = fs.centre;
  const binFeature = dual.binFeature;
  const nd = denseActive.length;
  const dense = fs.dense;
  const binIdx = new Int32Array(d);
  const raw = new Float64Array(Math.max(fs.dense, 1));
  const second = new Float64Array(q * q);
  const firstSums = new Float64Array(q);
  // Dense features of up to HESSIAN_BLOCK rows wait in `block` and enter the dense-dense block of `second` together.
  const block = new Float64Array(HESSIAN_BLOCK * nd);
  // Dense-bin block, bin-major: cross[(c - nd) nd + a] = sum of w v_a over the rows in bin feature c.
  const cross = binFeature === null ? new Float64Array(0) : new Float64Array((q - nd) * nd);
  const blockWeight = new Float64Array(HESSIAN_BLOCK);
  let filled = 0;
  let ws = 0;
  let pending = 0.5;
  for (let i = 0; i < n; i++) {
    const b = base[i]!;
    if (b === 0) continue;
    let w = b * Math.exp(scores[i]! - smax);
    if (w === 0) continue;
    const pi = scale * w;
    if (pi < 1) {
      pending += pi;
      if (pending < 1) continue;
      pending -= 1;
      w = 1 / scale;
    }
    ws += w;
    const o = i * d;
    denseFeatures(d, dense, centre, data, o, raw);
    const at = filled * nd;
    for (let c = 0; c < nd; c++) {
      const v = raw[denseActive[c]!]!;
      block[at + c] = v;
      firstSums[c] = firstSums[c]! + w * v;
    }
    if (binFeature !== null) {
      // Bin indicators (value 1) of the row, in ascending compact order (columns ascending).
      let cnt = 0;
      for (let k = 0; k < d; k++) {
        const j = binFeature[o + k]!;
        if (j < 0) continue;
        const c = compactOf[j]!;
        if (c >= 0) binIdx[cnt++] = c;
      }
      for (let t = 0; t < cnt; t++) {
        const cb = binIdx[t]!;
        firstSums[cb] = firstSums[cb]! + w;
        const co = (cb - nd) * nd;
        for (let a = 0; a < nd; a++) cross[co + a] = cross[co + a]! + w * block[at + a]!;
        const row = cb * q;
        for (let u = t; u < cnt; u++) second[row + binIdx[u]!] = second[row + binIdx[u]!]! + w;
      }
    }
    blockWeight[filled++] = w;
    if (filled === HESSIAN_BLOCK) {
      addDenseBlock(second, q, block, blockWeight, HESSIAN_BLOCK, nd);
      filled = 0;
    }
  }
  if (filled > 0) addDenseBlock(second, q, block, blockWeight, filled, nd);
  for (let c = nd; c < q && binFeature !== null; c++) for (let a = 0; a < nd; a++) second[a * q + c] = cross[(c - nd) * nd + a]!;
  const matrix = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    const sa = fs.invScale[dual.active[a]!]!;
    const ma = firstSums[a]! / ws;
    for (let c = a; c < q; c++) {
      const mc = firstSums[c]! / ws;
      const v = (second[a * q + c]! / ws - ma * mc) * sa * fs.invScale[dual.active[c]!]!;
      matrix[a * q + c] = v;
      matrix[c * q + a] = v;
    }
  }
  return matrix;
}

/** Rows added to the Hessian's dense block together (fewer loads and stores of its entries per multiply-add). */
const HESSIAN_BLOCK = 4;

/**
 * Upper triangle of the leading nd x nd block of `second` (row stride q) += sum_t w_t v_t v_t^T over the first
 * `count` rows v_t of `block` (nd wide).
 */
function addDenseBlock(second: Float64Array, q: number, block: Float64Array, w: Float64Array, count: number, nd: number): void {
  if (count === 4) {
    const w0 = w[0]!, w1 = w[1]!, w2 = w[2]!, w3 = w[3]!;
    const o1 = nd, o2 = 2 * nd, o3 = 3 * nd;
    for (let a = 0; a < nd; a++) {
      const h0 = w0 * block[a]!, h1 = w1 * block[o1 + a]!, h2 = w2 * block[o2 + a]!, h3 = w3 * block[o3 + a]!;
      const r = a * q;
      for (let c = a; c < nd; c++) second[r + c] = second[r + c]! + h0 * block[c]! + h1 * block[o1 + c]! + h2 * block[o2 + c]! + h3 * block[o3 + c]!;
    }
    return;
  }
  for (let t = 0; t < count; t++) {
    const o = t * nd;
    for (let a = 0; a < nd; a++) {
      const h = w[t]! * block[o + a]!;
      const r = a * q;
      for (let c = a; c < nd; c++) second[r + c] = second[r + c]! + h * block[o + c]!;
    }
  }
}
