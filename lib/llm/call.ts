/**
 * Recorded, cached LLM calls.
 *
 * Every call is stored in llm_calls under the sha256 of (role, model, prompt version, messages, parameters including
 * temperature and the repetition index): a rerun or a resumed job gets the stored answer without calling the model,
 * repetitions stay distinct, and with LLM_REPLAY=1 a run is replayed from the log only (a cache miss is an error).
 *
 * Transient failures (HTTP 429 and 5xx, network errors, timeouts) are retried with exponential backoff and jitter
 * (Retry-After is honoured); structured answers that fail their zod schema are retried a few times and then recorded
 * as failures with the raw text. Cancellation through `signal` stops waiting, retrying and the request itself.
 *
 * A configured role may list several endpoints (endpoints.ts): each attempt takes the least-loaded usable endpoint;
 * a 429 (or Retry-After) pauses that endpoint and the retry goes elsewhere; connection errors, 5xx and timeouts count
 * toward the endpoint's circuit breaker and the retry prefers another endpoint (backing off only when none is awake).
 * Waiting for an endpoint costs no retry. The cache key never names the endpoint: every server shares one cache.
 *
 * Identical requests in flight share one call; each caller keeps its own signal: a caller that aborts leaves, and
 * the shared request is cancelled only when every caller has aborted. Its per-attempt timeout is the longest asked.
 */
import { createHash } from 'node:crypto';
import { APICallError, embedMany, generateText, NoObjectGeneratedError, Output, streamText, type ModelMessage } from 'ai';
import type { ZodType } from 'zod';
import { getDb, type Db } from '../../db/client';
import { getLlmCallByHash, saveLlmCall, type LlmCallRecord } from '../../db/queries/llmCalls';
import type { LlmRole } from './config';
import { endpointScheduler, type Endpoint, type EndpointOutcome, type Lease } from './endpoints';
import { llmLimiter } from './limiter';
import { chatRoute, embeddingRoute, type ModelRoute } from './models';

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmCallOptions {
  role: Exclude<LlmRole, 'embedder'>;
  /** The version of the prompt that built the messages; stored with the output. */
  promptVersion: string;
  messages: LlmMessage[];
  temperature?: number;
  /** Repetition index: identical requests with different indices are different calls. */
  repetition?: number;
  maxOutputTokens?: number;
  seed?: number;
  signal?: AbortSignal;
  db?: Db;
  /** Per-attempt timeout (ms); default LLM_TIMEOUT_MS or 120000. */
  timeoutMs?: number;
  /** Retries of transient errors (429, 5xx, network, timeout); default LLM_MAX_RETRIES or 4. */
  maxRetries?: number;
  /** Retries of malformed structured answers; default 2. */
  malformedRetries?: number;
  /** Base backoff delay (ms); default LLM_BACKOFF_MS or 500. */
  backoffMs?: number;
}

export interface LlmResult<T> {
  value: T;
  /** The raw text of the answer. */
  text: string;
  callId: number;
  cached: boolean;
  model: string;
  promptVersion: string;
}

/** A call that failed for good (after retries). `raw` holds the model's text when there was one. */
export class LlmCallError extends Error {
  constructor(
    message: string,
    readonly kind: 'malformed' | 'transient' | 'fatal' | 'replay-miss',
    readonly raw: string | null,
    readonly callId: number | null,
  ) {
    super(message);
    this.name = 'LlmCallError';
  }
}

const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && process.env[name] !== '' && process.env[name] !== undefined ? v : fallback;
};

function sha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** The cache key of a request. */
export function requestHash(parts: {
  role: string;
  model: string;
  promptVersion: string;
  messages: unknown;
  params: Record<string, unknown>;
}): string {
  return sha256([parts.role, parts.model, parts.promptVersion, parts.messages, parts.params]);
}

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

interface Attempt {
  text: string;
  value: unknown;
  tokensIn: number | null;
  tokensOut: number | null;
}

