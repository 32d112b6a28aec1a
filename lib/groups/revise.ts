/**
 * Light revision of retrieved personas to fit a group (stage 4): the LLM changes place and culture details only;
 * each revision is a new persona (parentId = the original, same source, status draft), then re-measured with the
 * pipeline's measurement code, and its trait drift against the parent is checked (|Δ| per trait; above 0.5 the
 * revision is flagged 'trait-drift').
 *
 * Job kind 'groups.revise'; idempotent: a resumed job reuses the revisions it already wrote and the measurement
 * skips stored answers (LLM calls are cached).
 */
import type { Db } from '../../db/client';
import { countRevisionsOf, insertRevisionRow, listGroupRevisionRows, listPreferredScores, listScoresForInstrument } from '../../db/queries/groups';
import { getPersona, updatePersonaChecks } from '../../db/queries/pipeline';
import type { Persona } from '../../db/schema';
import { AppError } from '../http/errors';
import { forEachConcurrent, jobKind, startJob, type JobContext } from '../jobs';
import { callLlmObject, getModel, isRoleAvailable, LlmNotConfiguredError } from '../llm';
import { runMeasurement } from '../pipeline/measure';
import { getDb } from '../../db/client';
import { GROUP_REVISION_PROMPT_VERSION, GROUP_REVISION_SCHEMA_NAME, groupRevisionMessages } from './prompts';
import { getGroup } from './service';
import { countryName } from '../targets/countries';
import { TRAITS, type TraitVector } from '../core/traits';
import { reviseRequestSchema, revisionOutputSchema, TRAIT_DRIFT_LIMIT } from './schema';

export const REVISE_JOB_KIND = 'groups.revise';

interface ReviseParams extends Record<string, unknown> {
  groupId: number;
  personaIds: number[];
  instrumentId: 'ipip50' | 'ipip-neo-120';
}

interface GroupRevisionMeta {
  groupId: number;
  groupName: string;
  jobId: number;
  changes: string;
  llmCallId: number;
  drift?: Record<string, number>;
  maxDrift?: number;
  comparedWith?: string;
}

/** Per-trait |revision - parent| and its maximum. */
export function traitDrift(parent: TraitVector, revision: TraitVector) {
  const drift = Object.fromEntries(TRAITS.map((t) => [t, Math.abs(revision[t] - parent[t])])) as Record<string, number>;
  return { drift, maxDrift: Math.max(...Object.values(drift)) };
}

async function reviseOne(ctx: JobContext<ReviseParams>, parent: Persona, groupText: string, countries: string[], groupName: string): Promise<number> {
  const { db } = ctx;
  const existing = listGroupRevisionRows({ db, groupId: ctx.params.groupId }).find((r) => {
    const m = r.metadata ? (JSON.parse(r.metadata) as { groupRevision?: GroupRevisionMeta }) : {};
    return r.parentId === parent.id && m.groupRevision?.jobId === ctx.jobId;
  });
  if (existing) return existing.id;
  const out = await callLlmObject({
    role: 'generator',
    promptVersion: GROUP_REVISION_PROMPT_VERSION,
    schema: revisionOutputSchema,
    schemaName: GROUP_REVISION_SCHEMA_NAME,
    messages: groupRevisionMessages({ narrative: parent.narrative, group: groupText, countries }),
    temperature: 0.3,
    db,
    signal: ctx.signal,
  });
  const n = countRevisionsOf({ db, parentId: parent.id, groupId: ctx.params.groupId }) + 1;
  const meta: GroupRevisionMeta = { groupId: ctx.params.groupId, groupName, jobId: ctx.jobId, changes: out.value.changes, llmCallId: out.callId };
  const row = insertRevisionRow({
    db,
    persona: {
      sourceId: parent.sourceId,
      externalId: `${parent.externalId}#rev-g${ctx.params.groupId}-${n}`,
      parentId: parent.id,
      name: parent.name,
      narrative: out.value.narrative,
      age: parent.age,
      ageBand: parent.ageBand,
      gender: parent.gender,
      country: out.value.country.trim() || parent.country,
      occupation: parent.occupation,
      model: out.model,
      promptVersion: GROUP_REVISION_PROMPT_VERSION,
      status: 'draft',
      metadata: { groupRevision: meta },
    },
  });
  return row.id;
}

