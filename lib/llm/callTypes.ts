/** The shapes of an LLM call: its messages and options, its result, one attempt's answer, and a failure for good. */
import type { Db } from '../../db/client';
import type { LlmRole } from './config';

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

/** What one attempt got from the model. */
export interface Attempt {
  text: string;
  value: unknown;
  tokensIn: number | null;
  tokensOut: number | null;
}
