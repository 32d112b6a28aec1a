import { AlignInputError } from '../numeric/alignInputError';
import { selectRows, type Matrix } from '../numeric/matrix';
import { createRng } from '../numeric/rng';
import { assertMatrix } from '../numeric/validate';
import { meanRatio, PAPER_METRICS, paperMetricsBatch, type PaperMetrics } from '../stats/metrics';
import { selectHerding } from './selectHerding';
import { checkSelectionInput } from './selectionInput';
import { selectionMethods } from './selectionMethods';
import { selectSystematic } from './selectSystematic';

/** Selection methods that return distinct personas (the ones a frontier can compare). */
export type DistinctSelectionMethod = 'pivotal' | 'herding' | 'withoutReplacement' | 'topFraction';

/** Input of diversityFrontier. */
export interface DiversityFrontierInput {
  /** The pool's trait scores, n x d. */
  pool: Matrix;
  /** Persona weights from an estimator, length n, non-negative with a positive sum. */
  weights: ArrayLike<number>;
  /** The human reference (or target), m x d. */
  reference: Matrix;
  /** Optional weights of the reference rows (default uniform). */
  targetWeights?: ArrayLike<number>;
  /** Distinct-set sizes (whole numbers from 1 to the count of positive weights); sorted and de-duplicated. */
  sizes?: ArrayLike<number>;
  /** Seed of the selections and of the metrics (SW directions, MMD subsamples); default 0. */
  seed?: number;
  /** How each distinct set is chosen; default 'pivotal'. */
  method?: DistinctSelectionMethod;
  /** Sliced-Wasserstein directions; default 100 (as paperMetrics). */
  projections?: number;
  /**
   * Denominators of the normalised divergence: the metrics of the set every ratio is taken against. Default: the
   * unweighted pool (Raw) against the same reference, computed in the same batch.
   */
  baseline?: PaperMetrics;
  /** Relative slack of the recommendedSize rule; default 0.1 (within 10% of the best). */
  slack?: number;
  /**
   * Independent draws per size whose metrics are averaged, for the random methods (pivotal, withoutReplacement)
   * and the systematic row; default 3. Herding and topFraction are deterministic for a seed and are drawn once.
   */
  replicates?: number;
}

/** One column of numbers per headline metric, one entry per size. */
export interface FrontierMetrics {
  amw: Float64Array;
  fd: Float64Array;
  sw: Float64Array;
  mmd: Float64Array;
  maecorr: Float64Array;
}

/** Result of diversityFrontier: every array has one entry per size, in the order of `sizes`. */
export interface DiversityFrontierResult {
  /** Distinct-set sizes k, strictly increasing. */
  sizes: Uint32Array;
  /** The method that chose the distinct sets. */
  method: DistinctSelectionMethod;
  /** Metrics of the k distinct personas, equally weighted, against the reference (mean over the replicates). */
  distinct: FrontierMetrics;
  /** Mean over the five metrics of value / value of the weighted pool: 1 = as close as the weights themselves. */
  normalisedDivergence: Float64Array;
  /** Metrics of k systematic draws with repeats (the set carries its counts as weights; mean over the replicates). */
  systematic: FrontierMetrics;
  /** normalisedDivergence of the systematic draws. */
  systematicNormalisedDivergence: Float64Array;
  /** Distinct personas among the k systematic draws (mean over the replicates). */
  systematicDistinct: Float64Array;
  /** Metrics of the whole pool under its weights: the fidelity any selection from these weights approaches. */
  weighted: PaperMetrics;
  /** The denominators of the normalised divergence (the unweighted pool unless given). */
  baseline: PaperMetrics;
  /** The largest size whose normalisedDivergence is at most (1 + slack) times the smallest one. */
  recommendedSize: number;
  /** Personas with a positive weight (the largest possible distinct set). */
  positiveCount: number;
  /** Draws per size behind the distinct rows (1 for the deterministic methods) and behind the systematic row. */
  replicates: { distinct: number; systematic: number };
}

