/**
 * The next step length of a backtracking (Armijo) line search after the step length `alpha` failed the sufficient-
 * decrease test: the minimiser of the quadratic through f(0), f'(0) = slope (< 0) and f(alpha), kept within
 * [alpha / 10, alpha / 2]; alpha / 10 when f(alpha) is not finite. A far-off Newton step of a nearly singular problem
 * then shrinks up to tenfold per evaluation instead of twofold, and a mild overshoot is cut about in half.
 * Reference: Nocedal & Wright (2006) Numerical Optimization, section 3.5 (interpolation).
 * @example backtrack(1, 0, 10, -1) === 0.1 // backtrack(1, 0, -0.4, -1) === 0.5
 */
export function backtrack(alpha: number, value: number, trialValue: number, slope: number): number {
  if (!Number.isFinite(trialValue)) return alpha / 10;
  const curvature = trialValue - value - slope * alpha;
  const next = curvature > 0 ? (-slope * alpha * alpha) / (2 * curvature) : alpha / 2;
  return Math.min(alpha / 2, Math.max(alpha / 10, next));
}
