/**
 * Several endpoints per role, against real local OpenAI-compatible servers (real HTTP, no fetch mocks): spreading,
 * per-endpoint concurrency counted on the server side, 429 pauses, resting dead endpoints, recovery, waiting when
 * every endpoint rests, and callers sharing one in-flight request with their own signals.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useFreshDatabase } from '../../support/db';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakeOpenaiServer';
import { countLlmCalls } from '@/db/queries/llmCalls';
import { callLlmText, clearModelOverrides, endpointScheduler, llmStatus } from '@/lib/llm';
import { getPipelineState } from '@/lib/pipeline/service';

let env: ReturnType<typeof useFreshDatabase>;
const saved = { ...process.env };
const VARS = ['LLM_BASE_URL', 'LLM_MODEL', 'LLM_API_KEY', 'LLM_API_KEYS', 'LLM_ENDPOINT_FAILURES', 'LLM_ENDPOINT_REST_MS', 'LLM_ENDPOINT_MAX_REST_MS', 'LLM_CONCURRENCY'];
let servers: FakeServer[] = [];
let run = 0;

beforeAll(() => {
  env = useFreshDatabase();
  clearModelOverrides();
});
afterAll(() => {
  for (const k of VARS) delete process.env[k];
  Object.assign(process.env, saved);
  env.cleanup();
});
beforeEach(() => {
  run++;
  for (const k of VARS) delete process.env[k];
  process.env.LLM_MODEL = 'fake-chat';
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function start(n: number, latencyMs = 0): Promise<FakeServer[]> {
  const out = await Promise.all(Array.from({ length: n }, () => startFakeOpenAiServer({ latencyMs })));
  servers.push(...out);
  return out;
}

/** A distinct request per test and index (no cache hits across tests). */
const ask = (i: number | string, extra: Partial<Parameters<typeof callLlmText>[0]> = {}) =>
  callLlmText({ role: 'generator', promptVersion: 'multi-v1', messages: [{ role: 'user', content: `run ${run} question ${i}` }], backoffMs: 5, ...extra });

const endpointsOf = () => llmStatus({ details: true }).roles.find((r) => r.role === 'generator')!.endpoints;
const stateOf = (s: FakeServer) => endpointsOf().find((e) => e.url === s.url)!;
const answered = (s: FakeServer) => s.requests.length;

