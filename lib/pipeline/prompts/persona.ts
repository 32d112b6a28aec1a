/** Stage 1, step 3: one grounded, third-person narrative persona per author. */
import type { LlmMessage } from '../../llm';

export const PERSONA_PROMPT_VERSION = 'persona-v1';
export const PERSONA_SCHEMA_NAME = 'persona';

export function personaMessages(posts: string[]): LlmMessage[] {
  return [
    {
      role: 'system',
      content:
        'You write a narrative persona of the author of the posts below: one paragraph of 80 to 200 words, in the ' +
        'third person ("The author ..." or "She/He/They ..."), describing personality, values, habits, interests and ' +
        'circumstances as the posts show them. Ground every statement in the posts; never add an attribute the posts ' +
        'do not support. Fill the demographics only when the posts state or clearly imply them: age as a number or ' +
        'null, gender "female"|"male"|"other"|"unknown", country and occupation as stated or "unknown". name is null ' +
        'unless the author states a name. Do not copy identifiers (e-mail addresses, phone numbers, street addresses, ' +
        'user names, links) into the narrative. Answer with JSON ' +
        '{"name": null, "narrative": "...", "age": null, "gender": "unknown", "country": "unknown", "occupation": "unknown"}.',
    },
    { role: 'user', content: `<posts>\n${posts.map((p) => `<post>${p}</post>`).join('\n')}\n</posts>` },
  ];
}