/**
 * The diversity-fidelity frontier: for each distinct-set size k, how far the chosen k personas are from the
 * reference on the five headline metrics, beside k systematic draws with repeats (the weights kept, fewer distinct
 * personas) and the weighted pool itself.
 *
 * For each k in `sizes` (default 8 log-spaced sizes from min(50, K) to K = min(n, 2000, positive weights), rounded):
 * S_k = method(weights, k) (distinct personas, equal weights) and T_k = systematic(weights, k) (k draws with repeats,
 * counts as weights, distinct count reported); metrics M(S_k), M(T_k) and M(weighted pool) by paperMetricsBatch
 * (AMW, FD, SW with `projections` directions, MMD with the median heuristic, MAEcorr) against the reference, each
 * averaged over `replicates` independent draws (3; 1 for the deterministic herding and topFraction). Herding runs
 * once at the largest size and its prefixes are the smaller sets (greedy sets are nested). Every draw has its own
 * fork of createRng(seed).
 * Normalised divergence r_k = mean over the five metrics of M(S_k) / M(baseline), the baseline being the unweighted
 * pool (Raw) unless given (metrics where it scores 0 are left out): 1 means the set is as far from the reference as
 * the raw pool, and the five metrics count alike whatever their scale. (Not the weighted pool: weights that match the
 * target's correlations exactly leave its MAEcorr near 1e-15, and that ratio would drown the other four.)
 * recommendedSize: the largest k with r_k <= (1 + slack) min_k' r_k' (slack 0.1): the most distinct personas that
 * give up at most 10% of relative fidelity against the best size. More distinct personas give more different voices
 * to a simulation, and differences below the slack are within the draw-to-draw noise: on a 1,263-persona pool drawn
 * with a bias from the BIG5 sample (weights from importanceSampling), r_k of a single pivotal draw of 50-200
 * personas ranged over 0.98-1.46 across four seeds and the recommendation jumped between 50 and 200; with 3
 * replicates it was 126 for three seeds and 200 for the fourth.
 * Parameters: see DiversityFrontierInput (seed 0, method 'pivotal', projections 100, slack 0.1, replicates 3).
 * Complexity: the selections (O(n log n) pivotal, O(k C d) herding) plus (R_distinct + R_systematic) |sizes| + 1 metric
 * sets, dominated by MMD (binned above 4,000 points) and SW, O(100 (k + m) log(k + m)) each.
 * Reference: Deville & Tille (1998) pivotal sampling; Chen, Welling & Smola (2010) kernel herding; the paper's
 * Table 1 metrics.
 * @example diversityFrontier({ pool, weights, reference, sizes: [20, 10, 20] }).sizes -> [10, 20]; recommendedSize is 10 or 20
 */
export function diversityFrontier(input: DiversityFrontierInput): DiversityFrontierResult {
  const { pool, weights, reference } = input;
  assertMatrix(pool, 'pool');
  assertMatrix(reference, 'reference', { cols: pool.cols });
  if (weights.length !== pool.rows) {
    throw new AlignInputError('DIMENSION_MISMATCH', `The pool has ${pool.rows} personas but ${weights.length} weights were given; give one weight per persona.`);
  }
  checkSelectionInput({ weights, size: 0 }, false);
  let positiveCount = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i]! > 0) positiveCount++;
  if (positiveCount === 0) throw new AlignInputError('BAD_WEIGHTS', 'Every persona weight is zero, so no set can be chosen.');
  const method = input.method ?? 'pivotal';
  if (!Object.prototype.hasOwnProperty.call(DETERMINISTIC, method)) {
    throw new AlignInputError('BAD_PARAMETER', `"${String(method)}" does not choose distinct personas; use pivotal, herding, withoutReplacement or topFraction.`);
  }
  const slack = input.slack ?? 0.1;
  if (!(slack >= 0 && Number.isFinite(slack))) throw new AlignInputError('BAD_PARAMETER', `The slack of the recommended size must be a number of at least 0, got ${slack}.`);
  const replicates = input.replicates ?? 3;
  if (!(Number.isInteger(replicates) && replicates >= 1)) {
    throw new AlignInputError('BAD_PARAMETER', `The frontier needs a whole number of at least 1 draw per size, got ${replicates}.`);
  }
  const seed = input.seed ?? 0;
  const sizes = input.sizes ? checkSizes(input.sizes, positiveCount) : defaultFrontierSizes(Math.min(pool.rows, 2000, positiveCount));
  const L = sizes.length;
  const distinctReplicates = DETERMINISTIC[method] ? 1 : replicates;

  // Items for one metric batch: distinct sets (size-major, then replicate), systematic sets, the weighted pool.
  const rng = createRng(seed);
  const items: { a: Matrix; aWeights?: Float64Array }[] = [];
  if (method === 'herding') {
    const all = selectHerding({ weights, size: sizes[L - 1]!, rng: rng.fork(), points: pool }).indices;
    for (const k of sizes) items.push({ a: selectRows(pool, all.subarray(0, k)) });
  } else {
    for (const k of sizes) {
      for (let r = 0; r < distinctReplicates; r++) items.push({ a: selectRows(pool, selectionMethods[method]({ weights, size: k, rng: rng.fork(), points: pool }).indices) });
    }
  }
  const systematicDistinct = new Float64Array(L);
  sizes.forEach((k, s) => {
    for (let r = 0; r < replicates; r++) {
      const counts = new Map<number, number>();
      for (const i of selectSystematic({ weights, size: k, rng: rng.fork(), points: pool }).indices) counts.set(i, (counts.get(i) ?? 0) + 1);
      const ids = [...counts.keys()].sort((x, y) => x - y);
      systematicDistinct[s] = systematicDistinct[s]! + ids.length / replicates;
      items.push({ a: selectRows(pool, ids), aWeights: Float64Array.from(ids, (i) => counts.get(i)!) });
    }
  });
  items.push({ a: pool, aWeights: Float64Array.from(weights) });
  if (!input.baseline) items.push({ a: pool });
  const metrics = paperMetricsBatch(items, reference, input.targetWeights, { seed, projections: input.projections });
  const baseline = input.baseline ?? metrics.pop()!;
  const weighted = metrics[metrics.length - 1]!;
  const distinct = averageColumns(metrics.slice(0, L * distinctReplicates), L, distinctReplicates);
  const systematic = averageColumns(metrics.slice(L * distinctReplicates, L * (distinctReplicates + replicates)), L, replicates);
  const at = (m: FrontierMetrics, s: number): PaperMetrics => ({ amw: m.amw[s]!, fd: m.fd[s]!, sw: m.sw[s]!, mmd: m.mmd[s]!, maecorr: m.maecorr[s]! });
  const normalisedDivergence = Float64Array.from(sizes, (_, s) => meanRatio(at(distinct, s), baseline));
  const systematicNormalisedDivergence = Float64Array.from(sizes, (_, s) => meanRatio(at(systematic, s), baseline));
  let best = Infinity;
  for (const r of normalisedDivergence) best = Math.min(best, r);
  let recommendedSize = sizes[0]!;
  sizes.forEach((k, s) => {
    if (normalisedDivergence[s]! <= (1 + slack) * best) recommendedSize = k;
  });
  return {
    sizes,
    method,
    distinct,
    normalisedDivergence,
    systematic,
    systematicNormalisedDivergence,
    systematicDistinct,
    weighted,
    baseline,
    recommendedSize,
    positiveCount,
    replicates: { distinct: distinctReplicates, systematic: replicates },
  };
}

