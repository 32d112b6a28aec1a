import type { Matrix } from '../numeric/matrix';
import { prepareMetricInput } from './metricInput';
import { sqDist } from './squaredDistance';

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
