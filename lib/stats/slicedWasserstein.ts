import { AlignInputError } from '../numeric/alignInputError';
import { createRng } from '../numeric/rng';
import { prepareMetricInput, type MetricInput, type MetricResult } from './metricInput';
import { wasserstein1d, wasserstein1dSorted } from './wasserstein1d';
import { sortPairs } from '../numeric/sortPairs';
import { normaliseWeights } from '../numeric/validate';
import type { Matrix } from '../numeric/matrix';

/**
 * Unit directions for sliced distances: `count` vectors in R^d, each a normalised standard-normal draw from
 * createRng(seed). Row-major count x d. Deterministic for a seed.
 * @example projectionDirections(3, 5, 0) has 3 rows of norm 1
 */
export function projectionDirections(count: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(count * d);
  for (let p = 0; p < count; p++) {
    let norm = 0;
    for (let k = 0; k < d; k++) {
      const v = rng.normal();
      out[p * d + k] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let k = 0; k < d; k++) out[p * d + k] = out[p * d + k]! / norm;
  }
  return out;
}

/**
 * SW: sliced Wasserstein-1 distance, the mean over L random unit directions theta_l of W1(<a, theta_l>, <b, theta_l>).
 *
 * Directions from projectionDirections(L, d, seed); defaults L = 100, seed 0 (reported in parameters).
 * Weights on either side. O(L (n + m) (d + log(n + m))). Symmetric; zero for identical sets.
 * Reference: Rabin, Peyre, Delon, Bernot (2011); Bonneel et al. (2015). Checked against a numpy implementation
 * with the same directions (ot.wasserstein_1d per slice) in tests/fixtures.
 * @example slicedWasserstein({ a, b: a }).value === 0
 */
export function slicedWasserstein(input: MetricInput): MetricResult {
  const p = prepareMetricInput(input);
  const d = p.a.cols;
  const seed = input.seed ?? 0;
  const L = input.directions ? Math.floor(input.directions.length / d) : (input.projections ?? 100);
  const dirs = input.directions ?? projectionDirections(L, d, seed);
  const pa = new Float64Array(p.a.rows);
  const pb = new Float64Array(p.b.rows);
  let s = 0;
  for (let l = 0; l < L; l++) {
    project(p.a.data, p.a.rows, d, dirs, l, pa);
    project(p.b.data, p.b.rows, d, dirs, l, pb);
    s += wasserstein1d(pa, pb, p.uniformA ? undefined : p.wa, p.uniformB ? undefined : p.wb);
  }
  return { value: s / L, perDimension: null, parameters: { projections: L, seed } };
}

function project(x: Float64Array, n: number, d: number, dirs: Float64Array, l: number, out: Float64Array): void {
  const o = l * d;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k]! * dirs[o + k]!;
    out[i] = s;
  }
}

/**
 * SW of several sets a_1..a_r (each optionally weighted) against one b, sharing the work: b is projected and
 * sorted once per direction, and each distinct a matrix (by identity) is projected and argsorted once, however
 * many weight vectors it comes with. Same values as calling slicedWasserstein for each pair (up to rounding).
 * O(L (sum of distinct n + m) log) instead of O(L r (n + m) log).
 * @example slicedWassersteinBatch([{ a }, { a, aWeights: w }], b)[0] === slicedWasserstein({ a, b }).value
 */
