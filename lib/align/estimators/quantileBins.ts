import { lowerBound } from '../../numeric/binarySearch';
import type { Matrix } from '../../numeric/matrix';
import { sortPairs } from '../../numeric/sortPairs';

/** Marginal bins per column: bin b of column k is (cuts[k][b-1], cuts[k][b]], with -inf and +inf at the ends. */
export interface QuantileBins {
  /** Ascending cut points per column; B_k - 1 cuts give B_k bins (an empty array: one bin, no constraint). */
  cuts: Float64Array[];
  /** Sentences about bins that were merged (ties in the target, or no persona in the pool). */
  warnings: string[];
}

/** Cumulative-share slack, so that b / B is reached despite rounding in the running sum of the weights. */
const SHARE_SLACK = 1e-12;

/**
 * Quantile bins of the target per column, merged so every bin has target mass and (when a pool is given) pool mass.
 *
 * Cut b of column k (b = 1 .. B-1) is the lower weighted quantile at b / B: the smallest target value y_k with
 * sum of target weights over {y_k <= value} >= b / B (1e-12 slack for rounding). Duplicate cuts (ties) are dropped,
 * and so is a last cut with no target mass above it. Then any bin with no pool base mass is merged with its upper
 * neighbour (the lower one for the last bin), one at a time, each with a warning. A column left with one bin gets
 * no cuts. Bins are right-closed: x falls in bin `binOf(cuts, x)` = the number of cuts strictly below x.
 * Complexity O(m d log m + n d log B). Reference: Hyndman & Fan (1996) The American Statistician 50(4), type 1
 * (inverse of the empirical distribution function), here with weights.
 * @param reference m x d target sample; @param targetWeights normalised weights, length m
 * @param bins B, bins per column before merging (>= 2)
 * @param options.pool, options.poolWeights: merge bins empty in the pool; options.names: column names in warnings
 * @example quantileBins(matrixFromRows([[1], [2], [3], [4]]), Float64Array.of(0.25, 0.25, 0.25, 0.25), 2).cuts[0] -> [2]
 */
export function quantileBins(
  reference: Matrix,
  targetWeights: Float64Array,
  bins: number,
  options: { pool?: Matrix; poolWeights?: Float64Array; names?: readonly string[] } = {},
): QuantileBins {
  const { rows: m, cols: d, data } = reference;
  const warnings: string[] = [];
  const cuts: Float64Array[] = [];
  const name = (k: number) => options.names?.[k] ?? `column ${k + 1}`;
  for (let k = 0; k < d; k++) {
    const v = new Float64Array(m);
    const w = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      v[j] = data[j * d + k]!;
      w[j] = targetWeights[j]!;
    }
    sortPairs(v, w);
    let maxPositive = -Infinity;
    for (let j = 0; j < m; j++) if (w[j]! > 0) maxPositive = v[j]!;
    const list: number[] = [];
    let cum = 0;
    let j = 0;
    for (let b = 1; b < bins; b++) {
      const q = b / bins - SHARE_SLACK;
      while (j < m && cum + w[j]! < q) cum += w[j++]!;
      if (j >= m) break;
      const cut = v[j]!;
      if (cut >= maxPositive) break;
      if (list.length === 0 || cut > list[list.length - 1]!) list.push(cut);
    }
    const requested = bins;
    if (list.length + 1 < requested) {
      warnings.push(
        `${name(k)}: the target has tied values, so only ${list.length + 1} of the ${requested} quantile bins are distinct; the tied bins were merged.`,
      );
    }
    if (options.pool) mergeEmptyPoolBins(list, options.pool, options.poolWeights, k, name(k), warnings);
    cuts.push(Float64Array.from(list));
  }
  return { cuts, warnings };
}

/**
 * Index of the right-closed bin of x: the number of cuts strictly below x (binary search, O(log B)).
 * @example binOf(Float64Array.of(2, 3), 2) === 0 // binOf(Float64Array.of(2, 3), 2.5) === 1; binOf(..., 9) === 2
 */
export function binOf(cuts: Float64Array, x: number): number {
  return lowerBound(cuts, x);
}

/**
 * Describes bin b of a column with the given cuts, e.g. '<= 2.6', '(2.6, 3]', '> 3.8'.
 * @example describeBin(Float64Array.of(2, 3), 1) === '(2, 3]'
 */
export function describeBin(cuts: ArrayLike<number>, b: number): string {
  const f = (x: number) => String(Number(x.toFixed(3)));
  if (cuts.length === 0) return 'all values';
  if (b === 0) return `<= ${f(cuts[0]!)}`;
  if (b === cuts.length) return `> ${f(cuts[b - 1]!)}`;
  return `(${f(cuts[b - 1]!)}, ${f(cuts[b]!)}]`;
}

function mergeEmptyPoolBins(list: number[], pool: Matrix, poolWeights: Float64Array | undefined, k: number, name: string, warnings: string[]): void {
  const { rows: n, cols: d, data } = pool;
  for (;;) {
    if (list.length === 0) return;
    const cutArr = Float64Array.from(list);
    const mass = new Float64Array(list.length + 1);
    for (let i = 0; i < n; i++) {
      const wi = poolWeights ? poolWeights[i]! : 1;
      if (wi > 0) {
        const b = binOf(cutArr, data[i * d + k]!);
        mass[b] = mass[b]! + wi;
      }
    }
    let empty = -1;
    for (let b = 0; b < mass.length; b++) {
      if (!(mass[b]! > 0)) {
        empty = b;
        break;
      }
    }
    if (empty < 0) return;
    warnings.push(`${name}: the pool has no persona in the target's bin ${describeBin(cutArr, empty)}, so that bin was merged with its neighbour.`);
    // Merging bin b with bin b+1 removes cut b; the last bin merges downward by removing cut b-1.
    list.splice(empty < list.length ? empty : empty - 1, 1);
  }
}
