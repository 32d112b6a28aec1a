import { AlignInputError } from '../numeric/alignInputError';
import { selectRows, type Matrix } from '../numeric/matrix';
import { balanceReport } from './estimators/balanceReport';
import { weightEstimators } from './estimators';
import { prepareEstimatorInput, type ConstraintReport, type MomentSet } from './estimators/weightEstimatorInput';
import type { WeightDiagnostics } from '../stats/weightDiagnostics';

/** Which moments a set is re-calibrated to: a fixed level, or 'auto' (chosen from the set size, see recalibrateSet). */
export type SetMoments = MomentSet | 'auto';

/** Moment levels from the richest down ('auto' steps down this list until the set can match a level exactly). */
const MOMENT_LEVELS: readonly MomentSet[] = ['all', 'meansAndVariances', 'means'];
const LEVEL_WORDS: Record<MomentSet, string> = { all: 'means, variances and covariances', meansAndVariances: 'means and variances', means: 'means' };

/** A set needs at least this many personas per balancing constraint before 'auto' matches that moment level. */
export const PERSONAS_PER_CONSTRAINT = 4;

export interface RecalibrateSetInput {
  /** The pool's trait scores, n x d (row-major). */
  pool: Matrix;
  /** The chosen pool rows, k >= 2 distinct whole numbers in [0, n), e.g. the indices of selectPivotal. */
  indices: ArrayLike<number>;
  /**
   * Horvitz-Thompson base weights of the chosen rows, in `indices` order (length k): w_i / pi_i with w the pool's
   * weights and pi the inclusion probabilities of the design (see horvitzThompsonWeights). Positive; only ratios matter.
   */
  baseWeights: ArrayLike<number>;
  /** The human reference (the target sample), m x d, same columns as the pool. */
  reference: Matrix;
  /** Non-negative weights of the reference rows (default uniform). */
  targetWeights?: ArrayLike<number>;
  /** Moments to match (default 'auto': see recalibrateSet). */
  moments?: SetMoments;
  /** Largest accepted gap of a constraint, in target SDs (default 1e-6, as calibrationWeights). */
  tolerance?: number;
  /** Newton steps per phase (default 100). */
  maxIterations?: number;
  /** Column labels (default the trait codes when d = 5). */
  labels?: readonly string[];
  /** Accepted value range (default [1, 5]). */
  range?: readonly [number, number];
}

export interface RecalibratedSet {
  /** Set weights, length k in `indices` order, non-negative, summing to 1. */
  weights: Float64Array;
  /** The Horvitz-Thompson base weights normalised to sum 1: where the calibration starts. */
  baseWeights: Float64Array;
  /** The moment level that was matched (or, when converged is false, balanced as closely as the ridge allows). */
  moments: MomentSet;
  /** Every constraint holds within the tolerance and the solver converged (false: approximate, ridge fall-back). */
  converged: boolean;
  /** Newton steps taken. */
  iterations: number;
  /** Balance of the re-calibrated weights against the target, one entry per matched quantity. */
  constraints: ConstraintReport[];
  /** The same quantities under the (normalised) Horvitz-Thompson weights, before re-calibration. */
  baseConstraints: ConstraintReport[];
  /** Kish ESS, design effect, largest weight share of `weights`. */
  diagnostics: WeightDiagnostics;
  /** Plain-English sentences (failed constraints, concentrated weights, the moment level 'auto' chose). */
  warnings: string[];
}

/** Constraints of a moment level for d columns: d means, + d variances, + d (d - 1) / 2 covariances. */
export function momentConstraintCount(moments: MomentSet, d: number): number {
  if (moments === 'means') return d;
  if (moments === 'meansAndVariances') return 2 * d;
  return 2 * d + (d * (d - 1)) / 2;
}

/**
 * The richest moment level with at least PERSONAS_PER_CONSTRAINT (4) set members per constraint: 'all' (20
 * constraints for d = 5) from k = 80, 'meansAndVariances' (10) from k = 40, 'means' below.
 * @example autoMoments(40, 5) === 'meansAndVariances'
 */
