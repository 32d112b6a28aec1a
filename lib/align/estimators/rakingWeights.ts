import { lowerBound } from '../../numeric/binarySearch';
import { balanceReport, binShares, failedConstraintsSentence } from './balanceReport';
import { estimatorResult } from './estimatorResult';
import { binOf, quantileBins } from './quantileBins';
import { numberOption, prepareEstimatorInput, type WeightEstimatorInput, type WeightEstimatorResult } from './weightEstimatorInput';

/**
 * Raking (iterative proportional fitting): scales the base weights one trait at a time until every trait's marginal
 * bin shares equal the target's.
 *
 * Bins: `raking.bins` (default 5) quantile bins of the target per trait (see quantileBins; tied cuts and bins with
 * no persona are merged, with a warning). One sweep: for each trait k in turn, w_i <- w_i t_kb / a_kb for the bin b
 * of x_ik, where t_kb is the target share and a_kb = sum_{i in b} w_i the current share. Sweeps repeat until every
 * share holds within `tolerance` (default 1e-6) target SDs of its indicator, |a - t| / sqrt(t (1 - t)), or
 * `maxIterations` sweeps (default 1000). Symbols: pool x (n x d), B_k bins of trait k, base weights b (n).
 * The result is the weight vector closest to b in Kullback-Leibler divergence with those margins, when one exists
 * (Ireland & Kullback 1968); otherwise raking does not converge (converged false, the missed shares named).
 * Every persona in a joint cell of bins gets the same factor, so the sweeps run on the occupied cells (at most
 * min(n, prod B_k); every persona when prod B_k exceeds 2^52): O(n d log B) once to find the cells, then O(cells d)
 * per sweep.
 * Reference: Deming & Stephan (1940) Annals of Mathematical Statistics 11(4); R survey::rake; balance's rake.
 * @example rakingWeights({ pool, reference }).constraints.every((c) => c.holds) // every trait's quintile shares match
 */
export function rakingWeights(input: WeightEstimatorInput): WeightEstimatorResult {
  const prep = prepareEstimatorInput(input);
  const { pool, reference, base, target, names } = prep;
  const bins = numberOption(input.raking?.bins, 5, 'raking.bins', { integer: true, min: 2, max: 100 });
  const tolerance = input.tolerance ?? 1e-6;
  const maxIterations = input.maxIterations ?? 1000;
  const warnings: string[] = [];
  const n = pool.rows;
  const d = pool.cols;
  const qb = quantileBins(reference, target, bins, { pool, poolWeights: base, names });
  warnings.push(...qb.warnings);
  const cuts = qb.cuts;
  const traits: number[] = [];
  for (let k = 0; k < d; k++) if (cuts[k]!.length > 0) traits.push(k);

  // Joint cells: a mixed-radix key over the binned traits, then the occupied keys in ascending order. When the
  // number of possible cells exceeds exact integers in a double (many columns), every persona is its own cell.
  const t = traits.length;
  let possible = 1;
  for (const k of traits) possible *= cuts[k]!.length + 1;
  const binsOfRow = (i: number, out: Uint8Array, at: number) => {
    for (let r = 0; r < t; r++) out[at + r] = binOf(cuts[traits[r]!]!, pool.data[i * d + traits[r]!]!);
  };
  let cells: number;
  let cellOf: Int32Array;
  let mass0: Float64Array;
  let cellBin: Uint8Array;
  if (possible <= 2 ** 52) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let key = 0;
      for (const k of traits) key = key * (cuts[k]!.length + 1) + binOf(cuts[k]!, pool.data[i * d + k]!);
      keys[i] = key;
    }
    const sorted = Float64Array.from(keys).sort();
    cells = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[cells++] = sorted[i]!;
    const cellKeys = sorted.subarray(0, cells);
    cellOf = new Int32Array(n);
    mass0 = new Float64Array(cells);
    cellBin = new Uint8Array(cells * t);
    const decoded = new Uint8Array(cells);
    for (let i = 0; i < n; i++) {
      const c = search(cellKeys, keys[i]!);
      if (decoded[c] === 0) {
        binsOfRow(i, cellBin, c * t);
        decoded[c] = 1;
      }
      cellOf[i] = c;
      mass0[c] = mass0[c]! + base[i]!;
    }
  } else {
    cells = n;
    cellOf = Int32Array.from({ length: n }, (_, i) => i);
    mass0 = Float64Array.from(base);
    cellBin = new Uint8Array(n * t);
    for (let i = 0; i < n; i++) binsOfRow(i, cellBin, i * t);
  }
  const targetShares = traits.map((k) => binShares(reference, target, k, cuts[k]!));
  const mass = Float64Array.from(mass0);
  const shares = traits.map((k) => new Float64Array(cuts[k]!.length + 1));

  const computeShares = (r: number) => {
    const s = shares[r]!;
    s.fill(0);
    for (let c = 0; c < cells; c++) {
      const b = cellBin[c * t + r]!;
      s[b] = s[b]! + mass[c]!;
    }
    return s;
  };
  const largestGap = () => {
    let worst = 0;
    for (let r = 0; r < t; r++) {
      const s = computeShares(r);
      const tr = targetShares[r]!;
      for (let b = 0; b < s.length; b++) {
        const tb = tr[b]!;
        const sd = Math.sqrt(tb * (1 - tb));
        worst = Math.max(worst, Math.abs(s[b]! - tb) / (sd > 1e-12 ? sd : 1));
      }
    }
    return worst;
  };

  let iterations = 0;
  let converged = largestGap() <= tolerance;
  while (!converged && iterations < maxIterations) {
    for (let r = 0; r < t; r++) {
      const s = computeShares(r);
      const tr = targetShares[r]!;
      const factor = new Float64Array(s.length);
      for (let b = 0; b < s.length; b++) factor[b] = s[b]! > 0 ? tr[b]! / s[b]! : 1;
      for (let c = 0; c < cells; c++) mass[c] = mass[c]! * factor[cellBin[c * t + r]!]!;
    }
    iterations++;
    converged = largestGap() <= tolerance;
    input.onProgress?.(Math.min(0.99, iterations / maxIterations));
  }

  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = cellOf[i]!;
    weights[i] = mass0[c]! > 0 ? (base[i]! * mass[c]!) / mass0[c]! : 0;
  }
  // Scale to sum 1 before the report so that shares are measured on the returned weights.
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  for (let i = 0; i < n; i++) weights[i] = weights[i]! / total;
  if (traits.length === 0) warnings.push('No trait has more than one bin after merging, so there is nothing to rake and the base weights are returned.');
  const constraints = balanceReport(pool, weights, reference, target, base, names, { moments: 'none', cuts }, tolerance);
  const sentence = failedConstraintsSentence(constraints);
  if (!converged || sentence) {
    warnings.push(
      `Raking did not reach every target share within ${tolerance} target SDs in ${iterations} sweeps${sentence ? `: ${sentence}` : ''}. The margins may not be reachable together with where the pool's personas lie; use fewer bins, or calibration with a ridge.`,
    );
  }
  input.onProgress?.(1);
  return estimatorResult({
    method: 'raking',
    weights,
    fallback: base,
    converged: converged && constraints.every((c) => c.holds),
    iterations,
    constraints,
    warnings,
    parameters: new Float64Array(0),
  });
}

function search(sorted: Float64Array, key: number): number {
  return lowerBound(sorted, key, sorted.length - 1);
}
