/** Full alignment runs: started as jobs, computed with the pure core, saved with everything needed to reproduce them. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { databaseFile, getDb, isInMemoryDatabase, type Db } from '../../db/client';
import type { FrontierColumns, RunConfig, RunDiagnostics, StoredEstimator, StoredFrontier } from '../../db/json';
import { listPoolPersonas } from '../../db/queries/pool';
import { completeRun, deleteRunRow, getRunById, getRunByJobId, getRunsByIds, insertRun, listRunSummaries, setRunJob, setRunStatus } from '../../db/queries/runs';
import {
  alignPool,
  defaultFrontierSizes,
  diversityFrontier,
  DEFAULT_ALIGN_CONFIG,
  ESTIMATOR_CHOICES,
  selectionMethods,
  UNIQUE_SELECTION_METHODS,
  type AlignConfig,
  type AlignResult,
  type EstimatorChoice,
  type FrontierMetrics,
  type SelectionMethod,
} from '../align';
import type { Matrix } from '../numeric/matrix';
import { meanRatio, PAPER_METRICS, type PaperMetrics } from '../stats/metrics';
import { LOCAL_ACTOR, mayDeleteOwned, requireMayDelete, type Actor } from '../audit/actor';
import { env } from '../env';
import { AppError } from '../http/errors';
import { jobKind, startJob, JobCancelledError, type JobContext } from '../jobs';
import { checkSetSize } from '../limits/sizes';
import { buildTarget } from '../targets/service';
import { targetSpecSchema } from '../targets/schema';

export const ALIGNMENT_JOB = 'alignment';

/**
 * Default selection of a studio run: systematic resampling (draws with replacement, the least variance). A set of
 * distinct personas close to the pool size cannot move far from the raw pool: on the demo pool, k = 884 unique
 * personas left AMW at 0.61 while 1,000 systematic draws reached 0.26. The run's diversity-fidelity frontier shows
 * the trade-off for its own weights.
 */
export const STUDIO_DEFAULT_SELECTION = DEFAULT_ALIGN_CONFIG.selection;
/** The selection methods a run may name (the engine's registry). */
export const selectionSchema = z.enum(Object.keys(selectionMethods) as [SelectionMethod, ...SelectionMethod[]]);