/** The shared retry / record / cache loop. */
async function recorded<T, M>(
  opts: LlmCallOptions & { route: ModelRoute<M>; kindParams: Record<string, unknown> },
  parseCached: (text: string) => T,
  attempt: (model: M, signal: AbortSignal) => Promise<Attempt>,
): Promise<LlmResult<T>> {
  opts.signal?.throwIfAborted();
  const db = opts.db ?? getDb();
  const modelName = opts.route.modelId;
  const params = {
    temperature: opts.temperature ?? null,
    repetition: opts.repetition ?? 0,
    maxOutputTokens: opts.maxOutputTokens ?? null,
    seed: opts.seed ?? null,
    ...opts.kindParams,
  };
  const hash = requestHash({ role: opts.role, model: modelName, promptVersion: opts.promptVersion, messages: opts.messages, params });
  const base = { requestHash: hash, role: opts.role, model: modelName, promptVersion: opts.promptVersion, params, request: { messages: opts.messages } };

  const hit = getLlmCallByHash({ db, requestHash: hash });
  if (hit && hit.error === null && hit.response !== null) {
    try {
      return { value: parseCached(hit.response), text: hit.response, callId: hit.id, cached: true, model: modelName, promptVersion: opts.promptVersion };
    } catch {
      // a stored answer that no longer parses is called again
    }
  }
  const timeoutMs = opts.timeoutMs ?? envNumber('LLM_TIMEOUT_MS', 120_000);
  // identical requests already in flight in this process share one call (single flight)
  let flight = inFlight.get(hash) as Flight<T> | undefined;
  const joined = flight !== undefined;
  if (flight) {
    flight.timeoutMs = Math.max(flight.timeoutMs, timeoutMs);
  } else {
    const controller = new AbortController();
    const f: Flight<T> = { hash, controller, callers: 0, timeoutMs, promise: null as unknown as Promise<LlmResult<T>> };
    f.promise = callModel<T, M>({ ...opts, signal: controller.signal, modelName, attempt, timeoutOf: () => f.timeoutMs }, base, db).finally(() => {
      if (inFlight.get(hash) === f) inFlight.delete(hash);
    });
    // the shared promise may end with nobody waiting (every caller aborted)
    f.promise.catch(() => undefined);
    inFlight.set(hash, f as Flight<unknown>);
    flight = f;
  }
  const r = await follow(flight, opts.signal);
  return joined ? { ...r, cached: true } : r;
}

interface Flight<T> {
  hash: string;
  promise: Promise<LlmResult<T>>;
  /** Aborts the shared request: only when every caller has left. */
  controller: AbortController;
  callers: number;
  /** The longest per-attempt timeout among the callers. */
  timeoutMs: number;
}

