import { AlignInputError } from '../numeric/alignInputError';
import { selectRows, type Matrix } from '../numeric/matrix';
import { createRng } from '../numeric/rng';
import { sampleIndices } from '../numeric/sampleIndices';
import { meanRatio, PAPER_METRICS, paperMetricsBatch, type PaperMetrics } from '../stats/metrics';
import { fitWeights, type EstimatorSpec, type FitSettings } from './fitWeights';
import { selectionMethods, UNIQUE_SELECTION_METHODS, type SelectionMethod } from './selectionMethods';

/**
 * The candidates `auto` measures, in order (ties keep the earlier one): entropy balancing of means, variances and
 * covariances, the same plus per-trait decile shares, raking on quintiles, degree-2 logistic odds, KDE at bandwidth
 * 0.5, and the paper's KDE (0.2) + OT (left out above AUTO_PAPER_MAX_POOL personas, see chooseEstimator).
 */
export const AUTO_CANDIDATES: readonly EstimatorSpec[] = [
  { estimator: 'calibration', refine: 'none', bins: 0, label: 'calibration (moments)' },
  { estimator: 'calibration', refine: 'none', bins: 10, label: 'calibration (moments + deciles)' },
  { estimator: 'raking', refine: 'none', bins: 5, label: 'raking (quintiles)' },
  { estimator: 'logistic', refine: 'none', label: 'logistic (degree 2)' },
  { estimator: 'kde', refine: 'none', bandwidth: 0.5, label: 'kde (bandwidth 0.5)' },
  { estimator: 'kde', refine: 'ot', bandwidth: 0.2, label: 'paper (kde 0.2 + OT)' },
];

/** One row of the candidate table. */
export interface CandidateScore {
  label: string;
  spec: EstimatorSpec;
  /** The k-set's five metrics against the held-out part of the reference. */
  heldOut: PaperMetrics;
  /** Mean over the five metrics of heldOut / raw (the pool against the same held-out part); < 1 is better than Raw. */
  score: number;
  /** Kish ESS of the weights fitted on the fitting part. */
  ess: number;
  /** Distinct personas in the k-set. */
  distinct: number;
  converged: boolean;
  /** Why the candidate could not be measured, or null. */
  error: string | null;
}

/**
 * A choice on more pool rows than this leaves the paper's KDE + OT out of the default candidates (listed, not
 * measured). Measured on 32 biased pools drawn from the BIG5 sample (the five selection mechanisms of the recovery
 * bench, 1,000 to 30,000 personas, two seeds) and on the demo pool and a 30,738-persona pool grown from it: the paper
 * candidate never won the choice (best rank 3 of 6), while its fit took 20-40% of the choice's time up to 5,000
 * personas, about half at 10,000 and 50-65% at the 20,000-row cap.
 */
export const AUTO_PAPER_MAX_POOL = 5_000;

/** Default caps on the rows the choice uses (see chooseEstimator): pool rows, fitting rows, held-out rows. */
export const CHOICE_ROWS = { pool: 20_000, fit: 20_000, heldOut: 10_000 } as const;

export interface ChooseEstimatorInput {
  pool: Matrix;
  reference: Matrix;
  /** Normalised target weights of the reference rows, or undefined for uniform. */
  targetWeights?: Float64Array;
  size: number;
  selection: SelectionMethod;
  settings: FitSettings;
  /** Share of the reference held out for measuring (default 0.5), in (0, 1). */
  heldOutShare?: number;
  metricsSeed: number;
  projections: number;
  candidates?: readonly EstimatorSpec[];
  /**
   * Caps on the rows used for the choice (default CHOICE_ROWS: 20,000 pool rows, 20,000 fitting rows, 10,000
   * held-out rows); a larger pool or part is replaced by a seeded uniform subsample of that many rows.
   */
  maxRows?: { pool?: number; fit?: number; heldOut?: number };
  onProgress?: (fraction: number) => void;
}

export interface ChooseEstimatorResult {
  best: EstimatorSpec;
  table: CandidateScore[];
  /** The (subsampled) pool's metrics against the held-out part (the denominators of the scores). */
  raw: PaperMetrics;
  /** Reference rows in the fitting part and the held-out part of the split (before any subsampling). */
  fitRows: number;
  heldOutRows: number;
  /** Rows the choice actually used: pool rows the candidates were fitted on, fitting rows, held-out rows. */
  choiceRows: { pool: number; fit: number; heldOut: number };
}

/**
 * The winner of a candidate table (its index, or -1 when every candidate failed): candidates whose k-set is no worse
 * than Raw on any of the five held-out metrics come first; among them (or among all, when none qualifies) the lowest
 * score wins; ties keep the earlier candidate.
 * @example pickCandidate([{ score: 0.2, heldOut: worseOnFd }, { score: 0.3, heldOut: betterOnAll }], raw) === 1
 */
