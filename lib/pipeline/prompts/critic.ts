/** Stage 1, step 4: the critic scores a persona against the posts it came from. */
import type { LlmMessage } from '../../llm';

export const CRITIC_PROMPT_VERSION = 'critic-v1';
export const CRITIC_SCHEMA_NAME = 'critique';

export function criticMessages(narrative: string, posts: string[]): LlmMessage[] {
  return [
    {
      role: 'system',
      content:
        'You review a persona written from social media posts. Score it from 1 to 10 on: hallucination (10 = every ' +
        'statement is supported by the posts, 1 = mostly invented), comprehensiveness (covers the important themes), ' +
        'conciseness (no padding or repetition), relevance (describes the person, not the topics) and overall. Give a ' +
        'one-sentence reason for each. Answer with JSON {"hallucination": {"score": n, "reason": "..."}, ' +
        '"comprehensiveness": {...}, "conciseness": {...}, "relevance": {...}, "overall": {...}}.',
    },
    {
      role: 'user',
      content: `<posts>\n${posts.map((p) => `<post>${p}</post>`).join('\n')}\n</posts>\n<persona>\n${narrative}\n</persona>`,
    },
  ];
}