export function slicedWassersteinBatch(
  items: { a: Matrix; aWeights?: ArrayLike<number> }[],
  b: Matrix,
  bWeights?: ArrayLike<number>,
  options: { projections?: number; seed?: number } = {},
): number[] {
  const d = b.cols;
  const L = options.projections ?? 100;
  const dirs = projectionDirections(L, d, options.seed ?? 0);
  const wb = bWeights ? normaliseWeights(bWeights, b.rows, 'second set') : null;
  const ub = new Float64Array(b.rows).fill(1 / b.rows);
  const mats = Array.from(new Set(items.map((it) => it.a)));
  const weightsOf = items.map((it) => (it.aWeights ? normaliseWeights(it.aWeights, it.a.rows, 'first set') : null));
  const sums = new Float64Array(items.length);
  const pb = new Float64Array(b.rows);
  const pbw = new Float64Array(b.rows);
  for (let l = 0; l < L; l++) {
    project(b.data, b.rows, d, dirs, l, pb);
    if (wb) {
      pbw.set(wb);
      sortPairs(pb, pbw);
    } else sortPairs(pb);
    const bw = wb ? pbw : ub;
    for (const m of mats) {
      const pa = new Float64Array(m.rows);
      project(m.data, m.rows, d, dirs, l, pa);
      const users = items.map((it, k) => (it.a === m ? k : -1)).filter((k) => k >= 0);
      const needOrder = users.some((k) => weightsOf[k] !== null);
      let order: Float64Array | null = null;
      if (needOrder) {
        order = new Float64Array(m.rows);
        for (let i = 0; i < m.rows; i++) order[i] = i;
        sortPairs(pa, order);
      } else sortPairs(pa);
      const ua = new Float64Array(m.rows).fill(1 / m.rows);
      for (const k of users) {
        const w = weightsOf[k];
        let wa = ua;
        if (w && order) {
          wa = new Float64Array(m.rows);
          for (let t = 0; t < m.rows; t++) wa[t] = w[order[t]!]!;
        }
        sums[k] = sums[k]! + wasserstein1dSorted(pa, wa, pb, bw);
      }
    }
  }
  return Array.from(sums, (s) => s / L);
}

/** A fixed first sample of SW projected on the directions and sorted once, for repeated calls (the studio's pool). */
export interface SortedProjections {
  rows: number;
  cols: number;
  directions: Float64Array;
  /** Per direction l, the sorted projections at [l * rows, (l + 1) * rows). */
  values: Float64Array;
  /** Per direction, the row index of each sorted projection (to carry weights along). */
  order: Float64Array;
}

/** Projects and sorts `a` on `projections` seeded directions. O(L n log n). */
export function sortedProjections(a: Matrix, options: { projections?: number; seed?: number } = {}): SortedProjections {
  const d = a.cols;
  const L = options.projections ?? 100;
  const dirs = projectionDirections(L, d, options.seed ?? 0);
  const values = new Float64Array(L * a.rows);
  const order = new Float64Array(L * a.rows);
  const pa = new Float64Array(a.rows);
  const idx = new Float64Array(a.rows);
  for (let l = 0; l < L; l++) {
    project(a.data, a.rows, d, dirs, l, pa);
    for (let i = 0; i < a.rows; i++) idx[i] = i;
    sortPairs(pa, idx);
    values.set(pa, l * a.rows);
    order.set(idx, l * a.rows);
  }
  return { rows: a.rows, cols: d, directions: dirs, values, order };
}

/**
 * SW between the presorted sample (under `aWeights`) and `b`: the same value as slicedWasserstein with the same
 * directions (projections and seed), with only b projected and sorted per call. O(L (n + m log m)).
 * @example slicedWassersteinSorted(sortedProjections(a, { projections: 50 }), undefined, a) === 0
 */
export function slicedWassersteinSorted(pa: SortedProjections, aWeights: ArrayLike<number> | undefined, b: Matrix, bWeights?: ArrayLike<number>): number {
  const n = pa.rows;
  const d = pa.cols;
  if (b.cols !== d) throw new AlignInputError('DIMENSION_MISMATCH', `The sets have ${d} and ${b.cols} columns; they must describe the same traits.`);
  if (b.rows === 0) throw new AlignInputError('EMPTY', 'A distance needs two non-empty sets; the second set has no rows.');
  for (let i = 0; i < b.data.length; i++) {
    if (!Number.isFinite(b.data[i]!)) throw new AlignInputError('NOT_FINITE', `The second set has a missing or non-numeric value in row ${Math.floor(i / d) + 1}, column ${(i % d) + 1}.`);
  }
  const wa = normaliseWeights(aWeights, n, 'first set');
  const wb = bWeights ? normaliseWeights(bWeights, b.rows, 'second set') : new Float64Array(b.rows).fill(1 / b.rows);
  const L = pa.directions.length / d;
  const pb = new Float64Array(b.rows);
  const pbw = new Float64Array(b.rows);
  const waSorted = new Float64Array(n);
  let s = 0;
  for (let l = 0; l < L; l++) {
    project(b.data, b.rows, d, pa.directions, l, pb);
    pbw.set(wb);
    sortPairs(pb, pbw);
    for (let t = 0; t < n; t++) waSorted[t] = wa[pa.order[l * n + t]!]!;
    s += wasserstein1dSorted(pa.values.subarray(l * n, (l + 1) * n), waSorted, pb, pbw);
  }
  return s / L;
}
