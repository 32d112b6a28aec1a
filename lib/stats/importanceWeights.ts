import { AlignInputError } from '../numeric/alignInputError';
import { paretoSmooth } from './paretoSmooth';
import { diagnosticsFromSums, type WeightDiagnostics } from './weightDiagnostics';

/** How the heavy upper tail of raw importance weights is tamed. */
export type Truncation = 'none' | 'cap' | 'psis';

/** Input: the two log densities at the pool points. */
export interface ImportanceWeightsInput {
  /** log p_target(x_i), length n (the human reference density at each persona). */
  logTarget: ArrayLike<number>;
  /** log q_pool(x_i), length n (the pool's own, ideally leave-one-out, density at each persona). */
  logProposal: ArrayLike<number>;
  /** Default 'psis'. */
  truncation?: Truncation;
  /** For 'cap': the largest allowed weight as a multiple of the mean weight (default sqrt(n), Ionides 2008). */
  cap?: number;
  /** k-hat above which `khatWarning` is raised (default 0.7). */
  khatThreshold?: number;
}

/** Self-normalised importance weights and their health. */
export interface ImportanceWeightsResult extends WeightDiagnostics {
  /** Weights summing to 1, length n. */
  weights: Float64Array;
  /** log of `weights`. */
  logWeights: Float64Array;
  /** Pareto k-hat of the raw weights (always computed; NaN when n is too small). */
  khat: number;
  /** khat > khatThreshold: the raw weights have a tail too heavy for a reliable estimate. */
  khatWarning: boolean;
  /** Number of weights changed by the cap or the Pareto smoothing. */
  modifiedCount: number;
  /** Diagnostics of the raw (untruncated) weights. */
  raw: WeightDiagnostics;
}

/**
 * Self-normalised importance weights w_i = p(x_i) / q(x_i) / sum_j p(x_j) / q(x_j), in the log domain.
 *
 * log w_i = logTarget_i - logProposal_i - logsumexp_j(...). Truncation: 'cap' clips weights at cap x mean weight
 * and repeats until no weight exceeds the cap of the clipped set (truncated IS, Ionides 2008); 'psis' applies
 * Pareto smoothing (Vehtari et al. 2024). k-hat is computed from the raw log weights in every mode.
 * Points with logTarget = -Infinity get weight 0; logProposal must be finite.
 * Complexity O(n log n). Reference: Kish (1965) for ESS; Vehtari et al. (2024) JMLR 25(72).
 * @example importanceWeights({ logTarget: [0, 0], logProposal: [0, 0] }).weights -> [0.5, 0.5]
 */
export function importanceWeights(input: ImportanceWeightsInput): ImportanceWeightsResult {
  const n = input.logTarget.length;
  if (n === 0) throw new AlignInputError('EMPTY', 'There are no personas to weight.');
  if (input.logProposal.length !== n) throw new AlignInputError('DIMENSION_MISMATCH', 'The target and pool log densities must have one value per persona.');
  const lw = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const q = input.logProposal[i]!;
    const p = input.logTarget[i]!;
    if (!Number.isFinite(q) || Number.isNaN(p) || p === Infinity) {
      throw new AlignInputError('NOT_FINITE', `The density at persona ${i + 1} is not a finite number (target ${p}, pool ${q}); check the inputs for missing values.`);
    }
    lw[i] = p - q;
    if (lw[i]! > max) max = lw[i]!;
  }
  if (max === -Infinity) {
    throw new AlignInputError('BAD_WEIGHTS', 'No persona lies where the target has any density, so every weight is zero; the pool and the target do not overlap.');
  }
  // Diagnostics of the raw weights exp(lw - max) without keeping them (only 'cap' needs the array).
  let rs = 0;
  let rs2 = 0;
  let rmax = 0;
  let rpos = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(lw[i]! - max);
    rs += w;
    rs2 += w * w;
    if (w > rmax) rmax = w;
    if (w > 0) rpos++;
  }
  const raw = diagnosticsFromSums(n, rs, rs2, rmax, rpos);
  const ps = paretoSmooth(lw);
  const mode = input.truncation ?? 'psis';
  let modified = 0;
  let work: Float64Array;
  if (mode === 'psis') {
    work = ps.logWeights;
    for (let i = 0; i < n; i++) if (work[i] !== lw[i]) modified++;
  } else if (mode === 'cap') {
    const capRatio = input.cap ?? Math.sqrt(n);
    if (!(capRatio >= 1)) throw new AlignInputError('BAD_PARAMETER', `The weight cap must be at least 1 (times the mean weight), got ${capRatio}.`);
    const rawW = new Float64Array(n);
    for (let i = 0; i < n; i++) rawW[i] = Math.exp(lw[i]! - max);
    const w = rawW.slice();
    for (let it = 0; it < 100; it++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i]!;
      const cap = (capRatio * s) / n;
      let changed = false;
      for (let i = 0; i < n; i++) {
        if (w[i]! > cap * (1 + 1e-12)) {
          w[i] = cap;
          changed = true;
        }
      }
      if (!changed) break;
    }
    work = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (w[i] !== rawW[i]) modified++;
      work[i] = Math.log(w[i]!);
    }
  } else work = lw;
  let m2 = -Infinity;
  for (let i = 0; i < n; i++) if (work[i]! > m2) m2 = work[i]!;
  const weights = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(work[i]! - m2);
    weights[i] = e;
    s += e;
  }
  // Subtract the maximum before the log of the sum: m2 + log(s) would absorb log(s) when |m2| is huge (e.g. 1e300).
  const logS = Math.log(s);
  const inv = 1 / s;
  const logWeights = new Float64Array(n);
  let s1 = 0;
  let s2 = 0;
  let wmax = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]! * inv;
    weights[i] = w;
    logWeights[i] = work[i]! - m2 - logS;
    s1 += w;
    s2 += w * w;
    if (w > wmax) wmax = w;
    if (w > 0) pos++;
  }
  const diag = diagnosticsFromSums(n, s1, s2, wmax, pos);
  const threshold = input.khatThreshold ?? 0.7;
  return { ...diag, weights, logWeights, khat: ps.khat, khatWarning: ps.khat > threshold, modifiedCount: modified, raw };
}