export const runRequestSchema = z.object({
  name: z.string().trim().min(1).max(120).default('Alignment run'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /**
   * Size k of the selected set; default min(1000, pool size). Bounded when the run starts (checkRunSize): at most
   * POPULACE_MAX_SET_SIZE, the pool size for a set of distinct personas, 10 times the pool size for draws with repeats.
   */
  size: z.number().int().min(1).optional(),
  spec: targetSpecSchema,
  config: z
    .object({
      variant: z.enum(['balanced', 'semiRelaxed', 'unbalanced']).optional(),
      estimator: z.enum(ESTIMATOR_CHOICES).optional(),
      selection: selectionSchema.optional(),
      epsilonFactor: z.number().positive().max(10).optional(),
      maxIterations: z.number().int().min(1).max(10_000).optional(),
      bandwidth: z.union([z.number().positive().max(5), z.enum(['scott', 'silverman'])]).optional(),
    })
    .default({}),
});
export type RunRequest = z.infer<typeof runRequestSchema>;

interface AlignmentJobParams extends Record<string, unknown> {
  runId: number;
  request: RunRequest;
  /** An explicit pool (a group set): only these persona ids, when measured and not rejected. */
  personaIds?: number[];
}

/** What a run aligns when it is not the whole pool: a group's set (persona ids) and the group it belongs to. */
export interface RunScope {
  groupId?: number;
  /** Only these personas (still measured and not rejected) form the pool. */
  personaIds?: number[];
  /** Extra facts stored in the run's config (e.g. the group definition). */
  configExtras?: Record<string, unknown>;
}

/**
 * Refuses (422, naming the field, the value and the limit) a set size over POPULACE_MAX_SET_SIZE or over what the
 * pool allows for the run's selection method (lib/limits/sizes.ts).
 */
export function checkRunSize(request: RunRequest, poolSize: number, poolLabel = 'the pool'): void {
  if (request.size === undefined) return;
  const selection = request.config.selection ?? STUDIO_DEFAULT_SELECTION;
  checkSetSize({ field: 'size', value: request.size, poolSize, distinct: UNIQUE_SELECTION_METHODS.has(selection), poolLabel });
}

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
  const size = request.size ?? Math.min(1000, pool.length);
  const checkCancelled = () => {
    if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('The run was cancelled.');
  };
  const poolMatrix: Matrix = { data, rows: pool.length, cols: 5 };
  const reference: Matrix = { data: target.data, rows: target.n, cols: 5 };
  const result = alignPool({
    pool: poolMatrix,
    reference,
    config: { seed: request.seed, size, selection: STUDIO_DEFAULT_SELECTION, ...request.config },
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

/** What a run stores: the shapes of its JSON columns live in db/json.ts. */
export type { FrontierColumns, RunConfig, RunDiagnostics, RunMetrics, StoredCandidate, StoredEstimator, StoredFrontier } from '../../db/json';
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

const alignmentJobParamsSchema = z.object({
  runId: z.number().int().positive(),
  request: runRequestSchema,
  personaIds: z.array(z.number().int().positive()).optional(),
});

/** The child process side of an alignment job (see lib/cli/commands/compute-run.ts). */
export function computeRunFromJson(json: string, progress: (f: number) => void, db: Db = getDb()) {
  const params = alignmentJobParamsSchema.parse(JSON.parse(json));
  const r = executeRun(db, params.runId, params.request, { progress }, { personaIds: params.personaIds });
  return { runId: params.runId, selectionSize: r.selection.length, converged: r.diagnostics.converged };
}

/**
 * Runs an alignment in a child process (`populace compute-run`) against the same database file, relaying its
 * progress; aborting the signal kills the child. The CPU-heavy solve then never blocks the server's event loop.
 */
async function executeRunInChild(db: Db, params: AlignmentJobParams, signal: AbortSignal, progress: (f: number) => void) {
  const tsxCli = path.join(/* turbopackIgnore: true */ process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const mainTs = path.join(/* turbopackIgnore: true */ process.cwd(), 'lib', 'cli', 'main.ts');
  const child = spawn(process.execPath, [tsxCli, mainTs, 'compute-run'], {
    env: { ...process.env, POPULACE_DB: databaseFile(db) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const onAbort = () => child.kill('SIGTERM');
  signal.addEventListener('abort', onAbort);
  let stderr = '';
  let done: Record<string, unknown> | null = null;
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const msg = JSON.parse(line) as { progress?: number; done?: Record<string, unknown> };
      if (typeof msg.progress === 'number') progress(msg.progress);
      if (msg.done) done = msg.done;
    } catch {
      // not a protocol line
    }
  });
  child.stdin.end(JSON.stringify(params));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  signal.removeEventListener('abort', onAbort);
  if (signal.aborted) throw signal.reason ?? new Error('The run was cancelled.');
  if (code !== 0 || !done) throw new Error(stderr.trim().split('\n').slice(-3).join(' ') || `the alignment process exited with code ${code}`);
  return done as { runId: number; selectionSize: number; converged: boolean };
}

/** The alignment job: computes a stored run (in a child process unless the database is in memory). */
async function runAlignmentJob(ctx: JobContext<AlignmentJobParams>) {
  ctx.progress({ done: 0, total: 100 });
  try {
    const progress = (f: number) => ctx.progress({ done: Math.round(100 * f), total: 100 });
    const out =
      isInMemoryDatabase(ctx.db) || env('POPULACE_RUNS_IN_PROCESS')
        ? (() => {
            const r = executeRun(ctx.db, ctx.params.runId, ctx.params.request, { signal: ctx.signal, progress }, { personaIds: ctx.params.personaIds });
            return { runId: ctx.params.runId, selectionSize: r.selection.length, converged: r.diagnostics.converged };
          })()
        : await executeRunInChild(ctx.db, ctx.params, ctx.signal, progress);
    ctx.progress({ done: 100, total: 100 });
    return out;
  } catch (e) {
    setRunStatus({ db: ctx.db, id: ctx.params.runId, status: ctx.signal.aborted || e instanceof JobCancelledError ? 'cancelled' : 'failed' });
    throw e;
  }
}

export const alignmentJob = jobKind(ALIGNMENT_JOB, runAlignmentJob);

/**
 * Starts a full run as a job, owned by the actor; returns the job and run ids at once. `scope` restricts the pool to
 * a persona set and links the run to a group (group alignment); without it the whole pool is aligned (the studio).
 * A size over its bound is refused before anything is stored (422).
 */
export function startAlignmentRun(input: unknown, db: Db = getDb(), scope: RunScope = {}, actor: Actor = LOCAL_ACTOR) {
  const request = runRequestSchema.parse(input);
  if (request.size !== undefined) {
    let pool = listPoolPersonas({ db });
    if (scope.personaIds) {
      const keep = new Set(scope.personaIds);
      pool = pool.filter((p) => keep.has(p.id));
    }
    // Fewer than two personas: the job reports the empty pool in its own words.
    if (pool.length >= 2) checkRunSize(request, pool.length, scope.personaIds ? 'the group set' : 'the pool');
    else checkRunSize(request, Number.MAX_SAFE_INTEGER);
  }
  const target = buildTarget(request.spec, db); // fail fast on an empty target
  const run = insertRun({
    db,
    name: request.name,
    seed: request.seed,
    createdBy: actor.username,
    groupId: scope.groupId ?? null,
    config: { request, targetDescription: target.description, targetN: target.n, ...(scope.configExtras ?? {}) },
  });
  const params: AlignmentJobParams = { runId: run.id, request };
  if (scope.personaIds) params.personaIds = scope.personaIds;
  const job = startJob(alignmentJob, params, db);
  setRunJob({ db, id: run.id, jobId: job.id });
  return { runId: run.id, jobId: job.id };
}

/** Run summaries for lists (no weights), with the owner and whether the actor may delete each. */
export function listRuns(db: Db = getDb(), actor: Actor = LOCAL_ACTOR) {
  return listRunSummaries({ db }).map((r) => {
    const cfg = r.config;
    const diag = r.diagnostics;
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      seed: r.seed,
      createdAt: r.createdAt,
      createdBy: r.createdBy,
      mayDelete: mayDeleteOwned(actor, r.createdBy),
      poolSize: null,
      selectionSize: diag?.selectionSize ?? null,
      metrics: r.metrics,
      diagnostics: r.diagnostics,
      trace: r.trace,
      config: cfg,
      targetDescription: cfg.targetDescription ?? null,
    };
  });
}

/** One run with its weights and selection. */
export function getRun(id: number, db: Db = getDb()) {
  const run = getRunById({ db, id });
  if (!run) throw new AppError('not_found', `Run ${id} does not exist.`, 404);
  return run;
}

/**
 * Deletes a run with an audit entry, in one transaction. Allowed to its owner or an admin when sign-in is required
 * (403 otherwise), to anyone on a loopback server. A run still computing is refused (409: cancel it first), and so is
 * a run that exports refer to (409 naming them: an export records its run, so delete those exports first).
 */
export function deleteRun(id: number, actor: Actor = LOCAL_ACTOR, db: Db = getDb()) {
  const run = getRun(id, db);
  requireMayDelete(actor, run.createdBy, `run ${id}`);
  if (run.status === 'running') {
    throw new AppError('run_running', `Run ${id} is still computing: cancel its job first, then delete it.`, 409, { jobId: run.jobId });
  }
  const out = deleteRunRow({
    db,
    id,
    audit: {
      actor: actor.username,
      action: 'delete',
      entity: 'run',
      entityId: id,
      details: {
        name: run.name,
        status: run.status,
        seed: run.seed,
        groupId: run.groupId,
        jobId: run.jobId,
        createdAt: run.createdAt,
        createdBy: run.createdBy,
        selectionSize: run.selection?.length ?? null,
        poolSize: run.personaIds?.length ?? null,
      },
    },
  });
  if (out.deleted) return { deleted: id };
  if (out.reason === 'not_found') throw new AppError('not_found', `Run ${id} does not exist.`, 404);
  const list = out.exportIds.join(', ');
  throw new AppError(
    'run_has_exports',
    `Run ${id} cannot be deleted while ${out.exportIds.length === 1 ? `export ${list} refers` : `exports ${list} refer`} to it: delete ${out.exportIds.length === 1 ? 'that export' : 'those exports'} first.`,
    409,
    { exportIds: out.exportIds },
  );
}

export function getRunForJob(jobId: number, db: Db = getDb()) {
  return getRunByJobId({ db, jobId }) ?? null;
}

/** Two runs side by side, with the personas they share and differ on. */
export function compareRuns(a: number, b: number, db: Db = getDb()) {
  const runs = getRunsByIds({ db, ids: [a, b] });
  const ra = runs.find((r) => r.id === a);
  const rb = runs.find((r) => r.id === b);
  if (!ra || !rb) throw new AppError('not_found', `Run ${!ra ? a : b} does not exist.`, 404);
  const sa = new Set(ra.selection ?? []);
  const sb = new Set(rb.selection ?? []);
  const shared = [...sa].filter((id) => sb.has(id)).length;
  return { a: runSummary(ra), b: runSummary(rb), overlap: { shared, onlyA: sa.size - shared, onlyB: sb.size - shared } };
}

/** One run without its weights and selection (the runs page's view), with the size and distinct count of its set. */
export function getRunSummary(id: number, db: Db = getDb()) {
  return runSummary(getRun(id, db));
}

function runSummary(r: NonNullable<ReturnType<typeof getRunById>>) {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    seed: r.seed,
    createdAt: r.createdAt,
    config: r.config,
    metrics: r.metrics,
    diagnostics: r.diagnostics,
    trace: r.trace,
    selectionSize: r.selection?.length ?? 0,
    distinctSize: new Set(r.selection ?? []).size,
  };
}
export type RunView = ReturnType<typeof runSummary>;

/** One labelled setting of a run, for the runs page's comparison. */
export interface RunSetting {
  key: string;
  label: string;
  value: string;
}

/** The alignment settings a stored run was made with, defaults filled in, with its seed and set size. */
export function runEngineConfig(run: { config: RunConfig; seed: number; selection?: number[] | null }): Omit<AlignConfig, 'size'> & { size: number | null } {
  // the stored request was validated by runRequestSchema when the run started; this narrows it to the engine's names
  const asked = runRequestSchema.shape.config.parse(run.config.request.config);
  return { ...DEFAULT_ALIGN_CONFIG, selection: STUDIO_DEFAULT_SELECTION, ...asked, seed: run.seed, size: run.selection?.length ?? null };
}


/** The settings a run was made with, in words (defaults filled in), in a fixed order so two runs line up. */
export function describeRunSettings(run: Pick<RunView, 'config' | 'diagnostics' | 'seed' | 'selectionSize' | 'distinctSize'>): RunSetting[] {
  const c = runEngineConfig({ config: run.config, seed: run.seed });
  const est = run.diagnostics?.estimator;
  const usesKde = /kde|paper/i.test(est?.used ?? String(c.estimator));
  return [
    { key: 'target', label: 'Target', value: run.config.targetDescription ?? '—' },
    { key: 'estimator', label: 'Estimator', value: est?.used ? `${est.used}${est.choice === 'auto' ? ' (chosen by auto)' : ''}` : String(c.estimator) },
    { key: 'refine', label: 'OT refinement', value: c.refine === 'ot' ? 'yes' : 'no' },
    { key: 'bins', label: 'Quantile bins per trait', value: c.bins ? String(c.bins) : 'none' },
    { key: 'bandwidth', label: 'KDE bandwidth (trait points)', value: usesKde ? String(c.bandwidth) : 'not used' },
    { key: 'selection', label: 'Selection', value: String(c.selection) },
    { key: 'size', label: 'Set', value: `${run.selectionSize.toLocaleString('en-US')} ${run.selectionSize === run.distinctSize ? 'distinct personas' : `draws of ${run.distinctSize.toLocaleString('en-US')} distinct personas`}` },
    { key: 'seed', label: 'Seed', value: String(run.seed) },
    { key: 'heldOutShare', label: 'Held-out share (auto)', value: String(c.heldOutShare) },
  ];
}

/** A run's weight diagnostics in words, with their definitions, in a fixed order. */
export function describeRunDiagnostics(d: RunDiagnostics | null): RunSetting[] {
  const n = (k: 'ess' | 'designEffect' | 'maxWeightShare' | 'khat', digits: number) => {
    const v = d?.[k];
    return v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : '—';
  };
  return [
    { key: 'ess', label: 'Effective sample size (Kish: (Σw)² / Σw²)', value: n('ess', 1) },
    { key: 'designEffect', label: 'Design effect (n / ESS)', value: n('designEffect', 2) },
    { key: 'maxWeightShare', label: 'Largest weight (share of the total)', value: n('maxWeightShare', 4) },
    { key: 'khat', label: 'Pareto k-hat of the weights (> 0.7: unreliable tail)', value: n('khat', 2) },
    { key: 'converged', label: 'Estimator converged', value: d ? (d.converged ? 'yes' : 'no') : '—' },
    { key: 'iterations', label: 'Iterations', value: d ? String(Math.round(d.iterations)) : '—' },
  ];
}
