/**
 * The measurement job (stage 2): each persona answers the instrument's items in character, `repetitions` times at
 * `temperature`; answers are stored per item and repetition; trait scores come from the instrument key on the
 * common 1-5 scale (the mean answer per item over repetitions is scored); the per-trait SD of the repetition scores
 * is stored as the spread; an inconsistent persona (reverse-keyed items that contradict, or repeated answers that
 * vary too much) is flagged 'inconsistent'.
 *
 * A job of units (lib/jobs/units.ts): one unit per persona, planned when the job starts, run by any worker. A unit
 * asks the missing answers, then stores them with the scores and flags in one transaction (the one that marks the
 * unit done), so a persona is stored whole or not at all; an answer that fails for good fails the attempt (the unit
 * is tried again, answers already received come from the call cache). Idempotent: stored answers are skipped (unique
 * per persona, instrument, item, model, temperature, repetition) and LLM calls are cached.
 * Progress unit: one item answer (a persona's unit weighs items x repetitions).
 */
import { insertItemResponses, listItemResponses, listPersonasToMeasure, saveMeasurement } from '../../db/queries/measurement';
import { updatePersonaChecks } from '../../db/queries/pipeline';
import { scoreCommon, type InstrumentKey } from '../instruments/score';
import { TRAITS } from '../instruments/traits';
import { runUnitsInline, type JobContext, type UnitContext, type UnitOutcome, type UnitPlan } from '../jobs';
import { getModel } from '../llm';
import { askItems } from './answering';
import { checkConsistency } from './checks';
import { loadInstrument } from './instruments';
import type { ItemAnswer } from './answering';
import { measureParamsSchema, type MeasureParams } from './schema';
import type { JobUnit } from '../../db/schema';

export const MEASURE_JOB_KIND = 'pipeline.measure';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

/**
 * Scores answers given as item -> values over repetitions: trait scores of the mean answers, and the per-trait SD
 * of the scores of each complete repetition (null with one repetition).
 */
export function scoreRepeated(key: InstrumentKey, answers: Map<string, number[]>, repetitions: number) {
  const means = new Map([...answers].map(([k, v]) => [k, mean(v)]));
  const scores = scoreCommon(key, means);
  let spread: Record<string, number> | null = null;
  if (repetitions > 1) {
    const perRep = Array.from({ length: repetitions }, (_, r) => scoreCommon(key, new Map([...answers].map(([k, v]) => [k, v[r]!]))));
    spread = Object.fromEntries(TRAITS.map((t) => [t, sd(perRep.map((s) => s[t]))]));
  }
  return { scores, spread };
}

const personaKey = (id: number) => `persona:${id}`;
const personaOf = (key: string) => Number(key.slice('persona:'.length));
const MAX_LOGGED_FAILURES = 50;

/** The personas to measure, one unit each (planned once, when the job starts). */
function planMeasurement({ db, jobId, params: p }: { db: Parameters<typeof loadInstrument>[0]; jobId: number; params: MeasureParams }) {
  const ins = loadInstrument(db, p.instrumentId);
  // with onlyUnmeasured, a job planned again (after a cancel) still counts the personas it measured itself before
  const targets = listPersonasToMeasure({ db, personaIds: p.personaIds, sourceId: p.sourceId, instrumentId: ins.id, onlyUnmeasured: false });
  const unmeasured = new Set(listPersonasToMeasure({ db, personaIds: p.personaIds, sourceId: p.sourceId, instrumentId: ins.id, onlyUnmeasured: true }).map((x) => x.id));
  const byThisJob = (m: Record<string, unknown> | null) => (m?.measurement as { jobId?: number } | undefined)?.jobId === jobId;
  const personas = p.onlyUnmeasured ? targets.filter((t) => unmeasured.has(t.id) || byThisJob(t.metadata)) : targets;
  const weight = ins.items.length * p.repetitions;
  return { stage: 'personas', units: personas.map((x) => ({ key: personaKey(x.id), weight })) };
}

