/**
 * Persona demographics read by an LLM: age, gender, country and occupation from a persona's narrative, each with the
 * verbatim quote it was read from (lib/personas/llmDemographics.ts checks the quote and decides stated / inferred).
 */
import type { LlmMessage } from '../../llm';

export const DEMOGRAPHICS_PROMPT_VERSION = 'demographics-v1';
export const DEMOGRAPHICS_SCHEMA_NAME = 'demographics';

export function demographicsMessages(narrative: string): LlmMessage[] {
  return [
    {
      role: 'system',
      content:
        'You read a persona description and report the age, gender, country and occupation of the person it ' +
        'describes (never of somebody else it mentions). For each, give the value and a quote: the shortest passage ' +
        'of the description, copied character for character, that says or suggests the value. Use null for the value ' +
        'and the quote when the description gives no support; do not guess from names, hobbies or stereotypes. ' +
        'age: the current age in whole years. gender: "female", "male" or "other" (non-binary and other identities). ' +
        'country: where the person lives (or comes from when that is all the text says), as an ISO 3166-1 alpha-2 ' +
        'code such as "US", "GB" or "DE". occupation: the job in a few lower-case words, such as "nurse" or ' +
        '"software engineer" ("student" and "retired" count). Answer with JSON ' +
        '{"age": {"value": 34, "quote": "..."}, "gender": {"value": "female", "quote": "..."}, ' +
        '"country": {"value": null, "quote": null}, "occupation": {"value": "nurse", "quote": "..."}}.',
    },
    { role: 'user', content: `<narrative>\n${narrative}\n</narrative>` },
  ];
}
