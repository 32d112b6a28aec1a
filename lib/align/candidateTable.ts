/** auto's candidate table: one row per candidate estimator, the winner of the table and the per-metric mean over folds. */
import { PAPER_METRICS, type PaperMetrics } from '../stats/metrics';
import type { EstimatorSpec } from './fitWeights';

/** One row of the candidate table. */
export interface CandidateScore {
  label: string;
  spec: EstimatorSpec;
  /** The k-set's five metrics against the held-out part of the reference, averaged over the folds. */
  heldOut: PaperMetrics;
  /**
   * Mean over the folds and the five metrics of the k-set's metric / Raw's (the pool against the same held-out part);
   * < 1 is better than Raw.
   */
  score: number;
  /** Kish ESS of the weights fitted on the fitting part (mean over the folds). */
  ess: number;
  /** Distinct personas in the k-set (mean over the folds, rounded). */
  distinct: number;
  converged: boolean;
  /** Why the candidate could not be measured, or null. */
  error: string | null;
}

/**
 * The winner of a candidate table (its index, or -1 when every candidate failed): among candidates whose k-set is no
 * worse than Raw on any of the five held-out metrics the lowest score wins. When none qualifies, the candidate whose
 * worst metric is least worse than Raw wins (the smallest largest ratio to Raw over the five metrics): the pool is
 * then close to the target already (every correction costs more in the k-set's noise than it removes in bias, as
 * for the recovery bench's bimodal mechanism) and the mildest harm is the better bet than the best mean. Ties keep
 * the earlier candidate.
 * @example pickCandidate([{ score: 0.2, heldOut: worseOnFd }, { score: 0.3, heldOut: betterOnAll }], raw) === 1
 */
export function pickCandidate(table: readonly Pick<CandidateScore, 'score' | 'heldOut' | 'error'>[], raw: PaperMetrics): number {
  const safe = (row: Pick<CandidateScore, 'heldOut'>) => PAPER_METRICS.every((k) => !(row.heldOut[k] > raw[k]));
  const worst = (row: Pick<CandidateScore, 'heldOut'>) => Math.max(...PAPER_METRICS.map((k) => (raw[k] > 0 ? row.heldOut[k] / raw[k] : row.heldOut[k] > 0 ? Infinity : 1)));
  const live = table.map((row, i) => i).filter((i) => table[i]!.error === null);
  if (live.length === 0) return -1;
  const safeRows = live.filter((i) => safe(table[i]!));
  const key = safeRows.length > 0 ? (i: number) => table[i]!.score : (i: number) => worst(table[i]!);
  let best = -1;
  for (const i of safeRows.length > 0 ? safeRows : live) if (best < 0 || key(i) < key(best)) best = i;
  return best;
}

/** Metrics of a candidate not (yet) measured. */
export const NO_METRICS: PaperMetrics = { amw: NaN, fd: NaN, sw: NaN, mmd: NaN, maecorr: NaN };

/** The per-metric mean of metric sets. */
export function meanMetrics(ms: readonly PaperMetrics[]): PaperMetrics {
  const out = { ...NO_METRICS };
  for (const k of PAPER_METRICS) out[k] = ms.reduce((a, m) => a + m[k], 0) / ms.length;
  return out;
}
