/** A counting semaphore that caps concurrent LLM calls per process (LLM_CONCURRENCY, default 4). */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(public limit: number) {}

  get running(): number {
    return this.active;
  }

  /** Waits for a slot; rejects when `signal` aborts while waiting. Call the returned function to release. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    if (this.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.waiting.indexOf(wake);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(wake);
      });
    }
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}

const g = globalThis as unknown as { populaceLlmLimiter?: Limiter };

/** The process-wide limiter. */
export function llmLimiter(): Limiter {
  return (g.populaceLlmLimiter ??= new Limiter(Math.max(1, Number(process.env.LLM_CONCURRENCY ?? 4) || 4)));
}

/** Changes the process-wide concurrency limit. */
export function setLlmConcurrency(n: number): void {
  llmLimiter().limit = Math.max(1, n);
}
