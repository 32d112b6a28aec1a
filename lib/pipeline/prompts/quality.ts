/** Stage 1, step 2: the raw-text quality label (high, medium, low) and the harmful flag of one post. */
import type { LlmMessage } from '../../llm';

export const QUALITY_PROMPT_VERSION = 'post-quality-v1';
export const QUALITY_SCHEMA_NAME = 'post_quality';

export function qualityMessages(post: string): LlmMessage[] {
  return [
    {
      role: 'system',
      content:
        'You rate social media posts as material for describing their author. quality = "high" when the post says ' +
        'something substantive about the author (experiences, views, habits, feelings) in readable prose; "medium" ' +
        'when it says a little; "low" for spam, advertising, link dumps, fragments or text without personal content. ' +
        'harmful = true when it contains hate, harassment, threats, sexual content involving minors or instructions ' +
        'for violence. Answer with JSON {"quality": "high"|"medium"|"low", "harmful": true|false, "reason": "..."}.',
    },
    { role: 'user', content: `<post>\n${post}\n</post>` },
  ];
}
