import { AlignInputError } from '../numeric/alignInputError';
import { selectRows, type Matrix } from '../numeric/matrix';
import { createRng } from '../numeric/rng';
import { sampleIndices } from '../numeric/sampleIndices';
import { meanRatio, paperMetricsBatch, type PaperMetrics } from '../stats/metrics';
import { meanMetrics, NO_METRICS, pickCandidate, type CandidateScore } from './candidateTable';
import { fitWeights, type EstimatorSpec, type FitSettings } from './fitWeights';
import { selectionMethods, UNIQUE_SELECTION_METHODS, type SelectionMethod } from './selectionMethods';

/**
 * The candidates `auto` measures, in order (ties keep the earlier one): entropy balancing of means, variances and
 * covariances, the same plus per-trait decile shares, raking on quintiles, degree-2 logistic odds, KDE at bandwidth
 * 0.5, and the paper's KDE (0.2) + OT (both KDE candidates are left out above AUTO_KDE_MAX_POOL personas, see there).
 */
export const AUTO_CANDIDATES: readonly EstimatorSpec[] = [
  { estimator: 'calibration', refine: 'none', bins: 0, label: 'calibration (moments)' },
  { estimator: 'calibration', refine: 'none', bins: 10, label: 'calibration (moments + deciles)' },
  { estimator: 'raking', refine: 'none', bins: 5, label: 'raking (quintiles)' },
  { estimator: 'logistic', refine: 'none', label: 'logistic (degree 2)' },
  { estimator: 'kde', refine: 'none', bandwidth: 0.5, label: 'kde (bandwidth 0.5)' },
  { estimator: 'kde', refine: 'ot', bandwidth: 0.2, label: 'paper (kde 0.2 + OT)' },
];

/**
 * A choice on more pool rows than this leaves both KDE candidates (KDE at 0.5 and the paper's KDE + OT) out of the
 * default candidates (listed, not measured). Measured on the recovery bench (five selection mechanisms, 2,000 and
 * 10,000 personas, 3 seeds) and on 32 biased pools of 1,000 to 30,000 personas: neither ever won the choice; KDE at 0.5
 * collapses to an ESS of 1-7 on every bench case and the paper candidate ranked at best third, while the two took
 * about a third of the fitting time at 20,000 pool rows (the paper's OT half of the choice's time).
 */
export const AUTO_KDE_MAX_POOL = 5_000;

/** Folds of the choice: each part of the split serves once for fitting and once for measuring (see chooseEstimator). */
export const CHOICE_FOLDS = 2;

/** Default caps on the rows one fold of the choice uses (see chooseEstimator): pool rows, fitting rows, held-out rows. */
export const CHOICE_ROWS = { pool: 10_000, fit: 10_000, heldOut: 5_000 } as const;

export interface ChooseEstimatorInput {
  pool: Matrix;
  reference: Matrix;
  /** Normalised target weights of the reference rows, or undefined for uniform. */
  targetWeights?: Float64Array;
  size: number;
  selection: SelectionMethod;
  settings: FitSettings;
  /** Share of the reference held out for measuring in the first fold (default 0.5), in (0, 1); the second fold swaps the parts. */
  heldOutShare?: number;
  metricsSeed: number;
  projections: number;
  candidates?: readonly EstimatorSpec[];
  /**
   * Caps on the rows one fold of the choice uses (default CHOICE_ROWS: 10,000 pool rows, 10,000 fitting rows, 5,000
   * held-out rows); a larger pool or part is replaced by a seeded uniform subsample of that many rows.
   */
  maxRows?: { pool?: number; fit?: number; heldOut?: number };
  onProgress?: (fraction: number) => void;
}

