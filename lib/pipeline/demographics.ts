/**
 * The demographics job: the LLM reads age, gender, country and occupation from the narratives of personas whose
 * values were not all given by their source, and each value is stored with how it was obtained (stated / inferred /
 * unknown), the passage it was read from and which extractor read it (lib/personas/llmDemographics.ts: the checks of
 * the reply and how it combines with the rules).
 *
 * The critic role reads (it reads and judges text: post labels, persona scores), at temperature 0, and only when an
 * LLM server is configured for it (the routes, the CLI and the imports check `isRoleAvailable`).
 *
 * A job of units (lib/jobs/units.ts): one unit per persona, planned when the job starts, run by any worker; each
 * persona's reading is stored in the transaction that marks its unit done (`batchSize` no longer groups writes; a
 * job-scoped worker runs `concurrency` personas at once). Idempotent: a persona already read with the same prompt
 * version (and the same narrative) is skipped, so a job run again continues where it stopped, and every call is
 * cached. A malformed reply (a field the product's vocabularies cannot hold, a reply that is not JSON) fails the
 * persona's unit at once (the same reply would come again), leaves its stored values as they were and is reported
 * with the persona id and the field. Progress unit: one persona.
 */
import { createHash } from 'node:crypto';
import { listDemographicsCandidateIds, listPersonasForDemographics, updatePersonaDemographics, type PersonaDemographicsInput } from '../../db/queries/personaDemographics';
import type { Db } from '../../db/client';
import type { JobUnit } from '../../db/schema';
import { runUnitsInline, UnitFailure, type JobContext, type UnitContext, type UnitOutcome, type UnitPlan } from '../jobs';
import { callLlmObject, LlmCallError } from '../llm';
import { DEMOGRAPHIC_FIELDS, personaDemographics, type DemographicField, type PersonaDemographics } from '../personas/extractDemographics';
import {
  classifyReply,
  demographicsReplySchema,
  describeReplyIssues,
  formatReplyIssue,
  givenDemographics,
  mergeLlmDemographics,
  type ReplyIssue,
} from '../personas/llmDemographics';
import { DEMOGRAPHICS_PROMPT_VERSION, DEMOGRAPHICS_SCHEMA_NAME, demographicsMessages } from './prompts';
import { demographicsParamsSchema, type DemographicsParams } from './schema';

export const DEMOGRAPHICS_JOB_KIND = 'pipeline.demographics';
/** The LLM role that reads demographics. */
export const DEMOGRAPHICS_ROLE = 'critic' as const;

/** A short hash of a narrative: a persona whose narrative changed after its reading is read again. */
export function narrativeHash(narrative: string): string {
  return createHash('sha256').update(narrative).digest('hex').slice(0, 16);
}

/** Whether the LLM has read this narrative with the current prompt version. */
export function readByLlm(origin: PersonaDemographics['demographicsOrigin'] | null | undefined, narrative: string): boolean {
  return origin?.llm?.promptVersion === DEMOGRAPHICS_PROMPT_VERSION && origin.llm.narrativeHash === narrativeHash(narrative);
}

/** A reply that could not be used, with the fields at fault. */
export class DemographicsReplyError extends Error {
  constructor(
    readonly personaId: number,
    readonly issues: ReplyIssue[],
    readonly llmCallId: number | null,
  ) {
    super(`the demographics reply is malformed: ${issues.map(formatReplyIssue).join('; ')}`);
    this.name = 'DemographicsReplyError';
  }
}

/** What reading a persona's demographics needs (a persona row has it). */
export type DemographicsSubject = PersonaDemographicsInput & { demographicsOrigin: PersonaDemographics['demographicsOrigin'] | null };

export type DemographicsRow = { id: number } & PersonaDemographics;

/**
 * Reads one persona's demographics with the LLM and combines them with its given values and the rules; returns the
 * row to store (nothing is written here). Throws DemographicsReplyError for a malformed reply, LlmCallError when the
 * call fails for good.
 */
