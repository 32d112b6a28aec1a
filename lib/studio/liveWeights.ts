/**
 * The live update's weights of the pool for one target: calibration (entropy balancing, warm-started from the previous
 * edit) by default, or the paper's KDE importance weights; with the weighted pool's AMW, the moments of both sides and
 * the weights' health. Pure (core imports only).
 */
import { liveReweight, type PoolDensityCache } from '../align';
import { liveCalibrate } from '../align/liveCalibrate';
import { cachedOrderAmw, type PoolOrder, type SortedTarget } from '../align/liveReweight';
import type { Matrix } from '../numeric/matrix';
import { weightedMoments, type WeightedMoments } from '../stats';
import type { LiveBalance, LiveResult } from './liveTypes';
import { matrix, take } from './liveSampling';

export interface LiveWeightsInput {
  pool: Matrix;
  /** The pool's per-trait sort order (AMW). */
  order: PoolOrder;
  /** The pool density cache with KDE weights; null with calibration. */
  kdeCache: PoolDensityCache | null;
  /** The target: every respondent, flat and as a matrix, and its sorted marginals. */
  target: Float64Array;
  tm: Matrix;
  sorted: SortedTarget;
  targetUniform: Float64Array;
  referenceOrder: Uint32Array;
  /** The seeded respondents of the KDE target density, and their per-trait order. */
  targetLiveIdx: Uint32Array;
  targetLiveOrder: Uint32Array;
  /** The previous edit's calibration lambda (the warm start), if it converged. */
  lambda: Float64Array | undefined;
}

export interface LiveWeights {
  w: Float64Array;
  amw: number;
  targetMoments: WeightedMoments;
  weightedPoolMoments: WeightedMoments;
  diagnostics: LiveResult['diagnostics'];
  balance: LiveBalance | null;
  warnings: string[];
  /** The lambda to warm-start the next edit from. */
  lambda: Float64Array | undefined;
}

/** The pool's live weights for a target, by the session's method (KDE when it has a density cache). */
export function liveWeights(input: LiveWeightsInput): LiveWeights {
  const { pool, order, kdeCache, target, tm, sorted, targetUniform, referenceOrder, targetLiveIdx, targetLiveOrder, lambda } = input;
  if (kdeCache) {
    const targetLive = matrix(take(target, targetLiveIdx), targetLiveIdx.length);
    const live = liveReweight({ cache: kdeCache, target: targetLive, targetOrder: targetLiveOrder });
    const w = live.weights;
    return {
      w,
      // AMW against every respondent, like every other set's.
      amw: cachedOrderAmw(order, sorted, w, targetUniform).amw,
      targetMoments: weightedMoments(tm),
      weightedPoolMoments: weightedMoments(pool, w),
      diagnostics: { ess: live.ess, designEffect: live.designEffect, maxWeightShare: live.maxWeightShare, khat: live.khat },
      balance: null,
      warnings: [],
      lambda,
    };
  }
  const live = liveCalibrate({ cache: order, target: tm, targetWeights: targetUniform, targetOrder: referenceOrder, initialLambda: lambda });
  const worst = live.constraints.reduce((a, c) => (Math.abs(c.gap) > Math.abs(a.gap) ? c : a), live.constraints[0]!);
  return {
    w: live.weights,
    amw: live.amw,
    targetMoments: live.moments.target,
    weightedPoolMoments: live.moments.pool,
    diagnostics: { ess: live.ess, designEffect: live.designEffect, maxWeightShare: live.maxWeightShare, khat: live.khat },
    balance: { solvedRows: live.solvedRows, maxGap: live.maxGap, worst: worst.name, converged: live.converged, iterations: live.iterations },
    warnings: live.warnings,
    lambda: live.converged ? live.lambda : undefined,
  };
}
