/** Stage 1, step 1: the LLM denoising rewrite of one post. */
import type { LlmMessage } from '../../llm';

export const CLEANUP_PROMPT_VERSION = 'post-cleanup-v1';
export const CLEANUP_SCHEMA_NAME = 'post_cleanup';

export function cleanupMessages(post: string): LlmMessage[] {
  return [
    {
      role: 'system',
      content:
        'You clean social media posts. Remove noise (links, markup, hashtags that carry no meaning, signatures, ' +
        'repeated characters, advertising boilerplate) and fix obvious typos. Keep the meaning, the first-person ' +
        'voice and every personal detail the author states. Do not add anything. Answer with JSON {"text": "..."}.',
    },
    { role: 'user', content: `<post>\n${post}\n</post>` },
  ];
}