export function autoMoments(k: number, d: number): MomentSet {
  for (const m of ['all', 'meansAndVariances'] as const) if (k >= PERSONAS_PER_CONSTRAINT * momentConstraintCount(m, d)) return m;
  return 'means';
}

/**
 * Horvitz-Thompson weights of a chosen set: w_i / pi_i for each chosen row i (in `indices` order). Throws
 * AlignInputError when a chosen row has pi_i <= 0 or a weight that is not finite and positive. O(k).
 * Reference: Horvitz & Thompson (1952) JASA 47(260), 663-685.
 * @example horvitzThompsonWeights([1, 1, 8], [0.5, 0.5, 1], [0, 2]) -> [2, 8]
 */
export function horvitzThompsonWeights(weights: ArrayLike<number>, inclusionProbabilities: ArrayLike<number>, indices: ArrayLike<number>): Float64Array {
  if (weights.length !== inclusionProbabilities.length) {
    throw new AlignInputError(
      'DIMENSION_MISMATCH',
      `There are ${weights.length} weights but ${inclusionProbabilities.length} inclusion probabilities; give one of each per pool row.`,
    );
  }
  const out = new Float64Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    checkIndex(i, r, weights.length);
    const w = weights[i]!;
    const p = inclusionProbabilities[i]!;
    if (!(p > 0 && p <= 1)) {
      throw new AlignInputError('BAD_PARAMETER', `Pool row ${i + 1} was chosen but its inclusion probability is ${p}; a chosen row needs a probability in (0, 1].`);
    }
    if (!(w > 0) || !Number.isFinite(w)) {
      throw new AlignInputError('BAD_WEIGHTS', `Pool row ${i + 1} was chosen but its weight is ${w}; a chosen row needs a finite, positive weight.`);
    }
    out[r] = w / p;
  }
  return out;
}

function checkIndex(i: number, r: number, n: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new AlignInputError('BAD_PARAMETER', `Set member ${r + 1} names pool row ${i}, but the pool has rows 0 to ${n - 1}.`);
  }
}

/**
 * Re-calibrates the weights of a set of k distinct personas to the target's moments: entropy balancing of the set,
 * started from its Horvitz-Thompson weights.
 *
 * A design that picks persona i with probability pi_i (pivotal sampling: pi_i = min(1, c w_i)) makes
 * b_i = w_i / pi_i the unbiased (Horvitz-Thompson) set weights of the pool weights w. A single set still misses the
 * target by sampling noise, so the set weights are calibrated (Deville & Sarndal 1992): among weights summing to 1,
 * the ones closest to b in Kullback-Leibler divergence whose weighted moments equal the target's,
 *   min_s sum_{r in S} s_r log(s_r / b_r)  subject to  sum_r s_r f(x_r) = sum_j v_j f(y_j),  sum_r s_r = 1,
 * with f the moment features of calibrationWeights (means; + variances; + covariances about the target mean) and
 * v the target weights. Solution s_r = b_r exp(lambda . f(x_r)) / Z (weightEstimators.calibration with baseWeights b).
 * Moments 'auto' (the default): start at the richest level with at least PERSONAS_PER_CONSTRAINT set members per
 * constraint (autoMoments), so a small set is not asked for more constraints than it can meet, and step down (all ->
 * means and variances -> means) while the set cannot match the level exactly; exact lower moments beat approximate
 * higher ones, whose ridge trade-off can move the means away from the target. When not even the means are within
 * reach, the ridge-penalised dual of the means gives the nearest balance (converged false, a warning names the
 * constraints that miss). A fixed level is matched exactly or, failing that, by the ridge.
 * Symbols: pool x (n x d), set S (k rows), reference y (m x d), p constraints (d, 2d or 2d + d(d-1)/2).
 * Complexity: O(k d) to gather the set, O(m p) for the target moments, then O(k p) per dual evaluation and
 * O(k p^2 + p^3) per Newton step (typically 5-15 steps), for at most three levels; O(k + m) memory besides the inputs.
 * Deterministic: no randomness, the same input gives the same weights.
 * References: Horvitz & Thompson (1952) JASA 47(260); Deville & Sarndal (1992) JASA 87(418); Hainmueller (2012)
 * Political Analysis 20(1), 25-46 (entropy balancing); Deville & Tille (1998) Biometrika 85(1) (pivotal sampling).
 * @example recalibrateSet({ pool, indices: pivotal.indices, baseWeights: horvitzThompsonWeights(w, pivotal.inclusionProbabilities!, pivotal.indices), reference }).weights sums to 1
 */
