import { selectKth } from '../numeric/selectKth';
/** Result of Pareto smoothing. */
export interface ParetoSmoothResult {
  /** Smoothed log weights (same additive constant as the input), length n. */
  logWeights: Float64Array;
  /** Estimated generalised-Pareto shape of the upper tail (k-hat); NaN when the tail is too short to fit. */
  khat: number;
  /** Number of tail weights replaced, M = ceil(min(0.2 n, 3 sqrt(n))). */
  tailLength: number;
}

/**
 * Pareto-smoothed importance sampling (PSIS): replaces the M largest weights by expected order statistics of a
 * generalised Pareto distribution fitted to them, and reports its shape k-hat.
 *
 * Tail: M = ceil(min(0.2 n, 3 sqrt(n))) largest weights; exceedances x = w - u over the threshold u (the next
 * largest weight) are fitted by the Zhang & Stephens (2009) empirical-Bayes estimator with the weakly informative
 * prior of Vehtari et al.; the tail is replaced by u + F^{-1}((z - 1/2) / M), z = 1..M, and no weight may exceed
 * the original largest one. k-hat < 0.5 good, 0.5-0.7 usable, > 0.7 unreliable (the estimate's variance is
 * effectively infinite and the weights should not be trusted).
 * Complexity O(n) expected for the order statistics (quickselect) plus O(M log M + M (30 + sqrt M)) for the fit. Works in the log domain (the largest
 * log weight is subtracted first).
 * Reference: Vehtari, Simpson, Gelman, Yao, Gabry (2024) Pareto smoothed importance sampling, JMLR 25(72);
 * Zhang & Stephens (2009) Technometrics 51(3). Ported from ArviZ `_psislw` / `_gpdfit`; checked against a numpy
 * port in tests/fixtures.
 * @example weights drawn as Pareto(shape 1/xi) give khat ~= xi (tests use xi = 0.5 and 1.0)
 */
export function paretoSmooth(logWeights: ArrayLike<number>): ParetoSmoothResult {
  const n = logWeights.length;
  const out = copyOf(logWeights);
  const tailLength = Math.ceil(Math.min(0.2 * n, 3 * Math.sqrt(n)));
  if (n < 2 || tailLength < 5 || tailLength >= n) return { logWeights: out, khat: NaN, tailLength: 0 };
  // Only three order statistics are needed: the cutoff (rank n - M - 1), the threshold (rank n - M) and the maximum.
  const work = copyOf(logWeights);
  const cutoffRaw = selectKth(work, n - tailLength - 1);
  let thr = Infinity;
  let maxLw = cutoffRaw;
  for (let i = n - tailLength; i < n; i++) {
    const v = work[i]!;
    if (v < thr) thr = v;
    if (v > maxLw) maxLw = v;
  }
  if (!Number.isFinite(maxLw)) return { logWeights: out, khat: NaN, tailLength: 0 };
  const cutoff = Math.max(cutoffRaw, Math.log(Number.MIN_VALUE) + maxLw);
  // Indices of the tail, ascending by weight (ties: higher index later, as a stable argsort would give), found
  // without sorting all n indices: everything above the threshold, then ties at the threshold from the top.
  const tailIdx: number[] = [];
  for (let i = 0; i < n; i++) if (logWeights[i]! > thr) tailIdx.push(i);
  for (let i = n - 1; i >= 0 && tailIdx.length < tailLength; i--) if (logWeights[i]! === thr) tailIdx.push(i);
  tailIdx.sort((a, b) => logWeights[a]! - logWeights[b]! || a - b);
  const expCut = Math.exp(cutoff - maxLw);
  const x = new Float64Array(tailLength);
  for (let t = 0; t < tailLength; t++) x[t] = Math.exp(logWeights[tailIdx[t]!]! - maxLw) - expCut;
  const { k, sigma } = gpdFit(x);
  if (Number.isFinite(k) && sigma > 0) {
    for (let t = 0; t < tailLength; t++) {
      const p = (t + 0.5) / tailLength;
      const q = Math.abs(k) < 1e-12 ? -Math.log1p(-p) : Math.expm1(-k * Math.log1p(-p)) / k;
      const v = Math.log(q * sigma + expCut);
      out[tailIdx[t]!] = Math.min(v, 0) + maxLw;
    }
  }
  return { logWeights: out, khat: k, tailLength };
}

/** A Float64Array copy (typed-array input copies in bulk, several times faster than Float64Array.from). */
function copyOf(x: ArrayLike<number>): Float64Array {
  return x instanceof Float64Array ? x.slice() : Float64Array.from(x);
}

/** Zhang & Stephens (2009) GPD fit of positive exceedances sorted ascending, with the Vehtari et al. prior on k. */
function gpdFit(x: Float64Array): { k: number; sigma: number } {
  const n = x.length;
  const priorBs = 3;
  const priorK = 10;
  const mEst = 30 + Math.floor(Math.sqrt(n));
  const b = new Float64Array(mEst);
  const xq = x[Math.floor(n / 4 + 0.5) - 1]!;
  const xmax = x[n - 1]!;
  if (!(xmax > 0)) return { k: NaN, sigma: 0 };
  for (let i = 0; i < mEst; i++) {
    b[i] = (1 - Math.sqrt(mEst / (i + 1 - 0.5))) / (priorBs * xq) + 1 / xmax;
  }
  const kArr = new Float64Array(mEst);
  const lenScale = new Float64Array(mEst);
  for (let i = 0; i < mEst; i++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += Math.log1p(-b[i]! * x[t]!);
    kArr[i] = s / n;
    lenScale[i] = n * (Math.log(-(b[i]! / kArr[i]!)) - kArr[i]! - 1);
  }
  const w = new Float64Array(mEst);
  for (let i = 0; i < mEst; i++) {
    let s = 0;
    for (let j = 0; j < mEst; j++) s += Math.exp(lenScale[j]! - lenScale[i]!);
    w[i] = 1 / s;
  }
  let wsum = 0;
  for (let i = 0; i < mEst; i++) if (w[i]! >= 10 * Number.EPSILON) wsum += w[i]!;
  let bPost = 0;
  for (let i = 0; i < mEst; i++) if (w[i]! >= 10 * Number.EPSILON) bPost += (b[i]! * w[i]!) / wsum;
  let kPost = 0;
  for (let t = 0; t < n; t++) kPost += Math.log1p(-bPost * x[t]!);
  kPost /= n;
  const sigma = -kPost / bPost;
  kPost = (n * kPost + priorK * 0.5) / (n + priorK);
  return { k: kPost, sigma };
}
