import { columnRanges, type Matrix } from '../numeric/matrix';
import { sortPairs } from '../numeric/sortPairs';
import { checkSelectionInput, type SelectionInput, type SelectionResult } from './selectionInput';

/**
 * Systematic resampling: one uniform offset u ~ U(0, 1/k), then the points u + t/k, t = 0..k-1, read off the
 * weight CDF (with replacement). Each persona is chosen floor(k p_i) or ceil(k p_i) times, whatever the order.
 * With `points`, the CDF runs along a Hilbert curve through trait space (hilbertOrder), so the k draws are
 * stratified in trait space: each 1/k of the weight mass, a contiguous stretch of the curve and so a compact region,
 * gives one draw. Without points, the pool's order. The curve order is what keeps the set's fidelity at any pool
 * size: in pool order the draws from a large pool with spread weights are close to iid, and a k-set's divergence
 * varies by a factor of 2-4 between seeds. O(n log n + k) with points, O(n + k) without.
 * Reference: Kitagawa (1996); Douc, Cappe & Moulines (2005); Gerber, Chopin & Whiteley (2019) Negative association,
 * ordering and convergence of resampling methods, Annals of Statistics 47(4) (Hilbert-ordered systematic resampling).
 * @example weights [1, 1, 2], size 4 -> counts [1, 1, 2] for every seed
 */
export function selectSystematic(input: SelectionInput): SelectionResult {
  const total = checkSelectionInput(input, false);
  const k = input.size;
  const out = new Uint32Array(k);
  if (k === 0) return { indices: out, unique: false };
  const n = input.weights.length;
  const order = input.points && input.points.rows === n ? hilbertOrder(input.points) : null;
  const w = input.weights;
  const at = (t: number) => (order ? order[t]! : t);
  const u0 = input.rng.next() / k;
  let cum = w[at(0)]! / total;
  let i = 0;
  for (let t = 0; t < k; t++) {
    const u = u0 + t / k;
    while (u >= cum && i < n - 1) {
      i++;
      cum += w[at(i)]! / total;
    }
    out[t] = at(i);
  }
  return { indices: out, unique: false };
}

/**
 * Row order along a Hilbert curve: each column is scaled to its range and cut into 2^b levels (b = floor(52 / d),
 * at most 16, so the d b-bit index fits a double exactly), each row's cell gets its Hilbert index (Skilling 2004,
 * "Programming the Hilbert curve", AIP Conf. Proc. 707: axes to transpose, then bit interleaving) and rows are
 * sorted by it (ties by row). Rows close on the curve are close in space. O(n (d b + log n)).
 * @example hilbertOrder(matrixFromRows([[0, 0], [1, 1], [0, 1], [1, 0]])) -> [0, 2, 1, 3]
 */
export function hilbertOrder(points: Matrix): Uint32Array {
  const { rows: n, cols: d } = points;
  const bits = Math.max(1, Math.min(16, Math.floor(52 / Math.max(1, d))));
  const levels = 2 ** bits;
  const { min, max } = columnRanges(points);
  const keys = new Float64Array(n);
  const idx = new Float64Array(n);
  const X = new Int32Array(d);
  const M = 1 << (bits - 1);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const r = max[k]! - min[k]!;
      X[k] = r > 0 ? Math.min(levels - 1, Math.floor(((points.data[i * d + k]! - min[k]!) / r) * levels)) : 0;
    }
    for (let Q = M; Q > 1; Q >>= 1) {
      const P = Q - 1;
      for (let k = 0; k < d; k++) {
        if (X[k]! & Q) X[0] = X[0]! ^ P;
        else {
          const t = (X[0]! ^ X[k]!) & P;
          X[0] = X[0]! ^ t;
          X[k] = X[k]! ^ t;
        }
      }
    }
    for (let k = 1; k < d; k++) X[k] = X[k]! ^ X[k - 1]!;
    let t = 0;
    for (let Q = M; Q > 1; Q >>= 1) if (X[d - 1]! & Q) t ^= Q - 1;
    for (let k = 0; k < d; k++) X[k] = X[k]! ^ t;
    let key = 0;
    for (let b = bits - 1; b >= 0; b--) for (let k = 0; k < d; k++) key = key * 2 + ((X[k]! >> b) & 1);
    keys[i] = key;
    idx[i] = i;
  }
  sortPairs(keys, idx);
  const out = Uint32Array.from(idx);
  // Ties (rows in one cell) keep the row order.
  for (let s = 0; s < n; ) {
    let e = s + 1;
    while (e < n && keys[e] === keys[s]) e++;
    if (e - s > 1) out.subarray(s, e).sort();
    s = e;
  }
  return out;
}
