import { createRng } from '../numeric/rng';
import type { Matrix } from '../numeric/matrix';
import { prepareMetricInput, type MetricInput, type MetricResult } from './metricInput';

/**
 * Energy distance E = 2 E|X - Y| - E|X - X'| - E|Y - Y'| (Euclidean norms; weighted V-statistics), >= 0, zero iff
 * the distributions agree. Exact O((n + m)^2 d) when (n + m)^2 <= exactLimit (default 1.6e7); above, seeded
 * subsamples of 2,000 rows per side (weights kept and renormalised), stated in parameters.
 * Reference: Szekely & Rizzo (2013) Energy statistics, J. Stat. Planning and Inference 143(8).
 * @example energyDistance({ a: matrixFromRows([[0]]), b: matrixFromRows([[1]]) }).value === 2
 */
export function energyDistance(input: MetricInput): MetricResult {
  const p = prepareMetricInput(input);
  const d = p.a.cols;
  const limit = input.exactLimit ?? 1.6e7;
  // Rows without weight are not part of the measure: dropped first, so a subsample never draws only those (which left
  // a side with no weight and the value NaN).
  let { m: a, w: wa } = positiveRows(p.a, p.wa);
  let { m: b, w: wb } = positiveRows(p.b, p.wb);
  let estimator = 'exact V-statistic';
  if ((a.rows + b.rows) ** 2 > limit) {
    const rng = createRng((input.seed ?? 0) + 15485863);
    const sub = (m: Matrix, w: Float64Array) => {
      const k = Math.min(m.rows, 2000);
      const idx = new Uint32Array(m.rows);
      for (let i = 0; i < m.rows; i++) idx[i] = i;
      for (let i = 0; i < k; i++) {
        const j = i + rng.nextInt(m.rows - i);
        const t = idx[i]!;
        idx[i] = idx[j]!;
        idx[j] = t;
      }
      const data = new Float64Array(k * d);
      const ww = new Float64Array(k);
      let s = 0;
      for (let t = 0; t < k; t++) {
        data.set(m.data.subarray(idx[t]! * d, idx[t]! * d + d), t * d);
        ww[t] = w[idx[t]!]!;
        s += ww[t]!;
      }
      for (let t = 0; t < k; t++) ww[t] = ww[t]! / s;
      return { m: { data, rows: k, cols: d } as Matrix, w: ww };
    };
    const sa = sub(a, wa);
    const sb = sub(b, wb);
    a = sa.m;
    wa = sa.w;
    b = sb.m;
    wb = sb.w;
    estimator = 'V-statistic on 2000-row subsamples';
  }
  const value = 2 * meanDist(a, wa, b, wb) - selfMeanDist(a, wa) - selfMeanDist(b, wb);
  return { value: Math.max(0, value), perDimension: null, parameters: { estimator } };
}

/** The rows of m with a positive weight, with those weights (m itself when every weight is positive). */
function positiveRows(m: Matrix, w: Float64Array): { m: Matrix; w: Float64Array } {
  let k = 0;
  for (let i = 0; i < m.rows; i++) if (w[i]! > 0) k++;
  if (k === m.rows) return { m, w };
  const d = m.cols;
  const data = new Float64Array(k * d);
  const ww = new Float64Array(k);
  for (let i = 0, t = 0; i < m.rows; i++) {
    if (!(w[i]! > 0)) continue;
    data.set(m.data.subarray(i * d, i * d + d), t * d);
    ww[t++] = w[i]!;
  }
  return { m: { data, rows: k, cols: d }, w: ww };
}

/** meanDist(x, w, x, w) over each pair once (the distance is symmetric and zero on the diagonal). */
function selfMeanDist(x: Matrix, w: Float64Array): number {
  const d = x.cols;
  let total = 0;
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = i + 1; j < x.rows; j++) {
      let q = 0;
      for (let k = 0; k < d; k++) {
        const t = x.data[i * d + k]! - x.data[j * d + k]!;
        q += t * t;
      }
      s += w[j]! * Math.sqrt(q);
    }
    total += w[i]! * s;
  }
  return 2 * total;
}

function meanDist(x: Matrix, wx: Float64Array, y: Matrix, wy: Float64Array): number {
  const d = x.cols;
  let total = 0;
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = 0; j < y.rows; j++) {
      let q = 0;
      for (let k = 0; k < d; k++) {
        const t = x.data[i * d + k]! - y.data[j * d + k]!;
        q += t * t;
      }
      s += wy[j]! * Math.sqrt(q);
    }
    total += wx[i]! * s;
  }
  return total;
}
