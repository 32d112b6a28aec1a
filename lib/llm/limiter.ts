/**
 * A counting semaphore that caps concurrent LLM calls per process (LLM_CONCURRENCY, default 4). It limits calls to
 * injected models (tests) and is the default limit of a configured endpoint that states none (see endpoints.ts).
 *
 * A released slot is handed to the first waiter directly (counted at once, before the waiter resumes), and a new
 * caller queues behind existing waiters, so a woken waiter and a fresh acquire (a retry) can never both take it.
 */
import { processSingleton } from './processState';
import { env } from '../env';

interface Waiter {
  grant: () => void;
}

export class Limiter {
  private active = 0;
  private max: number;
  private readonly waiting: Waiter[] = [];
  constructor(limit: number) {
    this.max = Math.max(1, limit);
  }

  get limit(): number {
    return this.max;
  }

  /** Changing the limit wakes waiters when it grows. */
  set limit(n: number) {
    this.max = Math.max(1, n);
    this.pump();
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Waits for a slot; rejects when `signal` aborts while waiting. Call the returned function to release. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    if (this.waiting.length === 0 && this.active < this.max) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<() => void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.pump();
    };
  }

  /** Hands free slots to waiters in order; the slot is counted before the waiter resumes. */
  private pump(): void {
    while (this.active < this.max && this.waiting.length > 0) {
      const w = this.waiting.shift()!;
      this.active++;
      w.grant();
    }
  }
}


/** The process-wide limiter. */
export function llmLimiter(): Limiter {
  return processSingleton('limiter', () => new Limiter(env('LLM_CONCURRENCY')));
}

/** Changes the process-wide concurrency limit (also the default limit of an endpoint that states none). */
export function setLlmConcurrency(n: number): void {
  llmLimiter().limit = Math.max(1, n);
}
