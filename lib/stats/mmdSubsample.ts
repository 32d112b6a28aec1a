/** The MMD's subsample estimate with its standard error, for sets too large for an exact pass over their pairs. */
import { createRng } from '../numeric/rng';
import type { Matrix } from '../numeric/matrix';
import type { PreparedMetricInput } from './metricInput';
import type { MmdEstimate } from './mmd';
import { latticeCodes } from './mmdLattice';
import { sqCodes, sqDist } from './squaredDistance';

const JACKKNIFE_GROUPS = 20;

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
export function subsampleMmd(p: PreparedMetricInput, sigma: number, count: number, seed: number): MmdEstimate {
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
