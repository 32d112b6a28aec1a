/** Stage 1, step 5: the LLM privacy check and the rewrite of a flagged persona. */
import type { LlmMessage } from '../../llm';

export const PRIVACY_PROMPT_VERSION = 'privacy-v1';
export const PRIVACY_SCHEMA_NAME = 'privacy';
export const PRIVACY_REWRITE_PROMPT_VERSION = 'privacy-rewrite-v1';
export const PRIVACY_REWRITE_SCHEMA_NAME = 'privacy_rewrite';

export function privacyMessages(narrative: string): LlmMessage[] {
  return [
    {
      role: 'system',
      content:
        'You check a persona description for personal information that could identify a real person: names of ' +
        'private individuals, e-mail addresses, phone numbers, street addresses, user names or handles, links to ' +
        'personal pages, exact employers with small teams, ID numbers, exact dates of birth. General facts (age band, ' +
        'country, occupation, hobbies) are fine. Answer with JSON {"containsPersonalInfo": true|false, "items": ' +
        '[{"kind": "...", "text": "..."}], "reason": "..."}.',
    },
    { role: 'user', content: `<persona>\n${narrative}\n</persona>` },
  ];
}

export function privacyRewriteMessages(narrative: string, found: string[]): LlmMessage[] {
  return [
    {
      role: 'system',
      content:
        'Rewrite the persona so that it contains no personal information that could identify a real person, ' +
        'keeping everything else (personality, values, habits, general circumstances) unchanged. Replace specifics ' +
        'with general descriptions ("a large city", "a colleague"). Answer with JSON {"narrative": "..."}.',
    },
    {
      role: 'user',
      content: `<persona>\n${narrative}\n</persona>\n<found>\n${found.join('\n')}\n</found>`,
    },
  ];
}
