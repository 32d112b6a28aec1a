/**
 * The no-persona baseline job: the same items answered without a persona at each temperature (default 0, 0.7 and
 * 1.0), `runs` times, stored as baseline_responses of the source 'populace-baseline' (model, temperature, prompt
 * version as system_prompt, run). Idempotent: stored runs are skipped and item calls are cached.
 * Progress unit: one item answer.
 */
import { hasBaselineRun, insertBaselineResponse } from '../../db/queries/measurement';
import { ensureSource } from '../../db/queries/posts';
import { scoreCommon } from '../instruments/score';
import type { JobContext } from '../jobs';
import { getModel } from '../llm';
import { askItems } from './answering';
import { loadInstrument } from './instruments';
import { BASELINE_BATCH_PROMPT_VERSION, BASELINE_PROMPT_VERSION } from './prompts';
import { baselineParamsSchema } from './schema';

export const BASELINE_JOB_KIND = 'pipeline.baseline';
export const BASELINE_SOURCE_ID = 'populace-baseline';

export async function runBaseline(ctx: JobContext<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const p = baselineParamsSchema.parse(ctx.params);
  const { db, signal } = ctx;
  const ins = loadInstrument(db, p.instrumentId);
  const model = getModel('responder').modelId;
  const promptVersion = p.mode === 'single' ? BASELINE_PROMPT_VERSION : BASELINE_BATCH_PROMPT_VERSION;
  ensureSource({
    db,
    source: {
      id: BASELINE_SOURCE_ID,
      name: 'No-persona baselines answered through Populace',
      kind: 'baseline',
      licence: 'Generated locally; subject to the terms of the model used',
      citation: 'Populace baseline job (no persona, items as in stage 2)',
      origin: 'lib/pipeline/baseline.ts',
    },
  });
  let done = 0;
  let failures = 0;
  const total = p.temperatures.length * p.runs * ins.items.length;
  const report = () => ctx.progress({ done, total, failures });
  const stored: { temperature: number; run: number }[] = [];
  report();
  for (const temperature of p.temperatures) {
    for (let run = 0; run < p.runs; run++) {
      signal.throwIfAborted();
      const where = { db, sourceId: BASELINE_SOURCE_ID, model, instrumentId: ins.id, temperature, systemPrompt: promptVersion, run };
      if (hasBaselineRun(where)) {
        done += ins.items.length;
        report();
        continue;
      }
      const answers = await askItems({
        persona: null,
        items: ins.items,
        mode: p.mode,
        batchSize: p.batchSize,
        temperature,
        repetition: run,
        db,
        signal,
        onAnswer: (a) => {
          done += a.length;
          report();
        },
        onFailure: (ids) => {
          failures += ids.length;
          report();
        },
      });
      if (answers.length !== ins.items.length) continue;
      const map = new Map(answers.map((a) => [a.itemId, a.value]));
      const s = scoreCommon({ id: ins.id, scaleMin: ins.scaleMin, scaleMax: ins.scaleMax, items: ins.items }, map);
      const { db: _db, ...key } = where;
      void _db;
      insertBaselineResponse({ db, row: { ...key, ...s, answers: Object.fromEntries(map) } });
      stored.push({ temperature, run });
    }
  }
  return { instrumentId: ins.id, model, stored, failures };
}