async function until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('several endpoints per role', () => {
  it('spreads calls over every endpoint and never exceeds an endpoint\'s concurrency (counted by the servers)', async () => {
    const [a, b, c] = await start(3, 30);
    process.env.LLM_CONCURRENCY = '4';
    process.env.LLM_BASE_URL = `${a!.url}|2,${b!.url}|3,${c!.url}`;
    const results = await Promise.all(Array.from({ length: 45 }, (_, i) => ask(i)));
    expect(results.every((r) => r.text.startsWith('echo: run'))).toBe(true);
    expect(answered(a!) + answered(b!) + answered(c!)).toBe(45);
    for (const s of [a!, b!, c!]) expect(answered(s)).toBeGreaterThanOrEqual(5);
    expect(a!.maxInFlight).toBeLessThanOrEqual(2);
    expect(b!.maxInFlight).toBeLessThanOrEqual(3);
    expect(c!.maxInFlight).toBeLessThanOrEqual(4);
    // the scheduler filled every endpoint up to its limit
    const sched = endpointScheduler();
    expect([a!, b!, c!].map((s) => sched.find(s.url)!.peakInFlight)).toEqual([2, 3, 4]);
    // in proportion to the limits: the endpoint taking 4 at once answered more than the one taking 2
    expect(answered(c!)).toBeGreaterThan(answered(a!));
    expect(endpointsOf().map((e) => [e.index, e.concurrency, e.state])).toEqual([
      [1, 2, 'ok'],
      [2, 3, 'ok'],
      [3, 4, 'ok'],
    ]);
  });

  it('the call cache is keyed on the request, not the endpoint: another server answers nothing for a stored call', async () => {
    const [a, b] = await start(2);
    process.env.LLM_BASE_URL = a!.url;
    const first = await ask('cached');
    expect(first.cached).toBe(false);
    process.env.LLM_BASE_URL = b!.url;
    const again = await ask('cached');
    expect(again.cached).toBe(true);
    expect(again.callId).toBe(first.callId);
    expect(b!.received).toBe(0);
  });

  it('a 429 with Retry-After pauses that endpoint for the time asked while the other takes the calls', async () => {
    const [a, b] = await start(2, 10);
    a!.setMode('rate-limited', { retryAfterSeconds: 30 });
    process.env.LLM_BASE_URL = `${a!.url}|2,${b!.url}|2`;
    const before = Date.now();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => ask(i)));
    expect(results).toHaveLength(12);
    expect(answered(b!)).toBe(12);
    // at most the calls already sent when the first 429 came back
    expect(a!.counts.mode429).toBeGreaterThanOrEqual(1);
    expect(a!.received).toBeLessThanOrEqual(2);
    const view = stateOf(a!);
    expect(view.state).toBe('rate-limited');
    const until = Date.parse(view.until!);
    expect(until).toBeGreaterThan(before + 25_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 30_000);
    expect(stateOf(b!).state).toBe('ok');
    expect(countLlmCalls({ db: env.db }).failed).toBe(0);
  });

  it('a rate-limited endpoint is used again once its pause is over', async () => {
    const [a, b] = await start(2, 10);
    a!.setMode('rate-limited', { retryAfterSeconds: 1 });
    process.env.LLM_BASE_URL = `${a!.url}|2,${b!.url}|2`;
    await Promise.all(Array.from({ length: 6 }, (_, i) => ask(`p${i}`)));
    expect(answered(a!)).toBe(0);
    expect(stateOf(a!).state).toBe('rate-limited');
    a!.setMode('ok');
    await until(() => stateOf(a!).state === 'ok', 'the pause to end');
    await Promise.all(Array.from({ length: 8 }, (_, i) => ask(`q${i}`)));
    expect(answered(a!)).toBeGreaterThan(0);
  });

  it('an endpoint answering 500 is rested after repeated failures and the run completes on the others', async () => {
    const [a, b, c] = await start(3, 5);
    a!.setMode('error');
    process.env.LLM_ENDPOINT_FAILURES = '2';
    process.env.LLM_ENDPOINT_REST_MS = '60000';
    process.env.LLM_BASE_URL = `${a!.url}|2,${b!.url}|2,${c!.url}|2`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(i)));
    expect(results).toHaveLength(20);
    expect(answered(b!) + answered(c!)).toBe(20);
    expect(answered(a!)).toBe(0);
    // two failures in a row open the circuit; calls already in flight may add one more each
    expect(a!.counts.mode500).toBeGreaterThanOrEqual(2);
    expect(a!.counts.mode500).toBeLessThanOrEqual(3);
    const view = stateOf(a!);
    expect(view.state).toBe('resting');
    expect(Date.parse(view.until!)).toBeGreaterThan(Date.now() + 50_000);
    expect(view.lastError).toMatch(/HTTP 500/);
    expect(countLlmCalls({ db: env.db }).failed).toBe(0);
    // the pipeline state shows every endpoint's state to everyone, the URLs and last errors only with details (admins)
    const plain = getPipelineState(env.db).llm.roles.find((r) => r.role === 'generator')!;
    expect(plain.endpoints.map((e) => [e.index, e.url, e.state, e.lastError])).toEqual([
      [1, null, 'resting', null],
      [2, null, 'ok', null],
      [3, null, 'ok', null],
    ]);
    expect(JSON.stringify(getPipelineState(env.db).llm)).not.toMatch(/127\.0\.0\.1|https?:\/\//);
    const admin = getPipelineState(env.db, { details: true }).llm.roles.find((r) => r.role === 'generator')!;
    expect(admin.endpoints.map((e) => e.url)).toEqual([a!.url, b!.url, c!.url]);
  });

  it('a refused endpoint rests, the run completes on the other, and it is used again after its rest once it is back', async () => {
    const [a, b] = await start(2, 5);
    await a!.stop();
    process.env.LLM_ENDPOINT_FAILURES = '1';
    process.env.LLM_ENDPOINT_REST_MS = '300';
    process.env.LLM_BASE_URL = `${a!.url}|2,${b!.url}|2`;
    await Promise.all(Array.from({ length: 10 }, (_, i) => ask(`d${i}`)));
    expect(answered(b!)).toBe(10);
    expect(['resting', 'probing']).toContain(stateOf(a!).state);
    await a!.restart();
    await until(() => stateOf(a!).state !== 'resting', 'the rest to end');
    await Promise.all(Array.from({ length: 10 }, (_, i) => ask(`r${i}`)));
    expect(answered(a!)).toBeGreaterThan(0);
    expect(stateOf(a!).state).toBe('ok');
    expect(countLlmCalls({ db: env.db }).failed).toBe(0);
  });

  it('when every endpoint rests a call waits (it does not fail) and goes on when one comes back', async () => {
    const [a, b] = await start(2);
    await a!.stop();
    await b!.stop();
    process.env.LLM_ENDPOINT_FAILURES = '1';
    process.env.LLM_ENDPOINT_REST_MS = '200';
    process.env.LLM_BASE_URL = `${a!.url},${b!.url}`;
    let settled = false;
    const p = ask('waits', { maxRetries: 20 }).finally(() => (settled = true));
    await until(() => endpointScheduler().waiting > 0, 'the call to wait for an endpoint');
    expect(settled).toBe(false);
    await b!.restart();
    const r = await p;
    expect(r.text).toBe(`echo: run ${run} question waits`);
    expect(answered(b!)).toBe(1);
  });

  it('abort while every endpoint rests rejects promptly', async () => {
    const [a, b] = await start(2);
    await a!.stop();
    await b!.stop();
    process.env.LLM_ENDPOINT_FAILURES = '1';
    process.env.LLM_ENDPOINT_REST_MS = '120000';
    process.env.LLM_BASE_URL = `${a!.url},${b!.url}`;
    const controller = new AbortController();
    const failedBefore = countLlmCalls({ db: env.db }).total;
    const p = ask('abort', { signal: controller.signal, maxRetries: 20 });
    p.catch(() => undefined);
    await until(() => endpointScheduler().waiting > 0 && endpointsOf().every((e) => e.state === 'resting'), 'both endpoints to rest');
    const t0 = Date.now();
    controller.abort(new Error('cancelled by the user'));
    await expect(p).rejects.toThrow('cancelled by the user');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(endpointScheduler().waiting).toBe(0);
    expect(countLlmCalls({ db: env.db }).total).toBe(failedBefore);
  });
});

