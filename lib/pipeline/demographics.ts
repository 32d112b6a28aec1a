/**
 * The demographics job: the LLM reads age, gender, country and occupation from the narratives of personas whose
 * values were not all given by their source, and each value is stored with how it was obtained (stated / inferred /
 * unknown), the passage it was read from and which extractor read it (lib/personas/llmDemographics.ts: the checks of
 * the reply and how it combines with the rules).
 *
 * The critic role reads (it reads and judges text: post labels, persona scores), at temperature 0, and only when an
 * LLM server is configured for it (the routes, the CLI and the imports check `isRoleAvailable`).
 *
 * Personas are read in batches of `batchSize`, `concurrency` calls at once, and each batch is stored in one
 * transaction. Idempotent: a persona already read with the same prompt version (and the same narrative) is skipped,
 * so a resumed job continues where it stopped, and every call is cached. A malformed reply (a field the product's
 * vocabularies cannot hold, a reply that is not JSON) leaves the persona's stored values as they were and is
 * reported with the persona id and the field. Progress unit: one persona.
 */
import { createHash } from 'node:crypto';
import { listDemographicsCandidateIds, listPersonasForDemographics, updatePersonaDemographics } from '../../db/queries/personas';
import type { Db } from '../../db/client';
import { forEachConcurrent, type JobContext } from '../jobs';
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
export interface DemographicsSubject {
  id: number;
  narrative: string;
  age: number | null;
  ageBand: string;
  gender: string;
  country: string;
  occupation: string;
  demographicsOrigin: PersonaDemographics['demographicsOrigin'] | null;
}

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

export async function runDemographicsExtraction(ctx: JobContext<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const p: DemographicsParams = demographicsParamsSchema.parse(ctx.params);
  const { db, signal } = ctx;
  const ids = listDemographicsCandidateIds({ db, sourceId: p.sourceId, personaIds: p.personaIds });
  const total = ids.length;
  let done = 0;
  let failures = 0;
  let extracted = 0;
  let already = 0;
  let model: string | null = null;
  const changed = Object.fromEntries(DEMOGRAPHIC_FIELDS.map((f) => [f, 0])) as Record<DemographicField, number>;
  const failed: DemographicsFailure[] = [];
  const failureLog: string[] = [];
  const report = () => ctx.progress({ done, total, failures });
  report();

  for (let i = 0; i < ids.length && !signal.aborted; i += p.batchSize) {
    const slice = ids.slice(i, i + p.batchSize);
    const rows = listPersonasForDemographics({ db, ids: slice });
    const todo = rows.filter((r) => !readByLlm(r.demographicsOrigin, r.narrative));
    already += rows.length - todo.length;
    // personas deleted since the list was taken count as done
    done += slice.length - todo.length;
    report();
    const read: DemographicsRow[] = [];
    await forEachConcurrent(
      todo,
      p.concurrency,
      async (persona) => {
        try {
          const r = await readDemographicsWithLlm({ persona, db, signal });
          read.push(r.row);
          for (const f of r.changed) changed[f]++;
          model = r.row.demographicsOrigin.llm?.model ?? model;
          done++;
        } catch (e) {
          if (signal.aborted) return;
          failures++;
          const issues: ReplyIssue[] =
            e instanceof DemographicsReplyError ? e.issues : [{ field: null, reason: (e as Error)?.message ?? String(e) }];
          for (const issue of issues) if (failed.length < MAX_LISTED_FAILURES) failed.push({ personaId: persona.id, ...issue });
          if (failureLog.length < 50) failureLog.push(`persona ${persona.id}: ${e instanceof Error ? e.message : String(e)}`);
        }
        report();
      },
      signal,
    );
    // one transaction per batch; a cancelled batch stores what was read before the cancel
    if (read.length) {
      updatePersonaDemographics({ db, rows: read });
      extracted += read.length;
    }
  }
  return {
    promptVersion: DEMOGRAPHICS_PROMPT_VERSION,
    model,
    personas: total,
    extracted,
    already,
    changed,
    failures,
    failed,
    failureLog,
  };
}
