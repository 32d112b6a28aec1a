/** The computation of a full alignment run with the pure core (alignPool, then the frontier of its weights), saved to its row. */
import type { Db } from '../../db/client';
import type { FrontierColumns, RunDiagnostics, StoredEstimator, StoredFrontier } from '../../db/json';
import { listPoolPersonas } from '../../db/queries/pool';
import { completeRun } from '../../db/queries/runs';
import { alignPool, defaultFrontierSizes, diversityFrontier, UNIQUE_SELECTION_METHODS, type AlignResult, type FrontierMetrics } from '../align';
import { DEFAULT_SELECTION, defaultSetSize } from '../core/defaults';
import type { Matrix } from '../numeric/matrix';
import { meanRatio, PAPER_METRICS } from '../stats/metrics';
import { AppError } from '../http/errors';
import { buildTarget } from '../targets/service';
import { checkRunSize, type RunRequest, type RunScope } from './runRequest';

/** Runs the whole Resample for a stored run and saves the result. Re-running after a crash recomputes it. */
export function executeRun(
  db: Db,
  runId: number,
  request: RunRequest,
  hooks: { signal?: AbortSignal; progress?: (f: number) => void } = {},
  scope: Pick<RunScope, 'personaIds'> = {},
): AlignResult {
  const target = buildTarget(request.spec, db);
  let pool = listPoolPersonas({ db });
  if (scope.personaIds) {
    const keep = new Set(scope.personaIds);
    pool = pool.filter((p) => keep.has(p.id));
  }
  if (pool.length < 2) {
    throw new AppError(
      'empty_pool',
      scope.personaIds
        ? `The group set has ${pool.length} measured, non-rejected persona(s); at least two are needed to align. Measure the retrieved personas or widen the persona filters.`
        : 'The pool needs at least two measured, non-rejected personas to align.',
      422,
    );
  }
  // The pool may have shrunk since the run started: check again so a stored selection stays bounded.
  checkRunSize(request, pool.length, scope.personaIds ? 'the group set' : 'the pool');
  const data = new Float64Array(pool.length * 5);
  pool.forEach((p, i) => data.set([p.E, p.A, p.C, p.N, p.O], i * 5));
  const size = request.size ?? defaultSetSize(pool.length);
  const checkCancelled = () => {
    if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('The run was cancelled.');
  };
  const poolMatrix: Matrix = { data, rows: pool.length, cols: 5 };
  const reference: Matrix = { data: target.data, rows: target.n, cols: 5 };
  const result = alignPool({
    pool: poolMatrix,
    reference,
    config: { seed: request.seed, size, selection: DEFAULT_SELECTION, ...request.config },
    onProgress: (_stage, f) => {
      checkCancelled();
      hooks.progress?.(ALIGN_SHARE * f);
    },
  });
  checkCancelled();
  hooks.progress?.(ALIGN_SHARE);
  const frontier = runFrontier({ pool: poolMatrix, reference, result });
  checkCancelled();
  const ids = pool.map((p) => p.id);
  const diagnostics: StoredRunDiagnostics = {
    ...result.diagnostics,
    ot: result.ot ? { ...result.ot, marginalError: undefined } : null,
    estimator: estimatorReport(result),
    frontier,
  };
  completeRun({
    db,
    id: runId,
    personaIds: ids,
    weights: Array.from(result.weights),
    selection: Array.from(result.selection, (i) => ids[i]!),
    metrics: result.metrics,
    diagnostics,
    trace: result.ot ? Array.from(result.ot.marginalError) : [],
  });
  hooks.progress?.(1);
  return result;
}

/** Share of a run's progress bar taken by alignPool; the frontier takes the rest. */
const ALIGN_SHARE = 0.8;
/** The recommended size gives up at most this share of fidelity (ratio to Raw) against the best size, as diversityFrontier's rule. */
const RECOMMEND_SLACK = 0.1;

/** What executeRun stores as a run's diagnostics. */
export type StoredRunDiagnostics = RunDiagnostics;

function estimatorReport(result: AlignResult): StoredEstimator {
  const e = result.estimator;
  return {
    choice: e.choice,
    used: e.used.label,
    refine: e.used.refine,
    candidates:
      e.candidates?.map((c) => ({ label: c.label, score: c.score, heldOut: c.heldOut, ess: c.ess, distinct: c.distinct, converged: c.converged, error: c.error })) ?? null,
    heldOut: e.heldOut,
  };
}

/**
 * The diversity-fidelity frontier of a run's weights (diversityFrontier with pivotal distinct sets, one replicate per
 * size, the default sizes plus the run's k), scored as ratios to the whole pool. Its draws and metrics use the run's
 * metric seed and projections, so the ratios share their denominators (Raw) with the run's own metrics and the
 * weighted pool matches the run's `weighted` row. About 5 s on the demo pool (1,263 personas, 19,718 reference rows)
 * on an idle core. A failure is stored as its message and does not fail the run.
 * The ratios use the run's own Raw row as denominators (the scale of the candidate table's score).
 */
export function runFrontier({ pool, reference, result }: { pool: Matrix; reference: Matrix; result: AlignResult }): StoredFrontier | { error: string } {
  const started = Date.now();
  try {
    const weights = result.weights;
    let positiveCount = 0;
    for (const w of weights) if (w > 0) positiveCount++;
    const k = result.config.size;
    const sizes = Array.from(defaultFrontierSizes(Math.min(pool.rows, 2000, positiveCount)));
    if (k <= positiveCount && !sizes.includes(k)) sizes.push(k);
    const replicates = 1;
    const seed = result.config.metricsSeed;
    const raw = result.metrics.raw;
    const f = diversityFrontier({ pool, weights, reference, sizes, seed, replicates, method: 'pivotal', projections: result.config.projections, baseline: raw, slack: RECOMMEND_SLACK });
    const columns = (m: FrontierMetrics) => Object.fromEntries(PAPER_METRICS.map((name) => [name, Array.from(m[name])])) as FrontierColumns;
    const distinct = columns(f.distinct);
    const systematic = columns(f.systematic);
    const outSizes = Array.from(f.sizes);
    const recommendedSize = f.recommendedSize;
    return {
      method: 'pivotal',
      sizes: outSizes,
      seed,
      replicates,
      distinct,
      ratioToRaw: Array.from(f.normalisedDivergence),
      systematic,
      systematicRatioToRaw: Array.from(f.systematicNormalisedDivergence),
      systematicDistinct: Array.from(f.systematicDistinct),
      raw,
      weighted: f.weighted,
      recommendedSize,
      positiveCount,
      run: {
        size: result.selection.length,
        distinct: new Set(result.selection).size,
        repeats: !UNIQUE_SELECTION_METHODS.has(result.config.selection),
        ratioToRaw: meanRatio(result.metrics.resample, raw),
        amw: result.metrics.resample.amw,
      },
      seconds: (Date.now() - started) / 1000,
    };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
