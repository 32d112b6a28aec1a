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
 */
import { createHash } from 'node:crypto';
import { APICallError, embedMany, generateText, NoObjectGeneratedError, Output, streamText, type ModelMessage } from 'ai';
import type { ZodType } from 'zod';
import { getDb, type Db } from '../../db/client';
import { getLlmCallByHash, saveLlmCall, type LlmCallRecord } from '../../db/queries/llmCalls';
import type { LlmRole } from './config';
import { llmLimiter } from './limiter';
import { getEmbeddingModel, getModel } from './models';

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

function isTransient(err: unknown): { transient: boolean; retryAfterMs: number | null } {
  if (APICallError.isInstance(err)) {
    const s = err.statusCode;
    const transient = s === undefined ? err.isRetryable : s === 408 || s === 409 || s === 429 || s >= 500;
    const ra = err.responseHeaders?.['retry-after'];
    const secs = ra !== undefined ? Number(ra) : NaN;
    return { transient, retryAfterMs: Number.isFinite(secs) ? Math.min(secs * 1000, 60_000) : null };
  }
  const e = err as Error;
  if (e?.name === 'TimeoutError' || /fetch failed|ECONNREFUSED|ECONNRESET|socket hang up/i.test(e?.message ?? '')) {
    return { transient: true, retryAfterMs: null };
  }
  return { transient: false, retryAfterMs: null };
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
async function recorded<T>(
  opts: LlmCallOptions & { modelName: string; kindParams: Record<string, unknown> },
  parseCached: (text: string) => T,
  attempt: (signal: AbortSignal) => Promise<Attempt>,
): Promise<LlmResult<T>> {
  const db = opts.db ?? getDb();
  const params = {
    temperature: opts.temperature ?? null,
    repetition: opts.repetition ?? 0,
    maxOutputTokens: opts.maxOutputTokens ?? null,
    seed: opts.seed ?? null,
    ...opts.kindParams,
  };
  const hash = requestHash({ role: opts.role, model: opts.modelName, promptVersion: opts.promptVersion, messages: opts.messages, params });
  const base = { requestHash: hash, role: opts.role, model: opts.modelName, promptVersion: opts.promptVersion, params, request: { messages: opts.messages } };

  const hit = getLlmCallByHash({ db, requestHash: hash });
  if (hit && hit.error === null && hit.response !== null) {
    try {
      return { value: parseCached(hit.response), text: hit.response, callId: hit.id, cached: true, model: opts.modelName, promptVersion: opts.promptVersion };
    } catch {
      // a stored answer that no longer parses is called again
    }
  }
  // identical requests already in flight in this process share one call (single flight)
  const pending = inFlight.get(hash) as Promise<LlmResult<T>> | undefined;
  if (pending) {
    const r = await pending;
    return { ...r, cached: true };
  }
  const run = callModel<T>({ ...opts, attempt }, base, db);
  inFlight.set(hash, run);
  try {
    return await run;
  } finally {
    inFlight.delete(hash);
  }
}

const g = globalThis as unknown as { populaceLlmInFlight?: Map<string, Promise<unknown>> };
const inFlight: Map<string, Promise<unknown>> = (g.populaceLlmInFlight ??= new Map());

async function callModel<T>(
  opts: LlmCallOptions & { modelName: string; attempt: (signal: AbortSignal) => Promise<Attempt> },
  base: Omit<LlmCallRecord, 'response' | 'error' | 'tokensIn' | 'tokensOut' | 'latencyMs'>,
  db: Db,
): Promise<LlmResult<T>> {
  const attempt = opts.attempt;
  if (process.env.LLM_REPLAY === '1') {
    throw new LlmCallError(`replay: no stored answer for this ${opts.role} request (${opts.promptVersion})`, 'replay-miss', null, null);
  }

  const timeoutMs = opts.timeoutMs ?? envNumber('LLM_TIMEOUT_MS', 120_000);
  const maxRetries = opts.maxRetries ?? envNumber('LLM_MAX_RETRIES', 4);
  const malformedRetries = opts.malformedRetries ?? 2;
  const backoffMs = opts.backoffMs ?? envNumber('LLM_BACKOFF_MS', 500);
  let transientCount = 0;
  let malformedCount = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    const release = await llmLimiter().acquire(opts.signal);
    const started = performance.now();
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    try {
      const a = await attempt(signal);
      const latencyMs = Math.round(performance.now() - started);
      const callId = saveLlmCall({ db, call: { ...base, response: a.text, error: null, tokensIn: a.tokensIn, tokensOut: a.tokensOut, latencyMs } });
      return { value: a.value as T, text: a.text, callId, cached: false, model: opts.modelName, promptVersion: opts.promptVersion };
    } catch (err) {
      const latencyMs = Math.round(performance.now() - started);
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      if (NoObjectGeneratedError.isInstance(err)) {
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
      const { transient, retryAfterMs } = timedOut ? { transient: true, retryAfterMs: null } : isTransient(err);
      const message = timedOut ? `timeout after ${timeoutMs} ms` : describe(err);
      if (transient && transientCount < maxRetries) {
        transientCount++;
        release();
        const delay = retryAfterMs ?? backoffMs * 2 ** (transientCount - 1) * (0.75 + Math.random() * 0.5);
        await sleep(delay, opts.signal);
        continue;
      }
      const callId = saveLlmCall({ db, call: { ...base, response: null, error: message, tokensIn: null, tokensOut: null, latencyMs } });
      throw new LlmCallError(`The ${opts.role} call failed: ${message}`, transient ? 'transient' : 'fatal', null, callId);
    } finally {
      release();
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
  const model = getModel(opts.role);
  return recorded<T>(
    { ...opts, modelName: model.modelId, kindParams: { output: opts.schemaName ?? 'object' } },
    (text) => opts.schema.parse(JSON.parse(text)),
    async (signal) => {
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
  const model = getModel(opts.role);
  return recorded<string>(
    { ...opts, modelName: model.modelId, kindParams: { output: 'text' } },
    (text) => text,
    async (signal) => {
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
  const model = getModel(opts.role);
  return recorded<string>(
    { ...opts, modelName: model.modelId, kindParams: { output: 'text' } },
    (text) => {
      opts.onDelta?.(text);
      return text;
    },
    async (signal) => {
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
  const model = getEmbeddingModel();
  const out: number[][] = [];
  for (const text of texts) {
    const r = await recorded<number[]>(
      {
        role: 'embedder' as never,
        promptVersion: 'embed-v1',
        messages: [{ role: 'user', content: text }],
        db,
        signal,
        timeoutMs,
        maxRetries,
        backoffMs,
        modelName: model.modelId,
        kindParams: { output: 'embedding' },
      },
      (t) => JSON.parse(t) as number[],
      async (s) => {
        const e = await embedMany({ model, values: [text], maxRetries: 0, abortSignal: s });
        const v = e.embeddings[0]!;
        return { text: JSON.stringify(v), value: v, tokensIn: e.usage?.tokens ?? null, tokensOut: null };
      },
    );
    out.push(r.value);
  }
  return out;
}
