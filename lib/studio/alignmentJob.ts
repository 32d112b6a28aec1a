/**
 * The alignment job: a stored run computed in a child process (`populace compute-run`) or, with the database in
 * memory, in this one; and the start of a full run as such a job.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { databaseFile, getDb, isInMemoryDatabase, type Db } from '../../db/client';
import { listPoolPersonas } from '../../db/queries/pool';
import { insertRun, setRunJob, setRunStatus } from '../../db/queries/runs';
import { LOCAL_ACTOR, type Actor } from '../audit/actor';
import { env } from '../env';
import { jobKind, startJob, JobCancelledError, type JobContext } from '../jobs';
import { buildTarget } from '../targets/service';
import { executeRun } from './executeRun';
import { checkRunSize, runRequestSchema, type RunRequest, type RunScope } from './runRequest';

export const ALIGNMENT_JOB = 'alignment';

interface AlignmentJobParams extends Record<string, unknown> {
  runId: number;
  request: RunRequest;
  /** An explicit pool (a group set): only these persona ids, when measured and not rejected. */
  personaIds?: number[];
}

const alignmentJobParamsSchema = z.object({
  runId: z.number().int().positive(),
  request: runRequestSchema,
  personaIds: z.array(z.number().int().positive()).optional(),
});

/** The child process side of an alignment job (see lib/cli/commands/computeRun.ts). */
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