export async function runRevision(ctx: JobContext<ReviseParams>): Promise<Record<string, unknown>> {
  const p = ctx.params;
  const { db } = ctx;
  const group = getGroup(p.groupId, db);
  const countries = group.definition.region?.countries ?? group.definition.reference.filters.countries;
  const groupText = group.definition.personas.description?.trim() || group.name;
  const parents = p.personaIds.map((id) => getPersona({ db, id })).filter((x): x is Persona => Boolean(x));
  const n = parents.length;
  let done = 0;
  ctx.progress({ done, total: n });
  const revisionIds = new Map<number, number>();
  let failures = 0;
  await forEachConcurrent(
    parents,
    4,
    async (parent) => {
      try {
        revisionIds.set(parent.id, await reviseOne(ctx, parent, groupText, countries.map(countryName), group.name));
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        failures++;
      }
      done++;
      ctx.progress({ done, total: n, failures });
    },
    ctx.signal,
  );
  const revIds = [...revisionIds.values()];
  // re-measure with the pipeline's measurement code (same job id: its resume logic applies)
  const measurement = revIds.length
    ? await runMeasurement({
        ...ctx,
        params: { personaIds: revIds, instrumentId: p.instrumentId, onlyUnmeasured: true },
        progress: (u) => ctx.progress({ done: n + (u.done ?? 0), total: n + (u.total ?? 0), failures: failures + (u.failures ?? 0) }),
      })
    : null;

  // drift against the parent: same instrument when the parent has it, else the parent's preferred scores
  const revScores = new Map(listScoresForInstrument({ db, ids: revIds, instrumentId: p.instrumentId }).map((s) => [s.personaId, s]));
  const parentIds = [...revisionIds.keys()];
  const sameInstrument = new Map(listScoresForInstrument({ db, ids: parentIds, instrumentId: p.instrumentId }).map((s) => [s.personaId, s]));
  const preferred = new Map(listPreferredScores({ db, ids: parentIds }).map((s) => [s.personaId, s]));
  let drifted = 0;
  let measured = 0;
  for (const [parentId, revId] of revisionIds) {
    const rev = revScores.get(revId);
    if (!rev) continue;
    measured++;
    const same = sameInstrument.get(parentId);
    const pref = preferred.get(parentId);
    const base = same ?? pref;
    const row = getPersona({ db, id: revId })!;
    const gr = (row.metadata?.groupRevision ?? {}) as GroupRevisionMeta;
    if (!base) {
      updatePersonaChecks({ db, id: revId, metadata: { groupRevision: { ...gr, comparedWith: 'parent has no trait scores' } } });
      continue;
    }
    const { drift, maxDrift } = traitDrift(base, rev);
    const comparedWith = same ? `parent on ${p.instrumentId}` : `parent on ${pref!.instrumentId} (different instrument: drift includes instrument differences)`;
    const over = maxDrift > TRAIT_DRIFT_LIMIT;
    if (over) drifted++;
    updatePersonaChecks({
      db,
      id: revId,
      metadata: { groupRevision: { ...gr, drift, maxDrift, comparedWith } },
      addFlags: over
        ? [
            {
              code: 'trait-drift',
              reason: `The revision moved ${TRAITS.filter((t) => drift[t]! > TRAIT_DRIFT_LIMIT)
                .map((t) => `${t} by ${drift[t]!.toFixed(2)}`)
                .join(', ')} (limit ${TRAIT_DRIFT_LIMIT}) compared with the ${comparedWith}.`,
              relatedPersonaId: parentId,
            },
          ]
        : [],
      removeFlagCodes: over ? [] : ['trait-drift'],
    });
  }
  return { groupId: p.groupId, revised: revIds.length, failures, measured, drifted, revisions: [...revisionIds].map(([parentId, revisionId]) => ({ parentId, revisionId })), measurement };
}

export const revisionJob = jobKind(REVISE_JOB_KIND, runRevision);

/** Starts the revision of some retrieved personas for a group: { jobId }. Needs a generator and a responder model. */
export function startRevision(groupId: number, input: unknown, db: Db = getDb()) {
  const r = reviseRequestSchema.parse(input);
  getGroup(groupId, db);
  if (!isRoleAvailable('generator')) throw new LlmNotConfiguredError('generator');
  if (!isRoleAvailable('responder')) throw new LlmNotConfiguredError('responder');
  for (const id of r.personaIds) {
    const p = getPersona({ db, id });
    if (!p) throw new AppError('not_found', `Persona ${id} does not exist.`, 404);
    if (p.status === 'rejected') throw new AppError('rejected_persona', `Persona ${id} is rejected and cannot be revised.`, 422);
  }
  getModel('generator');
  const job = startJob(revisionJob, { groupId, personaIds: r.personaIds, instrumentId: r.instrumentId }, db);
  return { jobId: job.id };
}