export interface ChooseEstimatorResult {
  best: EstimatorSpec;
  table: CandidateScore[];
  /** The (subsampled) pool's metrics against the held-out part, averaged over the folds (Raw of the table). */
  raw: PaperMetrics;
  /** Reference rows in the fitting part and the held-out part of the first fold (before any subsampling). */
  fitRows: number;
  heldOutRows: number;
  /** Rows the first fold actually used: pool rows the candidates were fitted on, fitting rows, held-out rows. */
  choiceRows: { pool: number; fit: number; heldOut: number };
  /** Folds measured (CHOICE_FOLDS): the second swaps the fitting and the held-out part. */
  folds: number;
  /** Why no choice was made (every candidate failed on the parts; `best` is then the first candidate), or null. */
  fallback: string | null;
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

const pick = (w: Float64Array | undefined, rows: Uint32Array) => (w ? Float64Array.from(rows, (i) => w[i]!) : undefined);
const allRows = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

function rowCap(value: number | undefined, fallback: number, name: string, least: number): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) && v >= least)) throw new AlignInputError('BAD_PARAMETER', `The cap on ${name} rows of auto must be a whole number of at least ${least}, got ${v}.`);
  return v;
}

/**
 * `auto`: chooses the weight estimator by held-out divergence, cross-fitted over two folds. The reference is split
 * (seeded) into two parts (default half each); in the first fold every candidate is fitted to one part, its k-set is
 * selected with the run's selection method and seed, and the set is measured against the other part with the paper's
 * five metrics (AMW, FD, SW, MMD, MAEcorr); the second fold swaps the parts. Each metric is divided by the
 * (unweighted) pool's value against the same held-out part, and a candidate's score is the mean of these ratios over
 * the metrics and the folds. The lowest score wins (ties: the earlier candidate), except that a candidate whose k-set
 * is worse than Raw on any of the five metrics (each averaged over the folds) loses to one that is not; when every
 * candidate is worse somewhere, the least harmful on its worst metric wins (pickCandidate).
 * Two folds measure every reference row once and average two fits and two draws per candidate, which halves the
 * variance of a split's luck in the choice; it guards against estimators that only match what they were fitted to
 * (the README's "Defaults worth knowing"). A candidate that throws in either fold is listed with its error and skipped.
 * With the default candidates, more than AUTO_KDE_MAX_POOL (5,000) pool rows in the choice list the two KDE candidates
 * with an explanation instead of measuring them (see that constant).
 * Bounded cost: a fold uses at most 10,000 pool rows, 10,000 fitting rows and 5,000 held-out rows (`maxRows`,
 * CHOICE_ROWS); a larger pool or part is replaced by a seeded uniform subsample (seeded from settings.seed; the
 * pool's subsample is shared by the folds), the candidates are fitted on the pool subsample, their k-sets are drawn
 * from it and Raw is that subsample. The first fold's rows are returned in `choiceRows`. Only the choice is
 * subsampled: the chosen estimator is then fitted on the whole pool and reference (alignPool). Inputs within the caps
 * are used whole.
 * Complexity: two fits and two k-set measurements per candidate (6 by default, 4 above 5,000 personas) on at most
 * 10,000 x 10,000 rows, so about constant beyond that size; O(n + m) for the split and the subsamples. Raw and the
 * k-sets of a fold are measured in one batch (shared held-out projections).
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
  const poolRows = subsampleRows(allRows(pool.rows), maxPool, settings.seed ^ 0x9001);
  const choicePool = poolRows.length === pool.rows ? pool : selectRows(pool, poolRows);
  // Default candidates only: more than AUTO_KDE_MAX_POOL pool rows in the choice skip both KDE candidates.
  const skipped = (spec: EstimatorSpec) => input.candidates === undefined && choicePool.rows > AUTO_KDE_MAX_POOL && spec.estimator === 'kde';
  const metricOpts = { seed: input.metricsSeed, projections: input.projections };
  const progress = input.onProgress ?? (() => undefined);
  const steps = CHOICE_FOLDS * candidates.length;
  const table: CandidateScore[] = candidates.map((spec) => ({
    label: spec.label,
    spec,
    heldOut: NO_METRICS,
    score: Infinity,
    ess: 0,
    distinct: 0,
    converged: true,
    error: skipped(spec)
      ? `Not measured: with more than ${AUTO_KDE_MAX_POOL.toLocaleString('en-US')} personas auto leaves the KDE estimators out (they cost the most and never won in measurements); choose 'kde' or 'paper' to use them.`
      : null,
  }));
  // Per fold: Raw's and every candidate's held-out metrics, the candidates' ratios to Raw, ESS and distinct personas.
  const raws: PaperMetrics[] = [];
  const perFold: { metrics: PaperMetrics; ess: number; distinct: number }[][] = table.map(() => []);
  let firstRows = { pool: choicePool.rows, fit: 0, heldOut: 0 };
  for (let fold = 0; fold < CHOICE_FOLDS; fold++) {
    const [fitPart, outPart] = fold % 2 === 0 ? [split.fit, split.heldOut] : [split.heldOut, split.fit];
    const fit = subsampleRows(fitPart, maxFit, settings.seed ^ 0xf17 ^ (fold << 20));
    const heldOut = subsampleRows(outPart, maxHeldOut, settings.seed ^ 0x0de ^ (fold << 20));
    if (fold === 0) firstRows = { pool: choicePool.rows, fit: fit.length, heldOut: heldOut.length };
    const fitRef = selectRows(reference, fit);
    const outRef = selectRows(reference, heldOut);
    const fitW = pick(input.targetWeights, fit);
    const outW = pick(input.targetWeights, heldOut);
    const sets: { a: Matrix }[] = [];
    const measured: number[] = [];
    const extra: { ess: number; distinct: number }[] = [];
    table.forEach((row, c) => {
      const step = fold * candidates.length + c;
      if (row.error === null) {
        try {
          const f = fitWeights(choicePool, fitRef, fitW, row.spec, settings, (x) => progress((step + 0.8 * x) / steps));
          const positive = f.weights.reduce((k, w) => k + (w > 0 ? 1 : 0), 0);
          const size = UNIQUE_SELECTION_METHODS.has(input.selection) ? Math.min(input.size, positive) : input.size;
          const rng = createRng(settings.seed).fork();
          const set = selectionMethods[input.selection]({ weights: f.weights, size, rng, points: choicePool }).indices;
          sets.push({ a: selectRows(choicePool, set) });
          measured.push(c);
          extra.push({ ess: f.priorEss, distinct: new Set(set).size });
          row.converged &&= f.converged;
        } catch (e) {
          row.error = (e as Error).message;
          row.converged = false;
        }
      }
      progress((step + 1) / steps);
    });
    // One batch for Raw and every k-set of the fold: the held-out part's projections and sorts are shared.
    const [raw, ...metrics] = paperMetricsBatch([{ a: choicePool }, ...sets], outRef, outW, metricOpts);
    raws.push(raw!);
    metrics.forEach((m, j) => perFold[measured[j]!]!.push({ metrics: m, ...extra[j]! }));
  }
  const raw = meanMetrics(raws);
  table.forEach((row, c) => {
    if (row.error !== null) {
      row.heldOut = raw;
      row.converged = false;
      return;
    }
    const folds = perFold[c]!;
    row.heldOut = meanMetrics(folds.map((f) => f.metrics));
    row.score = folds.reduce((a, f, i) => a + meanRatio(f.metrics, raws[i]!), 0) / folds.length;
    row.ess = folds.reduce((a, f) => a + f.ess, 0) / folds.length;
    row.distinct = Math.round(folds.reduce((a, f) => a + f.distinct, 0) / folds.length);
  });
  const best = pickCandidate(table, raw);
  // No candidate could be fitted on a part of the reference (a tiny reference whose half has a trait without spread):
  // the first candidate is fitted to the whole target without a choice, and the caller says so.
  const fallback = best < 0 ? `No candidate could be measured on the held-out halves (${table.map((t) => `${t.label}: ${t.error}`).join('; ')}); ${table[0]!.label} was fitted to the whole target without a choice.` : null;
  return {
    best: table[Math.max(best, 0)]!.spec,
    fallback,
    table,
    raw,
    fitRows: split.fit.length,
    heldOutRows: split.heldOut.length,
    choiceRows: firstRows,
    folds: CHOICE_FOLDS,
  };
}
