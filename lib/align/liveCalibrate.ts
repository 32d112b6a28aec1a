import type { Matrix } from '../numeric/matrix';
import { normaliseWeights } from '../numeric/validate';
import { calibrationWeights, type ConstraintReport } from './estimators';
import { khatOf } from './fitWeights';
import { cachedOrderAmw, prepareTarget, type LiveReweightResult } from './liveReweight';
import type { PoolDensityCache } from './poolDensityCache';

/** A live calibration update: the live reweight's figures plus the dual solution to warm-start the next edit. */
export interface LiveCalibrateResult extends LiveReweightResult {
  /** The dual parameters (one per constraint); pass them back as `initialLambda` after the next edit. */
  lambda: Float64Array;
  converged: boolean;
  iterations: number;
  /** Balance of the means, variances and covariances after weighting. */
  constraints: ConstraintReport[];
  warnings: string[];
}

/** Rows used for the live Newton Hessian (the gradient uses every row; the solution does not depend on it). */
export const LIVE_HESSIAN_ROWS = 8192;
/** Newton stops when every dual gradient component (standardised moment gap) is below this: 1e-6 SDs is invisible in any chart. */
export const LIVE_GRADIENT_TOLERANCE = 1e-6;

/**
 * Calibration weights for a studio edit: entropy balancing of the cached pool to the new target's means, variances
 * and covariances (calibrationWeights with moments 'all'), warm-started from the previous edit's dual solution, so an
 * edit (which only moves the target moments a little) needs one to three Newton steps. AMW uses the pool's cached
 * per-trait sort orders and the target's (reused while the row order per trait is unchanged, as after the sliders'
 * increasing affine maps). k-hat is the Pareto shape of the weights' upper tail.
 * Complexity per edit: O(iterations (n p + h p^2)) with p = 20 constraints and h = LIVE_HESSIAN_ROWS, plus
 * O(d (n + m)) for AMW.
 * Reference: Hainmueller (2012) Political Analysis 20(1), entropy balancing.
 * @example liveCalibrate({ cache, target }).weights.length === cache.pool.rows
 */
export function liveCalibrate(input: {
  cache: PoolDensityCache;
  target: Matrix;
  targetWeights?: ArrayLike<number>;
  targetOrder?: Uint32Array;
  initialLambda?: ArrayLike<number>;
}): LiveCalibrateResult {
  const { cache, target } = input;
  const tw = normaliseWeights(input.targetWeights, target.rows, 'target');
  const r = calibrationWeights({
    pool: cache.pool,
    reference: target,
    targetWeights: input.targetWeights,
    calibration: { moments: 'all', initialLambda: input.initialLambda, hessianRows: LIVE_HESSIAN_ROWS, gradientTolerance: LIVE_GRADIENT_TOLERANCE },
  });
  const prep = prepareTarget(cache, target, input.targetOrder);
  const { amw, perTrait } = cachedOrderAmw(cache, prep, r.weights, tw);
  const khat = khatOf(r.weights);
  return {
    weights: r.weights,
    logTargetDensity: new Float64Array(0),
    ess: r.diagnostics.ess,
    designEffect: r.diagnostics.designEffect,
    maxWeightShare: r.diagnostics.maxWeightShare,
    khat: Number.isFinite(khat) ? khat : 0,
    khatWarning: khat > 0.7,
    amw,
    amwPerTrait: perTrait,
    lambda: r.parameters,
    converged: r.converged,
    iterations: r.iterations,
    constraints: r.constraints,
    warnings: r.warnings,
  };
}