export async function readDemographicsWithLlm({
  persona,
  db,
  signal,
}: {
  persona: DemographicsSubject;
  db: Db;
  signal?: AbortSignal;
}): Promise<{ row: DemographicsRow; changed: DemographicField[] }> {
  let r;
  try {
    r = await callLlmObject({
      role: DEMOGRAPHICS_ROLE,
      promptVersion: DEMOGRAPHICS_PROMPT_VERSION,
      messages: demographicsMessages(persona.narrative),
      schema: demographicsReplySchema,
      schemaName: DEMOGRAPHICS_SCHEMA_NAME,
      temperature: 0,
      db,
      signal,
    });
  } catch (e) {
    if (e instanceof LlmCallError && e.kind === 'malformed') {
      const issues = describeReplyIssues(e.raw);
      throw new DemographicsReplyError(persona.id, issues.length ? issues : [{ field: null, reason: e.message }], e.callId);
    }
    throw e;
  }
  const base = personaDemographics(givenDemographics(persona), persona.narrative);
  const merged = mergeLlmDemographics(base, classifyReply(r.value, persona.narrative), {
    promptVersion: r.promptVersion,
    model: r.model,
    llmCallId: r.callId,
    narrativeHash: narrativeHash(persona.narrative),
  });
  return { row: { id: persona.id, ...merged.demographics }, changed: merged.changed };
}

/** A persona the job could not read, with the field at fault (null: the reply as a whole, or the call). */
export interface DemographicsFailure {
  personaId: number;
  field: DemographicField | null;
  reason: string;
}

const MAX_LISTED_FAILURES = 200;

const personaOf = (key: string) => Number(key.slice('persona:'.length));

/** One persona read by the LLM; its values are stored in the unit's transaction. */
async function readPersona(ctx: UnitContext<DemographicsParams>): Promise<UnitOutcome> {
  const { db, signal } = ctx;
  const id = personaOf(ctx.key);
  const [persona] = listPersonasForDemographics({ db, ids: [id] });
  // deleted since the job was planned: nothing to read
  if (!persona) return { result: { gone: true } };
  if (readByLlm(persona.demographicsOrigin, persona.narrative)) return { result: { already: true } };
  let r: Awaited<ReturnType<typeof readDemographicsWithLlm>>;
  try {
    r = await readDemographicsWithLlm({ persona, db, signal });
  } catch (e) {
    if (signal.aborted) throw e;
    if (e instanceof DemographicsReplyError) throw new UnitFailure(`persona ${id}: ${e.message}`, { personaId: id, issues: e.issues }, false);
    const reason = e instanceof Error ? e.message : String(e);
    throw new UnitFailure(`persona ${id}: ${reason}`, { personaId: id, issues: [{ field: null, reason }] });
  }
  return {
    write: () => updatePersonaDemographics({ db, rows: [r.row] }),
    result: { read: true, changed: r.changed, model: r.row.demographicsOrigin.llm?.model ?? null },
  };
}

/** The job's result from its units. */
function demographicsResult({ units }: { units: JobUnit[] }): Record<string, unknown> {
  const done = units.filter((u) => u.status === 'done');
  const read = done.filter((u) => u.result?.read === true);
  const changed = Object.fromEntries(DEMOGRAPHIC_FIELDS.map((f) => [f, 0])) as Record<DemographicField, number>;
  let model: string | null = null;
  for (const u of read) {
    for (const f of (u.result?.changed ?? []) as DemographicField[]) if (f in changed) changed[f]++;
    if (typeof u.result?.model === 'string') model = u.result.model;
  }
  const failedUnits = units.filter((u) => u.status === 'failed');
  const failed: DemographicsFailure[] = [];
  for (const u of failedUnits) {
    const issues = (u.result?.issues ?? [{ field: null, reason: u.error ?? 'failed' }]) as ReplyIssue[];
    for (const issue of issues) if (failed.length < MAX_LISTED_FAILURES) failed.push({ personaId: personaOf(u.key), field: issue.field, reason: issue.reason });
  }
  return {
    promptVersion: DEMOGRAPHICS_PROMPT_VERSION,
    model,
    personas: units.length,
    extracted: read.length,
    already: done.filter((u) => u.result?.already === true).length,
    changed,
    failures: failedUnits.length,
    failed,
    failureLog: failedUnits.slice(0, 50).map((u) => u.error ?? `persona ${personaOf(u.key)}: failed`),
  };
}

/** The demographics job as units: one per persona whose values were not all given by its source. */
export const demographicsUnits: UnitPlan<DemographicsParams> = {
  parse: (params) => demographicsParamsSchema.parse(params),
  plan: ({ db, params: p }, after) =>
    after === null ? { stage: 'personas', units: listDemographicsCandidateIds({ db, sourceId: p.sourceId, personaIds: p.personaIds }).map((id) => ({ key: `persona:${id}` })) } : null,
  run: readPersona,
  result: demographicsResult,
};

/** Runs the reading inline inside another job in this process: the same units, not shared with workers. */
export function runDemographicsExtraction(ctx: JobContext<Record<string, unknown>>): Promise<Record<string, unknown>> {
  return runUnitsInline(demographicsUnits, ctx, demographicsParamsSchema.parse(ctx.params).concurrency);
}
