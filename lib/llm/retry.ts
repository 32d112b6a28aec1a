/**
 * The attempt loop of a call: transient failures (HTTP 429 and 5xx, network errors, timeouts) retried with exponential
 * backoff and jitter (Retry-After honoured), malformed structured answers retried and then recorded as failures, each
 * attempt on the least-loaded usable endpoint (a failed endpoint is avoided by the retry), every outcome recorded.
 */
import { APICallError, NoObjectGeneratedError } from 'ai';
import type { Db } from '../../db/client';
import { saveLlmCall, type LlmCallRecord } from '../../db/queries/llmCalls';
import { env } from '../env';
import { LlmCallError, type Attempt, type LlmCallOptions, type LlmResult } from './callTypes';
import type { Endpoint, EndpointOutcome, Lease } from './endpoint';
import { endpointScheduler } from './endpoints';
import { llmLimiter } from './limiter';
import type { ModelRoute } from './models';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Retry-After in ms (seconds or an HTTP date), capped at 10 minutes; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined || value.trim() === '') return null;
  const secs = Number(value);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(0, ms), 600_000);
}

function isTransient(err: unknown): { transient: boolean; retryAfterMs: number | null; status: number | null; endpointFault: boolean } {
  if (APICallError.isInstance(err)) {
    const s = err.statusCode;
    const transient = s === undefined ? err.isRetryable : s === 408 || s === 409 || s === 429 || s >= 500;
    const ra = retryAfterMs(err.responseHeaders?.['retry-after']);
    return { transient, retryAfterMs: ra, status: s ?? null, endpointFault: s === undefined ? transient : s >= 500 || s === 408 };
  }
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const text = `${e?.message ?? ''} ${e?.cause?.code ?? ''} ${e?.cause?.message ?? ''}`;
  if (e?.name === 'TimeoutError' || /fetch failed|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|socket hang up|Cannot connect/i.test(text)) {
    return { transient: true, retryAfterMs: null, status: null, endpointFault: true };
  }
  return { transient: false, retryAfterMs: null, status: null, endpointFault: false };
}

function describe(err: unknown): string {
  if (APICallError.isInstance(err)) return `HTTP ${err.statusCode ?? '?'}: ${err.message}`;
  const e = err as Error;
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`;
}

/** What a failed attempt says about its endpoint. */
function outcomeOf(
  failure: { transient: boolean; retryAfterMs: number | null; status: number | null; endpointFault: boolean },
  message: string,
  fallbackPauseMs: number,
): EndpointOutcome {
  if (failure.status === 429) return { kind: 'rate-limited', pauseMs: failure.retryAfterMs ?? fallbackPauseMs, error: message };
  if (failure.endpointFault) return { kind: 'failure', error: message, pauseMs: failure.retryAfterMs };
  if (failure.retryAfterMs !== null) return { kind: 'rate-limited', pauseMs: failure.retryAfterMs, error: message };
  return { kind: 'neutral' };
}

export async function callModel<T, M>(
  opts: LlmCallOptions & {
    modelName: string;
    route: ModelRoute<M>;
    attempt: (model: M, signal: AbortSignal) => Promise<Attempt>;
    timeoutOf: () => number;
  },
  base: Omit<LlmCallRecord, 'response' | 'error' | 'tokensIn' | 'tokensOut' | 'latencyMs'>,
  db: Db,
): Promise<LlmResult<T>> {
  const attempt = opts.attempt;
  if (env('LLM_REPLAY')) {
    throw new LlmCallError(`replay: no stored answer for this ${opts.role} request (${opts.promptVersion})`, 'replay-miss', null, null);
  }

  const maxRetries = opts.maxRetries ?? env('LLM_MAX_RETRIES');
  const malformedRetries = opts.malformedRetries ?? 2;
  const backoffMs = opts.backoffMs ?? env('LLM_BACKOFF_MS');
  const endpoints = opts.route.endpoints;
  const scheduler = endpointScheduler();
  /** Endpoints that failed this call: a retry prefers the others. */
  const avoid = new Set<Endpoint>();
  let transientCount = 0;
  let malformedCount = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    let lease: Lease | null = null;
    let release: (() => void) | null = null;
    if (endpoints) {
      if (avoid.size >= endpoints.length) avoid.clear();
      lease = await scheduler.acquire(endpoints, { signal: opts.signal, avoid });
    } else {
      release = await llmLimiter().acquire(opts.signal);
    }
    let outcome: EndpointOutcome = { kind: 'neutral' };
    const model = opts.route.modelAt(lease?.endpoint ?? null);
    const started = performance.now();
    const timeoutMs = opts.timeoutOf();
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    try {
      const a = await attempt(model, signal);
      outcome = { kind: 'ok' };
      const latencyMs = Math.round(performance.now() - started);
      const callId = saveLlmCall({ db, call: { ...base, response: a.text, error: null, tokensIn: a.tokensIn, tokensOut: a.tokensOut, latencyMs } });
      return { value: a.value as T, text: a.text, callId, cached: false, model: opts.modelName, promptVersion: opts.promptVersion };
    } catch (err) {
      const latencyMs = Math.round(performance.now() - started);
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      if (NoObjectGeneratedError.isInstance(err)) {
        outcome = { kind: 'ok' };
        malformedCount++;
        const raw = err.text ?? null;
        if (malformedCount <= malformedRetries) continue;
        const callId = saveLlmCall({
          db,
          call: { ...base, response: raw, error: `malformed: ${err.cause ? describe(err.cause) : err.message}`, tokensIn: null, tokensOut: null, latencyMs },
        });
        throw new LlmCallError(`The ${opts.role} answer did not match its schema after ${malformedCount} attempts.`, 'malformed', raw, callId);
      }
      const timedOut = timeout.aborted;
      const failure = timedOut ? { transient: true, retryAfterMs: null, status: null, endpointFault: true } : isTransient(err);
      const message = timedOut ? `timeout after ${timeoutMs} ms` : describe(err);
      const delay = backoffMs * 2 ** transientCount * (0.75 + Math.random() * 0.5);
      outcome = outcomeOf(failure, message, delay);
      if (failure.transient && transientCount < maxRetries) {
        transientCount++;
        if (lease) {
          const failed = lease.endpoint;
          lease.done(outcome);
          avoid.add(failed);
          // a paused endpoint makes the call wait in the scheduler; otherwise back off unless another endpoint is awake
          if (outcome.kind !== 'rate-limited' && !failure.retryAfterMs && !scheduler.hasAwakeOther(endpoints!, avoid)) await sleep(delay, opts.signal);
        } else {
          release!();
          await sleep(failure.retryAfterMs ?? delay, opts.signal);
        }
        continue;
      }
      const callId = saveLlmCall({ db, call: { ...base, response: null, error: message, tokensIn: null, tokensOut: null, latencyMs } });
      throw new LlmCallError(`The ${opts.role} call failed: ${message}`, failure.transient ? 'transient' : 'fatal', null, callId);
    } finally {
      lease?.done(outcome);
      release?.();
    }
  }
}