export function pickCandidate(table: readonly Pick<CandidateScore, 'score' | 'heldOut' | 'error'>[], raw: PaperMetrics): number {
  const safe = (row: Pick<CandidateScore, 'heldOut'>) => PAPER_METRICS.every((k) => !(row.heldOut[k] > raw[k]));
  let best = -1;
  table.forEach((row, i) => {
    if (row.error !== null) return;
    if (best < 0) {
      best = i;
      return;
    }
    const a = safe(row);
    const b = safe(table[best]!);
    if ((a && !b) || (a === b && row.score < table[best]!.score)) best = i;
  });
  return best;
}

/**
 * Splits row indices 0..m-1 into a seeded uniform random part of `share` (at least 2 rows and at most m - 2: the
 * held-out part) and the rest (the fitting part), both sorted. The held-out part is sampleIndices' draw.
 * @example splitRows(10, 0.5, 1).heldOut.length === 5
 */
export function splitRows(m: number, share: number, seed: number): { fit: Uint32Array; heldOut: Uint32Array } {
  const h = Math.min(m - 2, Math.max(2, Math.round(share * m)));
  const heldOut = sampleIndices(m, h, createRng(seed)).slice().sort();
  const inHeldOut = new Uint8Array(m);
  for (const i of heldOut) inHeldOut[i] = 1;
  const fit = new Uint32Array(m - h);
  for (let i = 0, j = 0; i < m; i++) if (!inHeldOut[i]) fit[j++] = i;
  return { heldOut, fit };
}

/**
 * A seeded uniform subsample of `count` of the row indices `rows` (all of them, unchanged, when count >= their
 * number), sorted; the positions are sampleIndices' draw. O(rows.length) memory, O(rows.length + count log count) time.
 * @example subsampleRows(Uint32Array.of(0, 1, 2, 3), 2, 7).length === 2
 */
export function subsampleRows(rows: Uint32Array, count: number, seed: number): Uint32Array {
  if (count >= rows.length) return rows;
  return Uint32Array.from(sampleIndices(rows.length, count, createRng(seed)), (p) => rows[p]!).sort();
}

const NO_METRICS: PaperMetrics = { amw: NaN, fd: NaN, sw: NaN, mmd: NaN, maecorr: NaN };
const pick = (w: Float64Array | undefined, rows: Uint32Array) => (w ? Float64Array.from(rows, (i) => w[i]!) : undefined);
const allRows = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

function rowCap(value: number | undefined, fallback: number, name: string, least: number): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) && v >= least)) throw new AlignInputError('BAD_PARAMETER', `The cap on ${name} rows of auto must be a whole number of at least ${least}, got ${v}.`);
  return v;
}

/**
 * `auto`: chooses the weight estimator by held-out divergence. The reference is split (seeded) into a fitting part
 * and a held-out part (default half each); every candidate is fitted to the fitting part, its k-set is selected
 * with the run's selection method and seed, and the set is measured against the held-out part with the paper's
 * five metrics (AMW, FD, SW, MMD, MAEcorr). Each metric is divided by the (unweighted) pool's value against the same
 * held-out part, and the candidate with the lowest mean ratio wins (ties: the earlier candidate), except that a
 * candidate whose k-set is worse than Raw on any of the five metrics loses to one that is not (so the chosen set is
 * never knowingly worse than the pool as it is on any metric). This guards against
 * estimators that only match what they were fitted to (method.md, "Beyond the paper"). A candidate that throws is
 * listed with its error and skipped. With the default candidates, more than AUTO_PAPER_MAX_POOL (5,000) pool rows in
 * the choice list the paper's KDE + OT with an explanation instead of measuring it (see that constant).
 * Bounded cost: the choice uses at most 20,000 pool rows, 20,000 fitting rows and 10,000 held-out rows (`maxRows`,
 * CHOICE_ROWS); a larger pool or part is replaced by a seeded uniform subsample (seeded from settings.seed), the
 * candidates are fitted on the pool subsample, their k-sets are drawn from it and Raw is that subsample. The rows
 * used are returned in `choiceRows`. Only the choice is subsampled: the chosen estimator is then fitted on the whole
 * pool and reference (alignPool). Inputs within the caps are used whole, so the choice is unchanged there.
 * Complexity: one fit and one k-set measurement per candidate (6 by default, 5 above 5,000 personas) on at most
 * 20,000 x 20,000 rows, so about constant beyond that size; O(n + m) for the split and the subsamples. Raw and the
 * k-sets are measured in one batch (shared held-out projections).
 * @example chooseEstimator({ pool, reference, size: 200, selection: 'systematic', settings, metricsSeed: 0, projections: 50 }).table.length === 6
 */
