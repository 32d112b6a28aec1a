/**
 * Full alignment runs: started as jobs, computed with the pure core, saved with everything needed to reproduce them.
 * This module holds the stored runs' services (list, get, compare, delete) and re-exports the request
 * (runRequest.ts), the computation (executeRun.ts), the job (alignmentJob.ts) and the settings in words
 * (runSettings.ts).
 */
import { getDb, type Db } from '../../db/client';
import { deleteRunRow, getRunById, getRunByJobId, getRunsByIds, listRunSummaries } from '../../db/queries/runs';
import { LOCAL_ACTOR, mayDeleteOwned, requireMayDelete, type Actor } from '../audit/actor';
import { AppError } from '../http/errors';
import { runEngineConfig } from './runSettings';

export { ALIGNMENT_JOB, alignmentJob, computeRunFromJson, startAlignmentRun } from './alignmentJob';
export { executeRun, runFrontier, type StoredRunDiagnostics } from './executeRun';
export { checkRunSize, runRequestSchema, selectionSchema, type RunRequest, type RunScope } from './runRequest';
export { describeRunDiagnostics, describeRunSettings, runEngineConfig, type RunSetting } from './runSettings';

/** What a run stores: the shapes of its JSON columns live in db/json.ts. */
export type { FrontierColumns, RunConfig, RunDiagnostics, RunMetrics, StoredCandidate, StoredEstimator, StoredFrontier } from '../../db/json';

/**
 * Run summaries for lists (no weights), with the owner, whether the actor may delete each, and the OT convergence
 * tolerance the run was made with (the stored request does not hold it: the engine's, runEngineConfig).
 */
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
      tolerance: runEngineConfig({ config: cfg, seed: r.seed }).tolerance,
    };
  });
}

/** One entry of listRuns: what the studio's run list and GET /api/runs show of a run. */
export type RunListItem = ReturnType<typeof listRuns>[number];

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
