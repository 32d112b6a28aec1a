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
 *
 * This module holds the kinds of call (object, text, streamed text, embeddings); the cache and single flight live in
 * recorded.ts, the attempt loop with its retries in retry.ts, the shapes in callTypes.ts.
 */
import { embedMany, generateText, Output, streamText, type ModelMessage } from 'ai';
import type { ZodType } from 'zod';
import type { Db } from '../../db/client';
import type { LlmCallOptions, LlmMessage, LlmResult } from './callTypes';
import { chatRoute, embeddingRoute } from './models';
import { recorded } from './recorded';

export { LlmCallError, type LlmCallOptions, type LlmMessage, type LlmResult } from './callTypes';
export { requestHash } from './recorded';
export { retryAfterMs } from './retry';

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
