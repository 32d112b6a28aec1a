import type { Matrix } from '../../numeric/matrix';
import { weightedMoments } from '../../stats/weightedMoments';
import { binOf, describeBin } from './quantileBins';
import type { ConstraintReport, MomentSet } from './weightEstimatorInput';

/** What a balance report covers: a moment level and optional marginal bins per column. */
export interface BalanceSpec {
  moments: MomentSet | 'none';
  /** Bin cut points per column (see quantileBins); missing or empty = no bins for that column. */
  cuts?: Float64Array[];
}

/**
 * Balance of a weighted pool against the target, one ConstraintReport per quantity, in the order of
 * momentFeatures: means, variances, covariances (k < l), then every bin share of column 0, 1, ...
 *
 * target and achieved are the natural quantities: mean, variance, covariance (population, weights summing to 1)
 * and bin share. gap = (achieved - target) / s with s the target's SD of the quantity's per-row term: sd(x_k) for a
 * mean, sd((x_k - mu_k)^2) for a variance, sd((x_k - mu_k)(x_l - mu_l)) for a covariance, sqrt(t (1 - t)) for a share
 * (mu: target mean). When the target has no spread in that term, a pool-based scale is used (base-weighted sd(x_k),
 * sqrt(2) var_k, sd_k sd_l, sqrt(a (1 - a))), or 1. holds = |gap| <= tolerance.
 * Complexity O((n + m) d^2 + (n + m) d log B).
 * @param pool n x d; @param weights pool weights (sum 1); @param reference m x d; @param targetWeights (sum 1)
 * @param baseWeights pool base weights (sum 1), for the fall-back scale; @param names column names
 * @example balanceReport(x, w, x, w, w, ['E'], { moments: 'means' }, 1e-6)[0] -> { name: 'mean E', gap: 0, holds: true, ... }
 */
export function balanceReport(
  pool: Matrix,
  weights: Float64Array,
  reference: Matrix,
  targetWeights: Float64Array,
  baseWeights: Float64Array,
  names: readonly string[],
  spec: BalanceSpec,
  tolerance: number,
): ConstraintReport[] {
  const d = pool.cols;
  const out: ConstraintReport[] = [];
  const level = spec.moments === 'none' ? 0 : spec.moments === 'means' ? 1 : spec.moments === 'meansAndVariances' ? 2 : 3;
  const add = (name: string, kind: ConstraintReport['kind'], traits: number[], target: number, achieved: number, scale: number) => {
    const gap = (achieved - target) / scale;
    out.push({ name, kind, traits, target, achieved, gap, holds: Math.abs(gap) <= tolerance });
  };
  if (level > 0) {
    const tm = weightedMoments(reference, targetWeights);
    const am = weightedMoments(pool, weights);
    // The pool's base-weighted moments only serve as a fall-back scale; computed when first needed.
    let bmCache: ReturnType<typeof weightedMoments> | null = null;
    const bm = () => (bmCache ??= weightedMoments(pool, baseWeights));
    // E_t[(u_k u_l)^2] with u = y - mu_t, for the SDs of the variance and covariance terms.
    const fourth = new Float64Array(d * d);
    if (level >= 2) {
      const u = new Float64Array(d);
      const { rows: m, data } = reference;
      for (let j = 0; j < m; j++) {
        const wj = targetWeights[j]!;
        if (wj === 0) continue;
        for (let k = 0; k < d; k++) u[k] = data[j * d + k]! - tm.mean[k]!;
        for (let k = 0; k < d; k++) {
          for (let l = k; l < d; l++) {
            const t = u[k]! * u[l]!;
            fourth[k * d + l] = fourth[k * d + l]! + wj * t * t;
          }
        }
      }
    }
    const pick = (targetScale: number, fallback: () => number) => {
      if (targetScale > 1e-12) return targetScale;
      const f = fallback();
      return f > 0 ? f : 1;
    };
    for (let k = 0; k < d; k++) {
      add(`mean ${names[k]}`, 'mean', [k], tm.mean[k]!, am.mean[k]!, pick(tm.sd[k]!, () => bm().sd[k]!));
    }
    if (level >= 2) {
      for (let k = 0; k < d; k++) {
        const v = tm.covariance[k * d + k]!;
        const s = Math.sqrt(Math.max(fourth[k * d + k]! - v * v, 0));
        add(`variance ${names[k]}`, 'variance', [k], v, am.covariance[k * d + k]!, pick(s, () => Math.SQRT2 * bm().covariance[k * d + k]!));
      }
    }
    if (level >= 3) {
      for (let k = 0; k < d; k++) {
        for (let l = k + 1; l < d; l++) {
          const c = tm.covariance[k * d + l]!;
          const s = Math.sqrt(Math.max(fourth[k * d + l]! - c * c, 0));
          add(`covariance ${names[k]}-${names[l]}`, 'covariance', [k, l], c, am.covariance[k * d + l]!, pick(s, () => bm().sd[k]! * bm().sd[l]!));
        }
      }
    }
  }
  const cuts = spec.cuts ?? [];
  for (let k = 0; k < d; k++) {
    const c = cuts[k];
    if (!c || c.length === 0) continue;
    const t = binShares(reference, targetWeights, k, c);
    const a = binShares(pool, weights, k, c);
    for (let b = 0; b <= c.length; b++) {
      const tb = t[b]!;
      const ab = a[b]!;
      const s = Math.sqrt(tb * (1 - tb));
      const fallback = Math.sqrt(ab * (1 - ab));
      add(`share ${names[k]} bin ${b + 1}/${c.length + 1} ${describeBin(c, b)}`, 'share', [k], tb, ab, s > 1e-12 ? s : fallback > 1e-12 ? fallback : 1);
    }
  }
  return out;
}

/**
 * Weighted share of each bin of column k (weights summing to 1 give shares summing to 1). O(n log B).
 * @example binShares(matrixFromRows([[1], [3]]), Float64Array.of(0.25, 0.75), 0, Float64Array.of(2)) -> [0.25, 0.75]
 */
export function binShares(x: Matrix, weights: ArrayLike<number>, k: number, cuts: Float64Array): Float64Array {
  const { rows, cols: d, data } = x;
  const out = new Float64Array(cuts.length + 1);
  for (let i = 0; i < rows; i++) {
    const wi = weights[i]!;
    if (wi === 0) continue;
    const b = binOf(cuts, data[i * d + k]!);
    out[b] = out[b]! + wi;
  }
  return out;
}

/**
 * One sentence naming the constraints that do not hold (largest |gap| first, at most `limit`), or '' if all hold.
 * @example failedConstraintsSentence(report, 1e-6) // 'mean N (target 3.1, achieved 2.95, gap -0.21 SD), ...'
 */
export function failedConstraintsSentence(report: ConstraintReport[], limit = 6): string {
  const failed = report.filter((c) => !c.holds).sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap));
  if (failed.length === 0) return '';
  const f = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x));
  const parts = failed.slice(0, limit).map((c) => `${c.name} (target ${f(c.target)}, achieved ${f(c.achieved)}, gap ${f(c.gap)} SD)`);
  const more = failed.length > limit ? ` and ${failed.length - limit} more` : '';
  return parts.join('; ') + more;
}
