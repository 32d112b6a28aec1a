/** What the pipeline routes, screen and CLI call: start jobs with validated options, and read the pipeline state. */
import { getDb, type Db } from '../../db/client';
import { countLlmCalls } from '../../db/queries/llmCalls';
import { countMeasured } from '../../db/queries/measurement';
import { countPersonasBySourceAndStatus } from '../../db/queries/overview';
import { getSource, listPostSources } from '../../db/queries/posts';
import { AppError } from '../http/errors';
import { startJob, type JobView } from '../jobs';
import { isRoleAvailable, llmAvailable, llmStatus, LlmNotConfiguredError } from '../llm';
import { DEMOGRAPHICS_ROLE } from './demographics';
import { baselineJob, demographicsJob, generateJob, measureJob } from './jobs';
import { baselineParamsSchema, demographicsParamsSchema, generateParamsSchema, measureParamsSchema } from './schema';

function requireLlm(roles: ('generator' | 'critic' | 'responder')[]): void {
  for (const r of roles) if (!isRoleAvailable(r)) throw new LlmNotConfiguredError(r);
}

export function startGeneration(input: unknown, db: Db = getDb()): JobView {
  const params = generateParamsSchema.parse(input);
  const src = getSource({ db, id: params.sourceId });
  if (!src || src.kind !== 'posts') throw new AppError('unknown_source', `There is no posts source "${params.sourceId}". Import a posts file first.`, 404);
  requireLlm(['generator', 'critic']);
  return startJob(generateJob, params, db);
}

export function startMeasurement(input: unknown, db: Db = getDb()): JobView {
  const params = measureParamsSchema.parse(input);
  if (params.sourceId && !getSource({ db, id: params.sourceId })) {
    throw new AppError('unknown_source', `There is no source "${params.sourceId}".`, 404);
  }
  requireLlm(['responder']);
  return startJob(measureJob, params, db);
}

export function startBaselineJob(input: unknown, db: Db = getDb()): JobView {
  const params = baselineParamsSchema.parse(input);
  requireLlm(['responder']);
  return startJob(baselineJob, params, db);
}

/** Starts a job in which the LLM reads personas' demographics (all personas with a value not given, or a source's, or a list). */
export function startDemographicsExtraction(input: unknown, db: Db = getDb()): JobView {
  const params = demographicsParamsSchema.parse(input);
  if (params.sourceId && !getSource({ db, id: params.sourceId })) {
    throw new AppError('unknown_source', `There is no source "${params.sourceId}".`, 404);
  }
  requireLlm([DEMOGRAPHICS_ROLE]);
  return startJob(demographicsJob, params, db);
}

/**
 * After personas were imported into a source: starts the LLM reading of their demographics when an LLM is configured
 * for it; returns the job's id, or null without an LLM.
 */
export function startDemographicsAfterImport(sourceId: string, db: Db = getDb()): number | null {
  if (!isRoleAvailable(DEMOGRAPHICS_ROLE)) return null;
  return startJob(demographicsJob, demographicsParamsSchema.parse({ sourceId }), db).id;
}

/**
 * The pipeline screen's data: LLM configuration, posts sources with counts, measured counts and the call log size.
 * The LLM servers' URLs are server details: each role's baseURL and its endpoints' URLs are null unless `details` is
 * true (GET /api/pipeline/state sets it for admins and on a loopback server); every endpoint's state is shown.
 */
export function getPipelineState(db: Db = getDb(), { details = false }: { details?: boolean } = {}) {
  return {
    llm: { ...llmStatus({ details }), available: llmAvailable() },
    postSources: listPostSources({ db }),
    personaSources: personaSources(db),
    measured: countMeasured({ db }),
    llmCalls: countLlmCalls({ db }),
  };
}

function personaSources(db: Db) {
  const by = new Map<string, { id: string; name: string; personas: number }>();
  for (const r of countPersonasBySourceAndStatus({ db })) {
    const e = by.get(r.sourceId) ?? { id: r.sourceId, name: r.sourceName, personas: 0 };
    e.personas += r.n;
    by.set(r.sourceId, e);
  }
  return [...by.values()];
}

export type PipelineState = ReturnType<typeof getPipelineState>;