export function recalibrateSet(input: RecalibrateSetInput): RecalibratedSet {
  const { pool, indices, reference } = input;
  const k = indices.length;
  if (k < 2) {
    throw new AlignInputError('TOO_FEW', `Re-calibration needs a set of at least two personas; got ${k}.`);
  }
  const n = pool.rows;
  const seen = new Set<number>();
  for (let r = 0; r < k; r++) {
    const i = indices[r]!;
    checkIndex(i, r, n);
    if (seen.has(i)) {
      throw new AlignInputError(
        'BAD_PARAMETER',
        `Pool row ${i} appears more than once in the set; re-calibration weights a set of distinct personas (a draw with repeats carries counts instead).`,
      );
    }
    seen.add(i);
  }
  if (input.baseWeights.length !== k) {
    throw new AlignInputError('BAD_WEIGHTS', `${input.baseWeights.length} base weights were given for a set of ${k} personas; give one Horvitz-Thompson weight per set member.`);
  }
  for (let r = 0; r < k; r++) {
    const b = input.baseWeights[r]!;
    if (!(b > 0) || !Number.isFinite(b)) {
      throw new AlignInputError(
        'BAD_WEIGHTS',
        `The Horvitz-Thompson weight of set member ${r + 1} (pool row ${indices[r]}) is ${b}; every chosen persona needs a finite, positive weight w_i / pi_i.`,
      );
    }
  }
  const moments = input.moments ?? 'auto';
  if (moments !== 'auto' && moments !== 'means' && moments !== 'meansAndVariances' && moments !== 'all') {
    throw new AlignInputError('BAD_PARAMETER', `The option moments must be auto, means, meansAndVariances or all; got ${String(moments)}.`);
  }
  const set = selectRows(pool, indices);
  const d = pool.cols;
  const first = moments === 'auto' ? autoMoments(k, d) : moments;
  const levels = moments === 'auto' ? MOMENT_LEVELS.slice(MOMENT_LEVELS.indexOf(first)) : [first];
  const estimatorInput = {
    pool: set,
    reference,
    targetWeights: input.targetWeights,
    baseWeights: input.baseWeights,
    tolerance: input.tolerance,
    maxIterations: input.maxIterations,
    labels: input.labels,
    range: input.range,
  };
  // Validates the set and the reference (scale, same columns, no constant trait, weights) with sentences that name them.
  const prep = prepareEstimatorInput(estimatorInput);
  let level = first;
  let result = weightEstimators.calibration({ ...estimatorInput, calibration: { moments: first } });
  for (const next of levels.slice(1)) {
    if (result.converged) break;
    level = next;
    result = weightEstimators.calibration({ ...estimatorInput, calibration: { moments: next } });
  }
  const tolerance = input.tolerance ?? 1e-6;
  const baseConstraints = balanceReport(set, prep.base, prep.reference, prep.target, prep.base, prep.names, { moments: level }, tolerance);
  const warnings: string[] = [];
  if (moments === 'auto' && first !== 'all') {
    warnings.push(
      `The set has ${k} personas, too few to match every moment (${momentConstraintCount('all', d)} constraints at ${PERSONAS_PER_CONSTRAINT} personas each), so at most the ${LEVEL_WORDS[first]} were matched.`,
    );
  }
  if (level !== first) {
    warnings.push(
      result.converged
        ? `The target's ${LEVEL_WORDS[first]} are out of reach of this set, so the richest level it can match exactly was used: the ${LEVEL_WORDS[level]}.`
        : `No moment level of the target is within exact reach of this set, so the means were balanced as closely as a ridge penalty allows.`,
    );
  }
  warnings.push(...result.warnings);
  return {
    weights: result.weights,
    baseWeights: prep.base,
    moments: level,
    converged: result.converged,
    iterations: result.iterations,
    constraints: result.constraints,
    baseConstraints,
    diagnostics: result.diagnostics,
    warnings,
  };
}