describe('callers sharing one in-flight request', () => {
  it('the first caller aborting does not fail the second, which gets the answer of the one request', async () => {
    const [a] = await start(1, 300);
    process.env.LLM_BASE_URL = a!.url;
    const c1 = new AbortController();
    const c2 = new AbortController();
    const first = ask('shared', { signal: c1.signal });
    const second = ask('shared', { signal: c2.signal });
    first.catch(() => undefined);
    await until(() => a!.inFlight === 1, 'the request to reach the server');
    c1.abort(new Error('first caller left'));
    await expect(first).rejects.toThrow('first caller left');
    const r = await second;
    expect(r.text).toBe(`echo: run ${run} question shared`);
    expect(a!.received).toBe(1);
  });

  it('a second caller\'s own signal is respected while the first caller gets its answer', async () => {
    const [a] = await start(1, 300);
    process.env.LLM_BASE_URL = a!.url;
    const c2 = new AbortController();
    const first = ask('own-signal');
    const second = ask('own-signal', { signal: c2.signal });
    second.catch(() => undefined);
    await until(() => a!.inFlight === 1, 'the request to reach the server');
    c2.abort(new Error('second caller left'));
    await expect(second).rejects.toThrow('second caller left');
    expect((await first).text).toBe(`echo: run ${run} question own-signal`);
    expect(a!.received).toBe(1);
  });

  it('the request is cancelled when every caller has aborted, and nothing is recorded', async () => {
    const [a] = await start(1, 2000);
    process.env.LLM_BASE_URL = a!.url;
    const before = countLlmCalls({ db: env.db }).total;
    const c1 = new AbortController();
    const c2 = new AbortController();
    const first = ask('all-leave', { signal: c1.signal });
    const second = ask('all-leave', { signal: c2.signal });
    first.catch(() => undefined);
    second.catch(() => undefined);
    await until(() => a!.inFlight === 1, 'the request to reach the server');
    c1.abort(new Error('one'));
    c2.abort(new Error('two'));
    await expect(first).rejects.toThrow('one');
    await expect(second).rejects.toThrow('two');
    // an identical request right after starts afresh instead of joining the cancelled one
    a!.setLatency(0);
    const again = await ask('all-leave');
    expect(again.text).toBe(`echo: run ${run} question all-leave`);
    expect(again.cached).toBe(false);
    await until(() => a!.inFlight === 0, 'the server to see the request cancelled');
    expect(countLlmCalls({ db: env.db }).total).toBe(before + 1);
  });
});
