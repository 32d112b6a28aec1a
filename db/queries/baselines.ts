/** No-persona LLM baselines, as comparison sets for the metrics table. */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { baselineResponses, sources } from '../schema';

export function listBaselineRows({ db }: { db: Db }) {
  return db
    .select({
      sourceId: baselineResponses.sourceId,
      sourceName: sources.name,
      model: baselineResponses.model,
      instrumentId: baselineResponses.instrumentId,
      temperature: baselineResponses.temperature,
      E: baselineResponses.E,
      A: baselineResponses.A,
      C: baselineResponses.C,
      N: baselineResponses.N,
      O: baselineResponses.O,
    })
    .from(baselineResponses)
    .innerJoin(sources, eq(sources.id, baselineResponses.sourceId))
    .orderBy(asc(baselineResponses.sourceId), asc(baselineResponses.temperature), asc(baselineResponses.id))
    .all();
}