/** One persona: the missing answers asked, then everything stored in the unit's transaction. */
async function measurePersona(ctx: UnitContext<MeasureParams>): Promise<UnitOutcome> {
  const { db, signal, params: p, jobId } = ctx;
  const ins = loadInstrument(db, p.instrumentId);
  const key: InstrumentKey = { id: ins.id, scaleMin: ins.scaleMin, scaleMax: ins.scaleMax, items: ins.items };
  const model = getModel('responder').modelId;
  const persona = listPersonasToMeasure({ db, personaIds: [personaOf(ctx.key)], instrumentId: ins.id, onlyUnmeasured: false })[0];
  // deleted or rejected since the job was planned
  if (!persona) return { result: { skipped: true } };
  const stored = listItemResponses({ db, personaId: persona.id, instrumentId: ins.id, model, temperature: p.temperature }).filter((s) => s.repetition < p.repetitions);
  const have = new Set(stored.map((s) => `${s.itemId}|${s.repetition}`));
  const fresh: { answer: ItemAnswer; repetition: number }[] = [];
  const failed: { ids: string[]; err: unknown }[] = [];
  ctx.progress(have.size);
  for (let rep = 0; rep < p.repetitions; rep++) {
    const missing = ins.items.filter((it) => !have.has(`${it.itemId}|${rep}`));
    if (missing.length === 0) continue;
    await askItems({
      persona: persona.narrative,
      items: missing,
      mode: p.mode,
      batchSize: p.batchSize,
      temperature: p.temperature,
      repetition: rep,
      db,
      signal,
      onAnswer: (answers) => {
        for (const answer of answers) fresh.push({ answer, repetition: rep });
        ctx.progress(have.size + fresh.length);
      },
      onFailure: (ids, err) => failed.push({ ids, err }),
    });
  }
  if (failed.length) {
    const n = failed.reduce((a, f) => a + f.ids.length, 0);
    const first = failed[0]!.err;
    throw new Error(`${n} of ${ins.items.length * p.repetitions} answers failed (item ${failed[0]!.ids[0]}: ${first instanceof Error ? first.message : String(first)})`);
  }
  const byItem = new Map<string, number[]>();
  const all = [...stored.map((s) => ({ itemId: s.itemId, value: s.value, repetition: s.repetition })), ...fresh.map((f) => ({ itemId: f.answer.itemId, value: f.answer.value, repetition: f.repetition }))];
  for (const s of all) {
    const list = byItem.get(s.itemId) ?? [];
    list[s.repetition] = s.value;
    byItem.set(s.itemId, list);
  }
  const complete = ins.items.every((it) => byItem.get(it.itemId)?.filter((v) => v !== undefined).length === p.repetitions);
  if (!complete) throw new Error('some answers are missing after asking every item');
  const { scores, spread } = scoreRepeated(key, byItem, p.repetitions);
  const consistency = checkConsistency(ins.items, byItem, {
    scaleMin: ins.scaleMin,
    scaleMax: ins.scaleMax,
    maxGap: p.consistencyMaxGap,
    maxSpread: p.consistencyMaxSpread,
  });
  return {
    write: () => {
      insertItemResponses({
        db,
        rows: fresh.map(({ answer: a, repetition }) => ({ personaId: persona.id, instrumentId: ins.id, itemId: a.itemId, value: a.value, model, temperature: p.temperature, repetition, llmCallId: a.llmCallId })),
      });
      saveMeasurement({
        db,
        personaId: persona.id,
        instrumentId: ins.id,
        scores,
        spread,
        apply: (tx) => {
          updatePersonaChecks({
            db: tx,
            id: persona.id,
            measured: true,
            addFlags: consistency.passed ? [] : [{ code: 'inconsistent', reason: `${ins.id}: ${consistency.reasons.join('; ')}` }],
            removeFlagCodes: consistency.passed ? ['inconsistent'] : [],
            metadata: {
              measurement: {
                instrumentId: ins.id,
                model,
                temperature: p.temperature,
                repetitions: p.repetitions,
                mode: p.mode,
                jobId,
                consistency: { passed: consistency.passed, score: consistency.score, ...consistency.details },
              },
            },
          });
        },
      });
    },
    result: { measured: true, inconsistent: !consistency.passed, model },
  };
}

/** The job's result from its units. */
function measurementResult({ params: p, units }: { params: MeasureParams; units: JobUnit[] }): Record<string, unknown> {
  const models = [...new Set(units.map((u) => u.result?.model).filter((m): m is string => typeof m === 'string'))];
  const failed = units.filter((u) => u.status === 'failed');
  return {
    instrumentId: p.instrumentId,
    model: models.length <= 1 ? (models[0] ?? getModel('responder').modelId) : models,
    temperature: p.temperature,
    repetitions: p.repetitions,
    personas: units.length,
    measured: units.filter((u) => u.status === 'done' && u.result?.measured === true).length,
    inconsistent: units.filter((u) => u.status === 'done' && u.result?.inconsistent === true).length,
    failures: failed.reduce((a, u) => a + u.weight, 0),
    failureLog: failed.slice(0, MAX_LOGGED_FAILURES).map((u) => `persona ${personaOf(u.key)}: ${u.error}`),
  };
}

/** The measurement job as units: one per persona. */
export const measureUnits: UnitPlan<MeasureParams> = {
  parse: (params) => measureParamsSchema.parse(params),
  plan: (ctx, after) => (after === null ? planMeasurement(ctx) : null),
  run: measurePersona,
  result: measurementResult,
};

/**
 * Runs a measurement inline inside another job in this process (the group revision job re-measures its revisions
 * with it, under its own job id): the same units, not shared with workers.
 */
export function runMeasurement(ctx: JobContext<Record<string, unknown>>): Promise<Record<string, unknown>> {
  return runUnitsInline(measureUnits, ctx, measureParamsSchema.parse(ctx.params).concurrency);
}
