import { APICallError } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useFreshDatabase } from '../../support/db';
import { countLlmCalls, getLlmCallById } from '@/db/queries/llmCalls';
import {
  callLlmObject,
  callLlmText,
  clearModelOverrides,
  getModel,
  Limiter,
  LlmCallError,
  LlmNotConfiguredError,
  setLlmConcurrency,
  setModelOverride,
} from '@/lib/llm';

let env: ReturnType<typeof useFreshDatabase>;
beforeAll(() => {
  env = useFreshDatabase();
});
afterAll(() => env.cleanup());
afterEach(() => clearModelOverrides());

function usage(i = 10, o = 5) {
  return {
    inputTokens: { total: i, noCache: i, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: o, text: o, reasoning: undefined },
  };
}
function answer(text: string) {
  return { content: [{ type: 'text' as const, text }], finishReason: { unified: 'stop' as const, raw: 'stop' }, usage: usage(), warnings: [] };
}
function apiError(status: number) {
  return new APICallError({ message: `status ${status}`, url: 'http://x/v1/chat/completions', requestBodyValues: {}, statusCode: status, isRetryable: status === 429 || status >= 500 });
}

const schema = z.object({ answer: z.number().int().min(1).max(5) });
const msgs = (q: string) => [
  { role: 'system' as const, content: 'You answer questionnaires.' },
  { role: 'user' as const, content: q },
];

