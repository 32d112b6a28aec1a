import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { LlmNotice } from '@/components/LlmNotice';
import { endpointScheduler } from '@/lib/llm/endpoints';

const VARS = ['LLM_BASE_URL', 'LLM_MODEL', 'LLM_CRITIC_BASE_URL', 'LLM_ENDPOINT_FAILURES', 'LLM_ENDPOINT_REST_MS'];
const saved = { ...process.env };
afterEach(() => {
  for (const k of VARS) delete process.env[k];
  Object.assign(process.env, saved);
});

describe('the LLM notice', () => {
  it('lists each endpoint by position with its state, never its URL, and names configuration errors', async () => {
    for (const k of VARS) delete process.env[k];
    process.env.LLM_MODEL = 'm';
    process.env.LLM_BASE_URL = 'http://notice-a.internal:8000/v1|2,http://notice-b.internal:8000/v1';
    process.env.LLM_CRITIC_BASE_URL = 'http://notice-c.internal/v1|many';
    process.env.LLM_ENDPOINT_FAILURES = '1';
    process.env.LLM_ENDPOINT_REST_MS = '60000';
    const s = endpointScheduler();
    const [a] = s.endpointsFor('generator', [{ url: 'http://notice-a.internal:8000/v1', concurrency: 2 }]);
    (await s.acquire([a!])).done({ kind: 'failure', error: 'ECONNREFUSED' });
    const html = renderToStaticMarkup(LlmNotice());
    expect(html).toContain('generator = m (2 endpoints: #1 resting until ');
    expect(html).toContain('#2 ok');
    expect(html).toContain('critic: LLM_CRITIC_BASE_URL: the number after');
    expect(html).not.toContain('internal');
  });
});