export function chooseEstimator(input: ChooseEstimatorInput): ChooseEstimatorResult {
  const { pool, reference, settings } = input;
  const candidates = input.candidates ?? AUTO_CANDIDATES;
  if (candidates.length === 0) throw new AlignInputError('BAD_PARAMETER', 'auto needs at least one candidate estimator.');
  const share = input.heldOutShare ?? 0.5;
  if (!(share > 0 && share < 1)) throw new AlignInputError('BAD_PARAMETER', `The held-out share must be in (0, 1), got ${share}.`);
  if (reference.rows < 8) {
    throw new AlignInputError('BAD_PARAMETER', `auto needs at least 8 reference rows to hold some out, got ${reference.rows}; name an estimator instead.`);
  }
  const caps = input.maxRows ?? {};
  const maxPool = rowCap(caps.pool, CHOICE_ROWS.pool, 'pool', 2);
  const maxFit = rowCap(caps.fit, CHOICE_ROWS.fit, 'fitting', 2);
  const maxHeldOut = rowCap(caps.heldOut, CHOICE_ROWS.heldOut, 'held-out', 2);
  const split = splitRows(reference.rows, share, settings.seed ^ 0x5eed);
  const fit = subsampleRows(split.fit, maxFit, settings.seed ^ 0xf17);
  const heldOut = subsampleRows(split.heldOut, maxHeldOut, settings.seed ^ 0x0de);
  const poolRows = subsampleRows(allRows(pool.rows), maxPool, settings.seed ^ 0x9001);
  const choicePool = poolRows.length === pool.rows ? pool : selectRows(pool, poolRows);
  // Default candidates only: more than AUTO_PAPER_MAX_POOL pool rows in the choice skip the paper's KDE + OT.
  const skipped = (spec: EstimatorSpec) =>
    input.candidates === undefined && choicePool.rows > AUTO_PAPER_MAX_POOL && spec.estimator === 'kde' && spec.refine === 'ot';
  const fitRef = selectRows(reference, fit);
  const outRef = selectRows(reference, heldOut);
  const fitW = pick(input.targetWeights, fit);
  const outW = pick(input.targetWeights, heldOut);
  const metricOpts = { seed: input.metricsSeed, projections: input.projections };
  const progress = input.onProgress ?? (() => undefined);
  const table: CandidateScore[] = [];
  const sets: { a: Matrix }[] = [];
  const measured: number[] = [];
  candidates.forEach((spec, c) => {
    if (skipped(spec)) {
      const error = `Not measured: with more than ${AUTO_PAPER_MAX_POOL.toLocaleString('en-US')} personas auto leaves the paper's KDE + OT out (it costs the most and never won in measurements); choose the estimator 'paper' to use it.`;
      table.push({ label: spec.label, spec, heldOut: NO_METRICS, score: Infinity, ess: 0, distinct: 0, converged: false, error });
      progress((c + 1) / candidates.length);
      return;
    }
    try {
      const f = fitWeights(choicePool, fitRef, fitW, spec, settings, (x) => progress((c + 0.8 * x) / candidates.length));
      const positive = f.weights.reduce((k, w) => k + (w > 0 ? 1 : 0), 0);
      const size = UNIQUE_SELECTION_METHODS.has(input.selection) ? Math.min(input.size, positive) : input.size;
      const rng = createRng(settings.seed).fork();
      const set = selectionMethods[input.selection]({ weights: f.weights, size, rng, points: choicePool }).indices;
      sets.push({ a: selectRows(choicePool, set) });
      measured.push(table.length);
      table.push({ label: spec.label, spec, heldOut: NO_METRICS, score: Infinity, ess: f.priorEss, distinct: new Set(set).size, converged: f.converged, error: null });
    } catch (e) {
      table.push({ label: spec.label, spec, heldOut: NO_METRICS, score: Infinity, ess: 0, distinct: 0, converged: false, error: (e as Error).message });
    }
    progress((c + 1) / candidates.length);
  });
  // One batch for Raw and every k-set: the held-out part's projections and sorts are shared.
  const [raw, ...metrics] = paperMetricsBatch([{ a: choicePool }, ...sets], outRef, outW, metricOpts);
  for (const row of table) if (row.error !== null) row.heldOut = raw!;
  metrics.forEach((m, j) => {
    const row = table[measured[j]!]!;
    row.heldOut = m;
    row.score = meanRatio(m, raw!);
  });
  const best = pickCandidate(table, raw!);
  if (best < 0) throw new AlignInputError('BAD_PARAMETER', `No candidate estimator could be fitted: ${table.map((t) => `${t.label}: ${t.error}`).join('; ')}`);
  return {
    best: table[best]!.spec,
    table,
    raw: raw!,
    fitRows: split.fit.length,
    heldOutRows: split.heldOut.length,
    choiceRows: { pool: choicePool.rows, fit: fit.length, heldOut: heldOut.length },
  };
}
