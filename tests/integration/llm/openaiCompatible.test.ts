import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useFreshDatabase } from '../../support/db';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakeOpenaiServer';
import { getLlmCallById } from '@/db/queries/llmCalls';
import { callLlmObject, callLlmText, clearModelOverrides, embedTexts, streamLlmText } from '@/lib/llm';

let env: ReturnType<typeof useFreshDatabase>;
let server: FakeServer;
const saved = { ...process.env };

beforeAll(async () => {
  env = useFreshDatabase();
  clearModelOverrides();
  server = await startFakeOpenAiServer();
  process.env.LLM_BASE_URL = server.url;
  process.env.LLM_MODEL = 'fake-chat';
  process.env.LLM_EMBEDDER_MODEL = 'fake-embed';
  process.env.LLM_API_KEY = 'test-key';
});
afterAll(async () => {
  for (const k of ['LLM_BASE_URL', 'LLM_MODEL', 'LLM_EMBEDDER_MODEL', 'LLM_API_KEY']) delete process.env[k];
  Object.assign(process.env, saved);
  await server.close();
  env.cleanup();
});

const msgs = (content: string) => [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content },
];

describe('the real OpenAI-compatible provider against a local server', () => {
  it('non-streaming text', async () => {
    const r = await callLlmText({ role: 'generator', promptVersion: 'echo-v1', messages: msgs('hello there') });
    expect(r.text).toBe('echo: hello there');
    expect(r.model).toBe('fake-chat');
    const row = getLlmCallById({ db: env.db, id: r.callId })!;
    expect(row.tokensIn).toBeGreaterThan(0);
    expect(server.requests.at(-1)!.messages[0]!.role).toBe('system');
  });

  it('structured output through json_schema, validated by zod', async () => {
    const schema = z.object({ answer: z.number().int().min(1).max(5) });
    const r = await callLlmObject({
      role: 'responder',
      promptVersion: 'item-v1',
      messages: msgs('<persona>A quiet gardener.</persona>\n<item id="E1">I am the life of the party.</item>'),
      schema,
      schemaName: 'item_answer',
      temperature: 0,
    });
    expect(r.value.answer).toBeGreaterThanOrEqual(1);
    expect(r.value.answer).toBeLessThanOrEqual(5);
    const sent = server.requests.at(-1)!;
    expect(sent.response_format?.type).toBe('json_schema');
    expect(sent.response_format?.json_schema?.name).toBe('item_answer');
    expect(sent.temperature).toBe(0);
  });

  it('streaming text arrives in pieces and is recorded whole', async () => {
    const deltas: string[] = [];
    const r = await streamLlmText({ role: 'generator', promptVersion: 'echo-v1', messages: msgs('a somewhat longer message to stream'), onDelta: (d) => deltas.push(d) });
    expect(r.text).toBe('echo: a somewhat longer message to stream');
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe(r.text);
    expect(server.requests.at(-1)!.stream).toBe(true);
    const cached = await streamLlmText({ role: 'generator', promptVersion: 'echo-v1', messages: msgs('a somewhat longer message to stream') });
    expect(cached.cached).toBe(true);
  });

  it('embeddings', async () => {
    const [a, b, a2] = await embedTexts({ texts: ['one text', 'another text', 'one text'] });
    expect(a).toHaveLength(8);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 6);
    expect(a2).toEqual(a);
    expect(b).not.toEqual(a);
    expect(server.counts.embeddings).toBe(2);
  });

  it('429 then success is retried; a rerun is served from the cache', async () => {
    server.failNext(429, 1);
    server.failNext(500, 1);
    const before = server.requests.length;
    const r = await callLlmText({ role: 'critic', promptVersion: 'echo-v1', messages: msgs('after failures'), backoffMs: 5 });
    expect(r.text).toBe('echo: after failures');
    expect(server.counts.fail429).toBe(1);
    expect(server.counts.fail500).toBe(1);
    const again = await callLlmText({ role: 'critic', promptVersion: 'echo-v1', messages: msgs('after failures') });
    expect(again.cached).toBe(true);
    expect(server.requests.length).toBe(before + 1);
  });
});
