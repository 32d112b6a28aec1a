/**
 * The critic check: an LLM scores the persona 1-10 on hallucination, comprehensiveness, conciseness, relevance and
 * overall, with a reason each. Passed when overall > overallAbove (default 8) and every other score > othersAbove
 * (default 7). score = the overall score.
 */
import { callLlmObject } from '../../llm';
import { CRITIC_PROMPT_VERSION, CRITIC_SCHEMA_NAME, criticMessages } from '../prompts';
import { CRITIC_DIMENSIONS, critiqueSchema, type Critique } from '../schema';
import type { CheckResult, PersonaCheck } from './types';

/** Applies the keep rule to a critique. */
export function judgeCritique(c: Critique, overallAbove = 8, othersAbove = 7): CheckResult {
  const reasons: string[] = [];
  for (const d of CRITIC_DIMENSIONS) {
    const limit = d === 'overall' ? overallAbove : othersAbove;
    if (!(c[d].score > limit)) reasons.push(`${d} ${c[d].score} (needs > ${limit}): ${c[d].reason}`);
  }
  return { passed: reasons.length === 0, score: c.overall.score, reasons, details: { scores: c } };
}

export const criticCheck: PersonaCheck = {
  name: 'critic',
  kind: 'llm',
  description: 'LLM critic: hallucination, comprehensiveness, conciseness, relevance, overall (1-10)',
  async run({ narrative, posts, db, signal, options }) {
    const r = await callLlmObject({
      role: 'critic',
      promptVersion: CRITIC_PROMPT_VERSION,
      messages: criticMessages(narrative, posts),
      schema: critiqueSchema,
      schemaName: CRITIC_SCHEMA_NAME,
      temperature: 0,
      db,
      signal,
    });
    const verdict = judgeCritique(r.value, Number(options?.overallAbove ?? 8), Number(options?.othersAbove ?? 7));
    return { ...verdict, llmCallId: r.callId, model: r.model, promptVersion: r.promptVersion };
  },
};
