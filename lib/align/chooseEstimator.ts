import { AlignInputError } from '../numeric/alignInputError';
import { selectRows, type Matrix } from '../numeric/matrix';
import { createRng } from '../numeric/rng';
import { paperMetricsBatch, PAPER_METRICS, type PaperMetrics } from '../stats/metrics';
import { fitWeights, type EstimatorSpec, type FitSettings } from './fitWeights';
import { selectionMethods, UNIQUE_SELECTION_METHODS, type SelectionMethod } from './selectionMethods';

/**
 * The candidates `auto` measures, in order (ties keep the earlier one): entropy balancing of means, variances and
 * covariances, the same plus per-trait decile shares, raking on quintiles, degree-2 logistic odds, KDE at bandwidth
 * 0.5, and the paper's KDE (0.2) + OT.
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
  /** Mean over the five metrics of heldOut / raw (the whole pool against the same held-out part); < 1 is better than Raw. */
  score: number;
  /** Kish ESS of the weights fitted on the fitting part. */
  ess: number;
  /** Distinct personas in the k-set. */
  distinct: number;
  converged: boolean;
  /** Why the candidate could not be measured, or null. */
  error: string | null;
}

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
  onProgress?: (fraction: number) => void;
}

export interface ChooseEstimatorResult {
  best: EstimatorSpec;
  table: CandidateScore[];
  /** The whole pool's metrics against the held-out part (the denominators of the scores). */
  raw: PaperMetrics;
  fitRows: number;
  heldOutRows: number;
}

/** Splits row indices 0..m-1 into a seeded random part of `share` and the rest (both sorted). */
export function splitRows(m: number, share: number, seed: number): { fit: Uint32Array; heldOut: Uint32Array } {
  const idx = Uint32Array.from({ length: m }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = m - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  const h = Math.min(m - 2, Math.max(2, Math.round(share * m)));
  return { heldOut: idx.slice(0, h).sort(), fit: idx.slice(h).sort() };
}

const pick = (w: Float64Array | undefined, rows: Uint32Array) => (w ? Float64Array.from(rows, (i) => w[i]!) : undefined);

/**
 * `auto`: chooses the weight estimator by held-out divergence. The reference is split (seeded) into a fitting part
 * and a held-out part (default half each); every candidate is fitted to the fitting part, its k-set is selected
 * with the run's selection method and seed, and the set is measured against the held-out part with the paper's
 * five metrics (AMW, FD, SW, MMD, MAEcorr). Each metric is divided by the whole pool's value against the same
 * held-out part, and the candidate with the lowest mean ratio wins (ties: the earlier candidate). This guards against
 * estimators that only match what they were fitted to (method.md, "Beyond the paper"). A candidate that throws is
 * listed with its error and skipped.
 * Complexity: one fit and one k-set measurement per candidate (6 by default) on half the reference.
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
  const { fit, heldOut } = splitRows(reference.rows, share, settings.seed ^ 0x5eed);
  const fitRef = selectRows(reference, fit);
  const outRef = selectRows(reference, heldOut);
  const fitW = pick(input.targetWeights, fit);
  const outW = pick(input.targetWeights, heldOut);
  const metricOpts = { seed: input.metricsSeed, projections: input.projections };
  const [raw] = paperMetricsBatch([{ a: pool }], outRef, outW, metricOpts);
  const progress = input.onProgress ?? (() => undefined);
  const table: CandidateScore[] = [];
  const sets: { a: Matrix }[] = [];
  const measured: number[] = [];
  candidates.forEach((spec, c) => {
    try {
      const f = fitWeights(pool, fitRef, fitW, spec, settings, (x) => progress((c + 0.8 * x) / candidates.length));
      const positive = f.weights.reduce((k, w) => k + (w > 0 ? 1 : 0), 0);
      const size = UNIQUE_SELECTION_METHODS.has(input.selection) ? Math.min(input.size, positive) : input.size;
      const rng = createRng(settings.seed).fork();
      const set = selectionMethods[input.selection]({ weights: f.weights, size, rng, points: pool }).indices;
      sets.push({ a: selectRows(pool, set) });
      measured.push(table.length);
      table.push({ label: spec.label, spec, heldOut: raw!, score: Infinity, ess: f.priorEss, distinct: new Set(set).size, converged: f.converged, error: null });
    } catch (e) {
      table.push({ label: spec.label, spec, heldOut: raw!, score: Infinity, ess: 0, distinct: 0, converged: false, error: (e as Error).message });
    }
    progress((c + 1) / candidates.length);
  });
  const metrics = sets.length ? paperMetricsBatch(sets, outRef, outW, metricOpts) : [];
  metrics.forEach((m, j) => {
    const row = table[measured[j]!]!;
    row.heldOut = m;
    let sum = 0;
    for (const k of PAPER_METRICS) sum += raw![k] > 0 ? m[k] / raw![k] : m[k] > 0 ? 2 : 1;
    row.score = sum / PAPER_METRICS.length;
  });
  let best = -1;
  table.forEach((row, i) => {
    if (row.error === null && (best < 0 || row.score < table[best]!.score)) best = i;
  });
  if (best < 0) throw new AlignInputError('BAD_PARAMETER', `No candidate estimator could be fitted: ${table.map((t) => `${t.label}: ${t.error}`).join('; ')}`);
  return { best: table[best]!.spec, table, raw: raw!, fitRows: fit.length, heldOutRows: heldOut.length };
}
