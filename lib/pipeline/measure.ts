/**
 * The measurement job (stage 2): each persona answers the instrument's items in character, `repetitions` times at
 * `temperature`; answers are stored per item and repetition; trait scores come from the instrument key on the
 * common 1-5 scale (the mean answer per item over repetitions is scored); the per-trait SD of the repetition scores
 * is stored as the spread; an inconsistent persona (reverse-keyed items that contradict, or repeated answers that
 * vary too much) is flagged 'inconsistent'.
 *
 * Idempotent: stored answers are skipped (unique per persona, instrument, item, model, temperature, repetition) and
 * LLM calls are cached; scores are written once a persona has every answer, in one transaction with its flags.
 * Progress unit: one item answer.
 */
import { insertItemResponses, listItemResponses, listPersonasToMeasure, saveMeasurement } from '../../db/queries/measurement';
import { updatePersonaChecks } from '../../db/queries/pipeline';
import { scoreCommon, type InstrumentKey } from '../instruments/score';
import { TRAITS } from '../instruments/traits';
import { forEachConcurrent, type JobContext } from '../jobs';
import { getModel } from '../llm';
import { askItems } from './answering';
import { checkConsistency } from './checks';
import { loadInstrument } from './instruments';
import { measureParamsSchema, type MeasureParams } from './schema';

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

export async function runMeasurement(ctx: JobContext<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const p: MeasureParams = measureParamsSchema.parse(ctx.params);
  const { db, signal } = ctx;
  const ins = loadInstrument(db, p.instrumentId);
  const key: InstrumentKey = { id: ins.id, scaleMin: ins.scaleMin, scaleMax: ins.scaleMax, items: ins.items };
  const model = getModel('responder').modelId;
  // with onlyUnmeasured, a resumed job still counts the personas it measured itself before the restart
  const targets = listPersonasToMeasure({ db, personaIds: p.personaIds, sourceId: p.sourceId, instrumentId: ins.id, onlyUnmeasured: false });
  const unmeasured = new Set(listPersonasToMeasure({ db, personaIds: p.personaIds, sourceId: p.sourceId, instrumentId: ins.id, onlyUnmeasured: true }).map((x) => x.id));
  const byThisJob = (m: Record<string, unknown> | null) => (m?.measurement as { jobId?: number } | undefined)?.jobId === ctx.jobId;
  const personas = p.onlyUnmeasured ? targets.filter((t) => unmeasured.has(t.id) || byThisJob(t.metadata)) : targets;
  const perPersona = ins.items.length * p.repetitions;
  let done = 0;
  let failures = 0;
  const total = personas.length * perPersona;
  const report = () => ctx.progress({ done, total, failures });
  let measured = 0;
  let flagged = 0;
  report();

  await forEachConcurrent(
    personas,
    p.concurrency,
    async (persona) => {
      const stored = listItemResponses({ db, personaId: persona.id, instrumentId: ins.id, model, temperature: p.temperature });
      const have = new Set(stored.filter((s) => s.repetition < p.repetitions).map((s) => `${s.itemId}|${s.repetition}`));
      done += have.size;
      report();
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
            insertItemResponses({
              db,
              rows: answers.map((a) => ({ personaId: persona.id, instrumentId: ins.id, itemId: a.itemId, value: a.value, model, temperature: p.temperature, repetition: rep, llmCallId: a.llmCallId })),
            });
            done += answers.length;
            report();
          },
          onFailure: (ids) => {
            failures += ids.length;
            report();
          },
        });
      }
      const all = listItemResponses({ db, personaId: persona.id, instrumentId: ins.id, model, temperature: p.temperature }).filter((s) => s.repetition < p.repetitions);
      const byItem = new Map<string, number[]>();
      for (const s of all.sort((a, b) => a.repetition - b.repetition)) {
        const list = byItem.get(s.itemId) ?? [];
        list[s.repetition] = s.value;
        byItem.set(s.itemId, list);
      }
      const complete = ins.items.every((it) => byItem.get(it.itemId)?.filter((v) => v !== undefined).length === p.repetitions);
      if (!complete) return;
      const { scores, spread } = scoreRepeated(key, byItem, p.repetitions);
      const consistency = checkConsistency(ins.items, byItem, {
        scaleMin: ins.scaleMin,
        scaleMax: ins.scaleMax,
        maxGap: p.consistencyMaxGap,
        maxSpread: p.consistencyMaxSpread,
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
                jobId: ctx.jobId,
                consistency: { passed: consistency.passed, score: consistency.score, ...consistency.details },
              },
            },
          });
        },
      });
      measured++;
      if (!consistency.passed) flagged++;
    },
    signal,
  );
  return { instrumentId: ins.id, model, temperature: p.temperature, repetitions: p.repetitions, personas: personas.length, measured, inconsistent: flagged, failures };
}
