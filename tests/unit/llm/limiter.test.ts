import { describe, expect, it } from 'vitest';
import { Limiter } from '@/lib/llm/limiter';

describe('Limiter', () => {
  it('never exceeds its limit when a woken waiter and a new acquire race for a released slot', async () => {
    const l = new Limiter(1);
    const first = await l.acquire();
    let waiterHas = false;
    const waiter = l.acquire().then((release) => ((waiterHas = true), release));
    // release wakes the waiter; a retry acquires in the same tick, before the waiter resumes
    first();
    let retryHas = false;
    const retry = l.acquire().then((release) => ((retryHas = true), release));
    const releaseWaiter = await waiter;
    await Promise.resolve();
    expect(l.running).toBe(1);
    expect(waiterHas).toBe(true);
    expect(retryHas).toBe(false);
    releaseWaiter();
    const releaseRetry = await retry;
    expect(l.running).toBe(1);
    releaseRetry();
    expect(l.running).toBe(0);
  });

  it('a raised limit wakes waiters; releasing twice frees one slot', async () => {
    const l = new Limiter(1);
    const a = await l.acquire();
    const b = l.acquire();
    l.limit = 2;
    const rb = await b;
    expect(l.running).toBe(2);
    a();
    a();
    expect(l.running).toBe(1);
    rb();
    expect(l.running).toBe(0);
  });

  it('an aborted waiter leaves the queue and its slot goes to the next one', async () => {
    const l = new Limiter(1);
    const a = await l.acquire();
    const c = new AbortController();
    const b = l.acquire(c.signal);
    const d = l.acquire();
    c.abort(new Error('stop'));
    await expect(b).rejects.toThrow('stop');
    a();
    const rd = await d;
    expect(l.running).toBe(1);
    expect(l.queued).toBe(0);
    rd();
  });
});
