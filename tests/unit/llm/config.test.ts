import { describe, expect, it } from 'vitest';
import { LlmConfigError, llmRoleConfig, llmStatus, parseEndpointList } from '@/lib/llm/config';
import { retryAfterMs } from '@/lib/llm/call';

const base = { LLM_MODEL: 'm' };
const cfg = (vars: Record<string, string>, role: 'generator' | 'critic' | 'embedder' = 'generator') => llmRoleConfig(role, { ...base, ...vars });
const err = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LlmConfigError);
    return (e as Error).message;
  }
  throw new Error('expected an LlmConfigError');
};

describe('LLM endpoint lists', () => {
  it('one URL is one endpoint with the default concurrency and the common key', () => {
    const c = cfg({ LLM_BASE_URL: 'http://localhost:11434/v1', LLM_API_KEY: 'k' })!;
    expect(c.endpoints).toEqual([{ url: 'http://localhost:11434/v1', concurrency: null, apiKey: 'k' }]);
    expect(c.baseURL).toBe('http://localhost:11434/v1');
    expect(c.variable).toBe('LLM_BASE_URL');
  });

  it('a comma-separated list with |N per endpoint and keys in the same order', () => {
    const c = cfg({
      LLM_BASE_URL: ' http://a:8000/v1|4 , https://b.example/v1|16,http://c:11434/v1 ',
      LLM_API_KEYS: 'ka,,kc',
      LLM_API_KEY: 'shared',
    })!;
    expect(c.endpoints).toEqual([
      { url: 'http://a:8000/v1', concurrency: 4, apiKey: 'ka' },
      { url: 'https://b.example/v1', concurrency: 16, apiKey: 'shared' },
      { url: 'http://c:11434/v1', concurrency: null, apiKey: 'kc' },
    ]);
    expect(c.baseURL).toBe('http://a:8000/v1,https://b.example/v1,http://c:11434/v1');
  });

  it('LLM_BASE_URLS and LLM_<ROLE>_BASE_URLS are accepted; a role list takes its own keys', () => {
    expect(cfg({ LLM_BASE_URLS: 'http://a/v1,http://b/v1' })!.endpoints).toHaveLength(2);
    const critic = cfg({ LLM_BASE_URL: 'http://a/v1', LLM_CRITIC_BASE_URLS: 'http://x/v1|2,http://y/v1', LLM_CRITIC_API_KEYS: 'kx,ky', LLM_API_KEYS: 'ka' }, 'critic')!;
    expect(critic.variable).toBe('LLM_CRITIC_BASE_URLS');
    expect(critic.endpoints.map((e) => [e.url, e.concurrency, e.apiKey])).toEqual([
      ['http://x/v1', 2, 'kx'],
      ['http://y/v1', null, 'ky'],
    ]);
    // other roles keep the common list
    expect(cfg({ LLM_BASE_URL: 'http://a/v1', LLM_CRITIC_BASE_URLS: 'http://x/v1' })!.endpoints.map((e) => e.url)).toEqual(['http://a/v1']);
  });

  it('no model or no URL is "not configured", not an error', () => {
    expect(llmRoleConfig('generator', { LLM_BASE_URL: 'http://a/v1' })).toBeNull();
    expect(llmRoleConfig('generator', { LLM_MODEL: 'm' })).toBeNull();
    expect(cfg({ LLM_BASE_URL: 'not a url' }, 'embedder')).toBeNull();
  });

  it('errors name the variable and the position, never the URL or a key', () => {
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1,,http://b/v1' }))).toBe(
      'LLM_BASE_URL, endpoint 2 of 3: empty entry (two commas in a row, or a comma at the start or end).',
    );
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1,' }))).toMatch(/^LLM_BASE_URL, endpoint 2 of 2: empty entry/);
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1|4,secret-host:8000/v1' }))).toBe(
      'LLM_BASE_URL, endpoint 2 of 2: not an http(s) URL (expected e.g. http://localhost:11434/v1).',
    );
    expect(err(() => cfg({ LLM_BASE_URL: 'ftp://a/v1' }))).toMatch(/^LLM_BASE_URL: not an http\(s\) URL/);
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1|4,http://b/v1|x' }))).toBe(
      'LLM_BASE_URL, endpoint 2 of 2: the number after "|" (calls at once) must be a whole number from 1 to 1024, not "x".',
    );
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1|0' }))).toMatch(/^LLM_BASE_URL: the number after "\|".*not "0"/);
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1|2.5' }))).toMatch(/not "2.5"/);
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1|5000' }))).toMatch(/from 1 to 1024/);
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1|2|3' }))).toMatch(/^LLM_BASE_URL: more than one "\|"/);
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1,http://b/v1,http://a/v1/' }))).toBe('LLM_BASE_URL: endpoints 1 and 3 are the same URL.');
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1', LLM_BASE_URLS: 'http://b/v1' }))).toBe('Set LLM_BASE_URL or LLM_BASE_URLS, not both.');
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1,http://b/v1', LLM_API_KEYS: 'sk-secret-1,sk-secret-2,sk-secret-3' }))).toBe(
      'LLM_API_KEYS lists 3 keys but LLM_BASE_URL lists 2 endpoints: give one entry per endpoint, in the same order (an empty entry uses LLM_API_KEY).',
    );
    expect(err(() => cfg({ LLM_BASE_URL: 'http://a/v1', LLM_CRITIC_API_KEYS: 'k' }, 'critic'))).toMatch(/^LLM_CRITIC_API_KEYS is set but LLM_CRITIC_BASE_URL is not/);
    expect(err(() => cfg({ LLM_GENERATOR_BASE_URL: 'http://g/v1|-1' }))).toMatch(/^LLM_GENERATOR_BASE_URL: the number after/);
    for (const m of [err(() => cfg({ LLM_BASE_URL: 'http://secret-host/v1|x' })), err(() => cfg({ LLM_BASE_URL: 'http://a/v1', LLM_API_KEYS: 'sk-secret,b' }))]) {
      expect(m).not.toMatch(/secret/);
    }
  });

  it('parseEndpointList on its own', () => {
    expect(parseEndpointList('X', 'http://a:1/v1|3')).toEqual([{ url: 'http://a:1/v1', concurrency: 3 }]);
  });

  it('llmStatus reports an invalid role with its error and hides URLs unless details', () => {
    const source = { ...base, LLM_BASE_URL: 'http://a/v1|2,http://b/v1', LLM_CRITIC_BASE_URL: 'http://c/v1|nope' };
    const s = llmStatus({ source });
    const gen = s.roles.find((r) => r.role === 'generator')!;
    expect(gen).toMatchObject({ configured: true, baseURL: null, error: null });
    expect(gen.endpoints.map((e) => [e.index, e.url, e.concurrency, e.state, e.until])).toEqual([
      [1, null, 2, 'ok', null],
      [2, null, 4, 'ok', null],
    ]);
    const critic = s.roles.find((r) => r.role === 'critic')!;
    expect(critic).toMatchObject({ configured: false, endpoints: [] });
    expect(critic.error).toMatch(/^LLM_CRITIC_BASE_URL: the number after/);
    expect(JSON.stringify(s)).not.toMatch(/https?:\/\//);
    const d = llmStatus({ source, details: true }).roles.find((r) => r.role === 'generator')!;
    expect(d.baseURL).toBe('http://a/v1,http://b/v1');
    expect(d.endpoints.map((e) => e.url)).toEqual(['http://a/v1', 'http://b/v1']);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, caps at 10 minutes and ignores garbage', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0')).toBe(0);
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs('99999')).toBe(600_000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
  });
});
