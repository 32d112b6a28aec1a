/**
 * Several LLM servers (endpoints) per role: who takes the next call, per-endpoint concurrency, pauses after HTTP 429
 * and rest after repeated failures (a circuit breaker).
 *
 * - An endpoint is one server URL, shared by every role that lists it; its limit is the `|N` stated in the
 *   configuration (the smallest, when roles state different values), else LLM_CONCURRENCY (default 4).
 * - A call goes to a usable endpoint with the lowest load (calls in flight / limit), then the fewest calls so far
 *   (relative to its limit), so calls spread over all endpoints in proportion to their limits. A retry prefers an
 *   endpoint that has not failed this call yet.
 * - HTTP 429 (or any answer with Retry-After) pauses that endpoint until the time it asks for; the others keep going.
 * - Circuit breaker: LLM_ENDPOINT_FAILURES (default 3) failures in a row (connection refused or reset, 5xx,
 *   timeouts) open the circuit: the endpoint rests LLM_ENDPOINT_REST_MS (default 2000), doubled after each further
 *   failed rest, at most LLM_ENDPOINT_MAX_REST_MS (default 300000). After its rest it is half-open: one call tries
 *   it; success closes the circuit, failure sends it back to rest for longer.
 * - When no endpoint of a call is usable the call waits in order (respecting its AbortSignal) until one is free, its
 *   rest or pause ends; it never fails for lack of an endpoint.
 *
 * One endpoint's state is in endpoint.ts, its view for status screens in endpointView.ts; this module schedules.
 */
import { processSingleton } from './processState';
import { breakerSettings, Endpoint, normalUrl, type EndpointOutcome, type Lease } from './endpoint';

interface Waiter {
  endpoints: Endpoint[];
  avoid: ReadonlySet<Endpoint>;
  grant: (lease: Lease) => void;
}

/** Hands out endpoints to calls; one per process (`endpointScheduler()`). `now` is injectable for tests. */
export class EndpointScheduler {
  private readonly registry = new Map<string, Endpoint>();
  private readonly queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;
  constructor(readonly now: () => number = Date.now) {}

  /** The endpoints of a role's configuration, created on first use and shared by URL across roles. */
  endpointsFor(role: string, configs: ReadonlyArray<{ url: string; concurrency: number | null }>): Endpoint[] {
    return configs.map((c) => {
      const key = normalUrl(c.url);
      let e = this.registry.get(key);
      if (!e) this.registry.set(key, (e = new Endpoint(c.url)));
      if (e.stated.get(role) !== c.concurrency) {
        e.stated.set(role, c.concurrency);
        queueMicrotask(() => this.pump());
      }
      return e;
    });
  }

  /** The endpoint registered for a URL, if any call has used it. */
  find(url: string): Endpoint | undefined {
    return this.registry.get(normalUrl(url));
  }

  /** Calls waiting for an endpoint. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Waits for a usable endpoint among `endpoints` (preferring those not in `avoid`) and starts a call on it.
   * Rejects only when `signal` aborts.
   */
  acquire(endpoints: Endpoint[], { signal, avoid = new Set() }: { signal?: AbortSignal; avoid?: ReadonlySet<Endpoint> } = {}): Promise<Lease> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    return new Promise<Lease>((resolve, reject) => {
      const waiter: Waiter = {
        endpoints,
        avoid,
        grant: (lease) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(lease);
        },
      };
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        this.pump();
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Whether an endpoint outside `avoid` is awake (a retry can move there instead of backing off). */
  hasAwakeOther(endpoints: Endpoint[], avoid: ReadonlySet<Endpoint>): boolean {
    const now = this.now();
    return endpoints.some((e) => !avoid.has(e) && e.awake(now));
  }

  private pick(w: Waiter, now: number): Endpoint | null {
    let best: Endpoint | null = null;
    let bestKey: [number, number, number] | null = null;
    for (const e of w.endpoints) {
      if (!e.usable(now)) continue;
      const key: [number, number, number] = [w.avoid.has(e) ? 1 : 0, e.inFlight / e.limit, e.calls / e.limit];
      if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))) {
        best = e;
        bestKey = key;
      }
    }
    return best;
  }

  /** Serves waiters in order while endpoints are free; arms a timer for the next end of a rest or pause. */
  pump(): void {
    const now = this.now();
    for (let i = 0; i < this.queue.length; ) {
      const w = this.queue[i]!;
      const e = this.pick(w, now);
      if (!e) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      w.grant(this.start(e));
    }
    let next = Infinity;
    for (const w of this.queue) for (const e of w.endpoints) next = Math.min(next, e.wakesAt(now) ?? Infinity);
    if (next === this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (next < Infinity) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.timerAt = Infinity;
        this.pump();
      }, Math.max(1, next - now + 1));
    }
  }

  private start(e: Endpoint): Lease {
    e.inFlight++;
    e.calls++;
    e.peakInFlight = Math.max(e.peakInFlight, e.inFlight);
    let finished = false;
    return {
      endpoint: e,
      done: (outcome) => {
        if (finished) return;
        finished = true;
        e.inFlight--;
        this.record(e, outcome);
        this.pump();
      },
    };
  }

  /** Applies an outcome to the endpoint's circuit and pause. */
  record(e: Endpoint, outcome: EndpointOutcome): void {
    const now = this.now();
    switch (outcome.kind) {
      case 'ok':
        e.failures = 0;
        if (e.circuit !== 'closed') {
          e.circuit = 'closed';
          e.rests = 0;
        }
        return;
      case 'rate-limited':
        e.lastError = outcome.error;
        e.rateLimitedUntil = Math.max(e.rateLimitedUntil, now + outcome.pauseMs);
        // it answered: the server is up
        e.failures = 0;
        if (e.circuit !== 'closed') {
          e.circuit = 'closed';
          e.rests = 0;
        }
        return;
      case 'failure': {
        e.lastError = outcome.error;
        if (outcome.pauseMs) e.rateLimitedUntil = Math.max(e.rateLimitedUntil, now + outcome.pauseMs);
        if (e.circuit === 'open') return;
        e.failures++;
        if (e.circuit === 'half-open' || e.failures >= breakerSettings().failuresToRest) {
          const { restMs, maxRestMs } = breakerSettings();
          e.circuit = 'open';
          e.restUntil = now + Math.min(maxRestMs, restMs * 2 ** e.rests);
          e.rests++;
          e.failures = 0;
        }
        return;
      }
      case 'neutral':
        // a cancelled probe: the next call tries again
        if (e.circuit === 'half-open') e.circuit = 'open';
        return;
    }
  }
}


/** The process-wide scheduler. */
export function endpointScheduler(): EndpointScheduler {
  return processSingleton('endpoints', () => new EndpointScheduler());
}