describe('callLlmObject', () => {
  it('validates the structured answer, records the call and serves a rerun from the cache', async () => {
    let calls = 0;
    setModelOverride('responder', new MockLanguageModelV3({ modelId: 'mock-a', doGenerate: async () => (calls++, answer('{"answer":4}')) }));
    const first = await callLlmObject({ role: 'responder', promptVersion: 'item-v1', messages: msgs('I am the life of the party.'), schema, temperature: 0.7 });
    expect(first.value).toEqual({ answer: 4 });
    expect(first.cached).toBe(false);
    const row = getLlmCallById({ db: env.db, id: first.callId })!;
    expect(row.model).toBe('mock-a');
    expect(row.promptVersion).toBe('item-v1');
    expect(row.tokensIn).toBe(10);
    expect(row.tokensOut).toBe(5);
    expect(row.latencyMs).toBeGreaterThanOrEqual(0);
    expect((row.params as { temperature: number }).temperature).toBe(0.7);

    const again = await callLlmObject({ role: 'responder', promptVersion: 'item-v1', messages: msgs('I am the life of the party.'), schema, temperature: 0.7 });
    expect(again.cached).toBe(true);
    expect(again.callId).toBe(first.callId);
    expect(again.value).toEqual({ answer: 4 });
    expect(calls).toBe(1);
  });

  it('keeps repetitions, temperatures and prompt versions apart in the cache', async () => {
    let calls = 0;
    setModelOverride('responder', new MockLanguageModelV3({ modelId: 'mock-b', doGenerate: async () => answer(`{"answer":${(calls++ % 5) + 1}}`) }));
    const base = { role: 'responder' as const, promptVersion: 'item-v1', messages: msgs('I worry about things.'), schema };
    const r0 = await callLlmObject({ ...base, temperature: 1, repetition: 0 });
    const r1 = await callLlmObject({ ...base, temperature: 1, repetition: 1 });
    const t0 = await callLlmObject({ ...base, temperature: 0, repetition: 0 });
    const v2 = await callLlmObject({ ...base, promptVersion: 'item-v2', temperature: 1, repetition: 0 });
    expect(new Set([r0.callId, r1.callId, t0.callId, v2.callId]).size).toBe(4);
    expect(calls).toBe(4);
    expect((await callLlmObject({ ...base, temperature: 1, repetition: 1 })).value).toEqual(r1.value);
    expect(calls).toBe(4);
  });

  it('retries a malformed answer, then records the failure with the raw text', async () => {
    let calls = 0;
    setModelOverride('responder', new MockLanguageModelV3({ modelId: 'mock-c', doGenerate: async () => (calls++, answer('I would say "agree", so 4?')) }));
    const err = await callLlmObject({ role: 'responder', promptVersion: 'item-v1', messages: msgs('bad'), schema, malformedRetries: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(LlmCallError);
    expect(err.kind).toBe('malformed');
    expect(err.raw).toBe('I would say "agree", so 4?');
    expect(calls).toBe(3);
    const row = getLlmCallById({ db: env.db, id: err.callId })!;
    expect(row.response).toBe('I would say "agree", so 4?');
    expect(row.error).toMatch(/^malformed/);
  });

  it('rejects answers outside the scale (strict parsing to 1-5)', async () => {
    setModelOverride('responder', new MockLanguageModelV3({ modelId: 'mock-d', doGenerate: async () => answer('{"answer":6}') }));
    const err = await callLlmObject({ role: 'responder', promptVersion: 'item-v1', messages: msgs('six'), schema, malformedRetries: 0 }).catch((e) => e);
    expect(err.kind).toBe('malformed');
  });

  it('a malformed first answer followed by a good one succeeds', async () => {
    let calls = 0;
    setModelOverride('responder', new MockLanguageModelV3({ modelId: 'mock-e', doGenerate: async () => answer(calls++ === 0 ? 'nope' : '{"answer":2}') }));
    const r = await callLlmObject({ role: 'responder', promptVersion: 'item-v1', messages: msgs('retry'), schema });
    expect(r.value.answer).toBe(2);
  });
});

describe('retries, timeouts, cancellation and concurrency', () => {
  it('retries 429 and 5xx with backoff, then succeeds', async () => {
    const seq = [apiError(429), apiError(503)];
    const times: number[] = [];
    setModelOverride('generator', new MockLanguageModelV3({
      modelId: 'mock-f',
      doGenerate: async () => {
        times.push(Date.now());
        const e = seq.shift();
        if (e) throw e;
        return answer('hello');
      },
    }));
    const r = await callLlmText({ role: 'generator', promptVersion: 't-v1', messages: msgs('hi'), backoffMs: 40 });
    expect(r.text).toBe('hello');
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(25);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(55);
  });

  it('gives up after maxRetries and records the error; does not retry a 400', async () => {
    let calls = 0;
    setModelOverride('generator', new MockLanguageModelV3({ modelId: 'mock-g', doGenerate: async () => { calls++; throw apiError(500); } }));
    const err = await callLlmText({ role: 'generator', promptVersion: 't-v1', messages: msgs('x'), backoffMs: 1, maxRetries: 2 }).catch((e) => e);
    expect(err.kind).toBe('transient');
    expect(calls).toBe(3);
    expect(getLlmCallById({ db: env.db, id: err.callId })!.error).toMatch(/HTTP 500/);

    calls = 0;
    setModelOverride('generator', new MockLanguageModelV3({ modelId: 'mock-h', doGenerate: async () => { calls++; throw apiError(400); } }));
    const bad = await callLlmText({ role: 'generator', promptVersion: 't-v1', messages: msgs('x'), backoffMs: 1 }).catch((e) => e);
    expect(bad.kind).toBe('fatal');
    expect(calls).toBe(1);
  });

  it('times out a slow call and retries it', async () => {
    let calls = 0;
    setModelOverride('generator', new MockLanguageModelV3({
      modelId: 'mock-i',
      doGenerate: async ({ abortSignal }) => {
        calls++;
        if (calls === 1) {
          await new Promise((_, reject) => abortSignal?.addEventListener('abort', () => reject(abortSignal.reason)));
        }
        return answer('late but fine');
      },
    }));
    const r = await callLlmText({ role: 'generator', promptVersion: 't-v1', messages: msgs('slow'), timeoutMs: 50, backoffMs: 1 });
    expect(r.text).toBe('late but fine');
    expect(calls).toBe(2);
  });

  it('cancels through the signal without recording a failure', async () => {
    setModelOverride('generator', new MockLanguageModelV3({
      modelId: 'mock-j',
      doGenerate: async ({ abortSignal }) =>
        new Promise((_, reject) => abortSignal?.addEventListener('abort', () => reject(abortSignal.reason))),
    }));
    const before = countLlmCalls({ db: env.db }).total;
    const controller = new AbortController();
    const p = callLlmText({ role: 'generator', promptVersion: 't-v1', messages: msgs('cancel me'), signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 20);
    await expect(p).rejects.toThrow('user cancelled');
    expect(countLlmCalls({ db: env.db }).total).toBe(before);
  });

  it('never runs more calls at once than the concurrency limit', async () => {
    setLlmConcurrency(2);
    let running = 0;
    let peak = 0;
    setModelOverride('generator', new MockLanguageModelV3({
      modelId: 'mock-k',
      doGenerate: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 15));
        running--;
        return answer('ok');
      },
    }));
    await Promise.all(Array.from({ length: 8 }, (_, i) => callLlmText({ role: 'generator', promptVersion: 't-v1', messages: msgs(`q${i}`) })));
    expect(peak).toBe(2);
    setLlmConcurrency(4);
  });

  it('Limiter releases waiters in order and rejects a waiter whose signal aborts', async () => {
    const l = new Limiter(1);
    const r1 = await l.acquire();
    const c = new AbortController();
    const waiting = l.acquire(c.signal);
    c.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    r1();
    const r2 = await l.acquire();
    expect(l.running).toBe(1);
    r2();
  });
});

describe('configuration', () => {
  it('says clearly when no model is configured', () => {
    const saved = { ...process.env };
    delete process.env.LLM_BASE_URL;
    delete process.env.LLM_MODEL;
    delete process.env.LLM_CRITIC_MODEL;
    delete process.env.LLM_CRITIC_BASE_URL;
    try {
      expect(() => getModel('critic')).toThrow(LlmNotConfiguredError);
      expect(() => getModel('critic')).toThrow(/LLM_BASE_URL/);
    } finally {
      Object.assign(process.env, saved);
    }
  });

  it('builds an OpenAI-compatible model from the environment with per-role overrides', () => {
    const saved = { ...process.env };
    process.env.LLM_BASE_URL = 'http://127.0.0.1:9/v1';
    process.env.LLM_MODEL = 'base-model';
    process.env.LLM_CRITIC_MODEL = 'critic-model';
    try {
      expect(getModel('generator').modelId).toBe('base-model');
      expect(getModel('critic').modelId).toBe('critic-model');
    } finally {
      for (const k of ['LLM_BASE_URL', 'LLM_MODEL', 'LLM_CRITIC_MODEL']) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