/**
 * The default sizes of the frontier: `count` (default 8) sizes log-spaced from min(50, max) to max, rounded to whole
 * personas and de-duplicated, ascending; max itself is always the last.
 * Formula: k_j = round(lo (max / lo)^(j / (count - 1))), j = 0..count-1, lo = min(50, max). O(count).
 * @example defaultFrontierSizes(2000) -> [50, 85, 143, 243, 412, 697, 1181, 2000]
 */
export function defaultFrontierSizes(max: number, count = 8): Uint32Array {
  if (!(Number.isInteger(max) && max >= 1)) throw new AlignInputError('BAD_PARAMETER', `The largest frontier size must be a whole number of at least 1, got ${max}.`);
  const lo = Math.min(50, max);
  const out = new Set<number>();
  for (let j = 0; j < count; j++) out.add(Math.round(lo * Math.pow(max / lo, count === 1 ? 1 : j / (count - 1))));
  out.add(max);
  return Uint32Array.from([...out].sort((x, y) => x - y));
}

/** The distinct-set methods, and whether a draw is fixed by the seed (no replicates needed). */
const DETERMINISTIC: Record<DistinctSelectionMethod, boolean> = { pivotal: false, herding: true, withoutReplacement: false, topFraction: true };

/** Per-size means of `perSize` consecutive metric rows, one column per metric. */
function averageColumns(rows: PaperMetrics[], sizes: number, perSize: number): FrontierMetrics {
  const out = {} as FrontierMetrics;
  for (const name of PAPER_METRICS) {
    const col = new Float64Array(sizes);
    for (let s = 0; s < sizes; s++) {
      let t = 0;
      for (let r = 0; r < perSize; r++) t += rows[s * perSize + r]![name];
      col[s] = t / perSize;
    }
    out[name] = col;
  }
  return out;
}

function checkSizes(sizes: ArrayLike<number>, positiveCount: number): Uint32Array {
  if (sizes.length === 0) throw new AlignInputError('BAD_PARAMETER', 'The frontier needs at least one set size.');
  const out = new Set<number>();
  for (let s = 0; s < sizes.length; s++) {
    const k = sizes[s]!;
    if (!Number.isInteger(k) || k < 1) throw new AlignInputError('BAD_PARAMETER', `Frontier set sizes must be whole numbers of at least 1, got ${k}.`);
    if (k > positiveCount) {
      throw new AlignInputError('BAD_PARAMETER', `A set of ${k} distinct personas was asked for, but only ${positiveCount} have a positive weight; lower the largest size.`);
    }
    out.add(k);
  }
  return Uint32Array.from([...out].sort((x, y) => x - y));
}

