/**
 * The shared record / cache / single-flight step of every call: a stored answer is returned without calling the
 * model; identical requests in flight share one call (each caller keeps its own signal); otherwise the attempt loop
 * (retry.ts) calls the model and records the answer.
 */
import { processSingleton } from './processState';
import { createHash } from 'node:crypto';
import { getDb } from '../../db/client';
import { getLlmCallByHash } from '../../db/queries/llmCalls';
import { env } from '../env';
import type { Attempt, LlmCallOptions, LlmResult } from './callTypes';
import type { ModelRoute } from './models';
import { callModel } from './retry';

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

/** The shared retry / record / cache loop. */
export async function recorded<T, M>(
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
  const timeoutMs = opts.timeoutMs ?? env('LLM_TIMEOUT_MS');
  // identical requests already in flight in this process share one call (single flight)
  let flight = inFlight.get(hash) as Flight<T> | undefined;
  const joined = flight !== undefined;
  if (flight) {
    flight.timeoutMs = Math.max(flight.timeoutMs, timeoutMs);
  } else {
    const controller = new AbortController();
    // the call reads the timeout from the shared state, which joining callers may raise
    const shared = { hash, controller, callers: 0, timeoutMs };
    const promise = callModel<T, M>({ ...opts, signal: controller.signal, modelName, attempt, timeoutOf: () => shared.timeoutMs }, base, db).finally(() => {
      if (inFlight.get(hash) === shared) inFlight.delete(hash);
    });
    const f: Flight<T> = Object.assign(shared, { promise });
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

const inFlight = processSingleton('inFlight', () => new Map<string, Flight<unknown>>());
