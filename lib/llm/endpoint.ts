/** One LLM server (endpoint): its load, its pause after HTTP 429, its circuit breaker, and the outcome of a call on it. */
import { env } from '../env';
import { llmLimiter } from './limiter';

export type EndpointState = 'ok' | 'resting' | 'rate-limited' | 'probing';

export type EndpointOutcome =
  /** The server answered (also a malformed but delivered answer). */
  | { kind: 'ok' }
  /** Connection error, 5xx or timeout; `pauseMs` when the answer carried Retry-After. */
  | { kind: 'failure'; error: string; pauseMs?: number | null }
  /** HTTP 429: pause for `pauseMs`. */
  | { kind: 'rate-limited'; pauseMs: number; error: string }
  /** Says nothing about the server (cancelled, or a 4xx about the request). */
  | { kind: 'neutral' };

export interface Lease {
  endpoint: Endpoint;
  /** Ends the call on this endpoint; idempotent. */
  done(outcome: EndpointOutcome): void;
}

export function breakerSettings() {
  return {
    failuresToRest: env('LLM_ENDPOINT_FAILURES'),
    restMs: env('LLM_ENDPOINT_REST_MS'),
    maxRestMs: env('LLM_ENDPOINT_MAX_REST_MS'),
  };
}

export const normalUrl = (url: string) => url.trim().replace(/\/+$/, '');

export class Endpoint {
  inFlight = 0;
  peakInFlight = 0;
  /** Calls started on this endpoint. */
  calls = 0;
  /** Failures in a row. */
  failures = 0;
  circuit: 'closed' | 'open' | 'half-open' = 'closed';
  restUntil = 0;
  /** Rests in a row (the exponent of the next rest). */
  rests = 0;
  rateLimitedUntil = 0;
  lastError: string | null = null;
  /** The concurrency each role states for this URL (null: the default). */
  readonly stated = new Map<string, number | null>();
  constructor(readonly url: string) {}

  get limit(): number {
    const explicit = [...this.stated.values()].filter((v): v is number => v !== null);
    return explicit.length ? Math.min(...explicit) : llmLimiter().limit;
  }

  /** The state shown to users at time `now`. */
  state(now: number): { state: EndpointState; until: number | null } {
    const resting = this.circuit === 'open' && this.restUntil > now;
    if (this.rateLimitedUntil > now && (!resting || this.rateLimitedUntil >= this.restUntil)) return { state: 'rate-limited', until: this.rateLimitedUntil };
    if (resting) return { state: 'resting', until: this.restUntil };
    if (this.circuit !== 'closed') return { state: 'probing', until: null };
    return { state: 'ok', until: null };
  }

  /** Whether it is neither resting nor paused (regardless of free capacity). */
  awake(now: number): boolean {
    return this.rateLimitedUntil <= now && !(this.circuit === 'open' && this.restUntil > now);
  }

  /** Whether a call can start here now (moves a rested circuit to half-open). */
  usable(now: number): boolean {
    if (this.rateLimitedUntil > now) return false;
    if (this.circuit === 'open') {
      if (now < this.restUntil) return false;
      this.circuit = 'half-open';
    }
    if (this.circuit === 'half-open') return this.inFlight === 0;
    return this.inFlight < this.limit;
  }

  /** When a resting or paused endpoint becomes usable again (null when it is awake). */
  wakesAt(now: number): number | null {
    const t = Math.max(this.rateLimitedUntil, this.circuit === 'open' ? this.restUntil : 0);
    return t > now ? t : null;
  }
}
