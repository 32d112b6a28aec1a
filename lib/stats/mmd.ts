/**
 * Maximum mean discrepancy with the RBF kernel: the entry points (mmd, mmdBatch) and the exact pass over every pair.
 * Its parts: the median heuristic (medianHeuristic.ts), the lattice tables (mmdLattice.ts), the exact path by parts
 * against a large target (mmdByParts.ts), the subsample estimate (mmdSubsample.ts) and the Gram-cached variant
 * (mmdGram.ts).
 */
import { sumByIndex, uniqueRows } from '../numeric/uniqueRows';
import type { Matrix } from '../numeric/matrix';
import { medianHeuristic } from './medianHeuristic';
import { prepareMetricInput, type MetricInput, type MetricResult } from './metricInput';
import { referenceSelfTerm, splitFits, splitMmd } from './mmdByParts';
import { latticeCodes, latticeMmd2 } from './mmdLattice';
import { subsampleMmd } from './mmdSubsample';
import { sqDist } from './squaredDistance';

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
