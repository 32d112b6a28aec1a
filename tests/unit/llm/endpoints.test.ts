import { afterEach, describe, expect, it } from 'vitest';
import type { Lease } from '@/lib/llm/endpoint';
import { EndpointScheduler } from '@/lib/llm/endpoints';

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['LLM_ENDPOINT_FAILURES', 'LLM_ENDPOINT_REST_MS', 'LLM_ENDPOINT_MAX_REST_MS']) delete process.env[k];
  Object.assign(process.env, saved);
});

/** A scheduler on a hand-moved clock. */
function setup(limits: Array<number | null>) {
  let t = 1_000_000;
  const s = new EndpointScheduler(() => t);
  const eps = s.endpointsFor('generator', limits.map((concurrency, i) => ({ url: `http://e${i}/v1`, concurrency })));
  return { s, eps, advance: (ms: number) => ((t += ms), s.pump()), now: () => t };
}

describe('EndpointScheduler', () => {
  it('fills the least-loaded endpoint first, in proportion to the limits, and never beyond a limit', async () => {
    const { s, eps } = setup([1, 2]);
    const leases: Lease[] = [];
    for (let i = 0; i < 3; i++) leases.push(await s.acquire(eps));
    expect(eps.map((e) => e.inFlight)).toEqual([1, 2]);
    let fourth: Lease | null = null;
    void s.acquire(eps).then((l) => (fourth = l));
    await Promise.resolve();
    expect(fourth).toBeNull();
    expect(s.waiting).toBe(1);
    leases[0]!.done({ kind: 'ok' });
    await Promise.resolve();
    expect(fourth!.endpoint).toBe(eps[0]);
    expect(eps.map((e) => e.inFlight)).toEqual([1, 2]);
  });

  it('a retry prefers an endpoint that has not failed it', async () => {
    const { s, eps } = setup([4, 4]);
    const l = await s.acquire(eps, { avoid: new Set([eps[0]!]) });
    expect(l.endpoint).toBe(eps[1]);
  });

  it('circuit breaker: rests after N failures in a row, doubles the rest, half-open lets one call try, success closes', async () => {
    process.env.LLM_ENDPOINT_FAILURES = '2';
    process.env.LLM_ENDPOINT_REST_MS = '1000';
    process.env.LLM_ENDPOINT_MAX_REST_MS = '3000';
    const { s, eps, advance, now } = setup([4]);
    const e = eps[0]!;
    const fail = async () => (await s.acquire(eps)).done({ kind: 'failure', error: 'ECONNREFUSED' });
    await fail();
    expect(e.circuit).toBe('closed');
    await fail();
    expect(e.state(now())).toEqual({ state: 'resting', until: now() + 1000 });
    // resting: a call waits
    let got: Lease | null = null;
    void s.acquire(eps).then((l) => (got = l));
    advance(999);
    await Promise.resolve();
    expect(got).toBeNull();
    advance(1);
    await Promise.resolve();
    expect(got).not.toBeNull();
    expect(e.circuit).toBe('half-open');
    // half-open: only one call at a time
    let other: Lease | null = null;
    void s.acquire(eps).then((l) => (other = l));
    await Promise.resolve();
    expect(other).toBeNull();
    got!.done({ kind: 'failure', error: 'HTTP 500' });
    expect(e.state(now())).toEqual({ state: 'resting', until: now() + 2000 });
    advance(2000);
    await Promise.resolve();
    expect(other).not.toBeNull();
    other!.done({ kind: 'failure', error: 'HTTP 500' });
    // capped at the maximum rest
    expect(e.state(now()).until).toBe(now() + 3000);
    advance(3000);
    const ok = await s.acquire(eps);
    ok.done({ kind: 'ok' });
    expect(e.circuit).toBe('closed');
    expect(e.rests).toBe(0);
    expect(e.state(now()).state).toBe('ok');
  });

  it('a 429 pauses only that endpoint for the time asked; a cancelled probe lets the next call try', async () => {
    const { s, eps, advance, now } = setup([1, 1]);
    const a = await s.acquire(eps);
    expect(a.endpoint).toBe(eps[0]);
    a.done({ kind: 'rate-limited', pauseMs: 5000, error: 'HTTP 429' });
    expect(eps[0]!.state(now())).toEqual({ state: 'rate-limited', until: now() + 5000 });
    const b = await s.acquire(eps);
    expect(b.endpoint).toBe(eps[1]);
    b.done({ kind: 'ok' });
    expect((await s.acquire([eps[1]!])).endpoint).toBe(eps[1]);
    advance(5000);
    expect(eps[0]!.state(now()).state).toBe('ok');

    process.env.LLM_ENDPOINT_FAILURES = '1';
    const f = await s.acquire([eps[0]!]);
    f.done({ kind: 'failure', error: 'x' });
    advance(10_000);
    const probe = await s.acquire([eps[0]!]);
    probe.done({ kind: 'neutral' });
    const next = await s.acquire([eps[0]!]);
    expect(next.endpoint).toBe(eps[0]);
  });

  it('an aborted waiter leaves the queue', async () => {
    const { s, eps } = setup([1]);
    await s.acquire(eps);
    const c = new AbortController();
    const p = s.acquire(eps, { signal: c.signal });
    expect(s.waiting).toBe(1);
    c.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(s.waiting).toBe(0);
  });
});
