/** The LLM privacy check: does the persona contain information that could identify a real person? score 1 = yes. */
import { callLlmObject } from '../../llm';
import { PRIVACY_PROMPT_VERSION, PRIVACY_SCHEMA_NAME, privacyMessages } from '../prompts';
import { privacyOutputSchema } from '../schema';
import type { PersonaCheck } from './types';

export const privacyLlmCheck: PersonaCheck = {
  name: 'privacy-llm',
  kind: 'llm',
  description: 'LLM check for personal information',
  async run({ narrative, db, signal }) {
    const r = await callLlmObject({
      role: 'critic',
      promptVersion: PRIVACY_PROMPT_VERSION,
      messages: privacyMessages(narrative),
      schema: privacyOutputSchema,
      schemaName: PRIVACY_SCHEMA_NAME,
      temperature: 0,
      db,
      signal,
    });
    const v = r.value;
    return {
      passed: !v.containsPersonalInfo,
      score: v.containsPersonalInfo ? 1 : 0,
      reasons: v.containsPersonalInfo ? [v.reason, ...v.items.map((i) => `${i.kind}: ${i.text}`)] : [],
      details: { items: v.items, reason: v.reason },
      llmCallId: r.callId,
      model: r.model,
      promptVersion: r.promptVersion,
    };
  },
};