/** Waits for a shared call under the caller's own signal; the last caller to abort cancels the request. */
function follow<T>(flight: Flight<T>, signal: AbortSignal | undefined): Promise<LlmResult<T>> {
  flight.callers++;
  if (!signal) return flight.promise;
  return new Promise<LlmResult<T>>((resolve, reject) => {
    let left = false;
    const onAbort = () => {
      left = true;
      flight.callers--;
      if (flight.callers === 0) {
        // a later identical request starts afresh instead of joining a cancelled one
        if (inFlight.get(flight.hash) === flight) inFlight.delete(flight.hash);
        flight.controller.abort(signal.reason);
      }
      reject(signal.reason ?? new Error('aborted'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    flight.promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (!left) resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        if (!left) reject(e);
      },
    );
  });
}

const g = globalThis as unknown as { populaceLlmInFlight?: Map<string, Flight<unknown>> };
const inFlight: Map<string, Flight<unknown>> = (g.populaceLlmInFlight ??= new Map());

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

async function callModel<T, M>(
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
  if (process.env.LLM_REPLAY === '1') {
    throw new LlmCallError(`replay: no stored answer for this ${opts.role} request (${opts.promptVersion})`, 'replay-miss', null, null);
  }

  const maxRetries = opts.maxRetries ?? envNumber('LLM_MAX_RETRIES', 4);
  const malformedRetries = opts.malformedRetries ?? 2;
  const backoffMs = opts.backoffMs ?? envNumber('LLM_BACKOFF_MS', 500);
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

/** Splits the system message off (passed as `system`) and keeps the rest as chat messages. */
function toPrompt(messages: LlmMessage[]): { system?: string; messages: ModelMessage[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const rest = messages
    .filter((m) => m.role !== 'system')
    .map((m) => ({ role: m.role, content: m.content }) as ModelMessage);
  return { system: system || undefined, messages: rest };
}

/** The settings every text call shares: prompt, sampling parameters, no SDK-level retries (recorded() retries), abort. */
function callSettings(opts: LlmCallOptions, signal: AbortSignal) {
  return {
    ...toPrompt(opts.messages),
    temperature: opts.temperature,
    maxOutputTokens: opts.maxOutputTokens,
    seed: opts.seed,
    maxRetries: 0,
    abortSignal: signal,
  };
}

/** A structured answer validated by `schema` (zod), via `generateText({ output: Output.object({ schema }) })`. */
export async function callLlmObject<T>(opts: LlmCallOptions & { schema: ZodType<T>; schemaName?: string }): Promise<LlmResult<T>> {
  return recorded(
    { ...opts, route: chatRoute(opts.role), kindParams: { output: opts.schemaName ?? 'object' } },
    (text) => opts.schema.parse(JSON.parse(text)),
    async (model, signal) => {
      const r = await generateText({
        model,
        ...callSettings(opts, signal),
        output: Output.object({ schema: opts.schema, name: opts.schemaName }),
      });
      return { text: r.text, value: r.output, tokensIn: r.usage.inputTokens ?? null, tokensOut: r.usage.outputTokens ?? null };
    },
  );
}

/** A plain text answer. */
export async function callLlmText(opts: LlmCallOptions): Promise<LlmResult<string>> {
  return recorded(
    { ...opts, route: chatRoute(opts.role), kindParams: { output: 'text' } },
    (text) => text,
    async (model, signal) => {
      const r = await generateText({
        model,
        ...callSettings(opts, signal),
      });
      return { text: r.text, value: r.text, tokensIn: r.usage.inputTokens ?? null, tokensOut: r.usage.outputTokens ?? null };
    },
  );
}

/** A streamed text answer: `onDelta` sees the text as it arrives; the whole text is recorded and cached. */
export async function streamLlmText(opts: LlmCallOptions & { onDelta?: (delta: string) => void }): Promise<LlmResult<string>> {
  return recorded(
    { ...opts, route: chatRoute(opts.role), kindParams: { output: 'text' } },
    (text) => {
      opts.onDelta?.(text);
      return text;
    },
    async (model, signal) => {
      let streamError: unknown = null;
      const r = streamText({
        model,
        ...callSettings(opts, signal),
        onError: ({ error }) => {
          streamError = error;
        },
      });
      let text = '';
      for await (const delta of r.textStream) {
        text += delta;
        opts.onDelta?.(delta);
      }
      if (streamError) throw streamError;
      const usage = await r.usage;
      return { text, value: text, tokensIn: usage.inputTokens ?? null, tokensOut: usage.outputTokens ?? null };
    },
  );
}

/** Embeddings of `texts` (one cached call per text), in order. */
export async function embedTexts({
  texts,
  db,
  signal,
  timeoutMs,
  maxRetries,
  backoffMs,
}: {
  texts: string[];
  db?: Db;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  backoffMs?: number;
}): Promise<number[][]> {
  const route = embeddingRoute();
  const out: number[][] = [];
  for (const text of texts) {
    const r = await recorded(
      {
        role: 'embedder' as never,
        promptVersion: 'embed-v1',
        messages: [{ role: 'user', content: text }],
        db,
        signal,
        timeoutMs,
        maxRetries,
        backoffMs,
        route,
        kindParams: { output: 'embedding' },
      },
      (t) => JSON.parse(t) as number[],
      async (model, s) => {
        const e = await embedMany({ model, values: [text], maxRetries: 0, abortSignal: s });
        const v = e.embeddings[0]!;
        return { text: JSON.stringify(v), value: v, tokensIn: e.usage?.tokens ?? null, tokensOut: null };
      },
    );
    out.push(r.value);
  }
  return out;
}
