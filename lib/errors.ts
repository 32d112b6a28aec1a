/**
 * The one error path: `AppError` (the error services throw on purpose) and the mapping of every known error to an
 * HTTP answer, which `route()` in lib/http/route.ts uses for every API route. No framework imports, so services and
 * lib/auth can import it without pulling in Next.js.
 *
 * The answer's shape is the one the screens read: `{ error: { code, message, details?, requestId? } }`.
 *
 * | error | status | code |
 * | --- | --- | --- |
 * | `AppError` | its status | its code (its message is meant for the user, also at 5xx) |
 * | zod `ZodError` | 400 | `invalid_input`, the failing fields in `details` |
 * | `AlignInputError` (lib/numeric, the pure core) | 422 | its code (`BAD_PARAMETER`, `EMPTY`, ...) |
 * | `KappaInputError` (lib/stats/kappa) | 422 | `invalid_ratings` |
 * | `ScoringError` (lib/instruments/score) | 422 | `scoring_failed` |
 * | `TraitCsvError` (lib/io/traitCsv) | 422 | `invalid_file` |
 * | `LlmCallError` (lib/llm/call) | 502 | `llm_failed` (the model server failed, not this one) |
 * | `JobCancelledError` (lib/jobs/runner) | 409 | `job_cancelled` |
 * | anything else (including `DemoDataError`) | 500 | `internal`: a generic sentence with a request id; the stack is logged |
 *
 * Classes from modules that touch Node or the database are recognised by `name` (their modules are imported for
 * types only), so this file stays importable anywhere.
 */
import { ZodError } from 'zod';
import { ScoringError } from './instruments/score';
import type { TraitCsvError } from './io/traitCsv';
import type { JobCancelledError } from './jobs/runner';
import type { LlmCallError } from './llm/call';
import { AlignInputError } from './numeric/alignInputError';
import { KappaInputError } from './stats/kappa';

/** The one error class that route handlers map to an HTTP answer: a code, a status and a sentence for the user. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

/** An error answer before it is turned into a Response. */
export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

const answer = (status: number, code: string, message: string, details?: unknown): ErrorAnswer => ({
  status,
  body: { error: details === undefined ? { code, message } : { code, message, details } },
});

const named = <T extends Error>(err: unknown, name: string): err is T => err instanceof Error && err.name === name;

/** The answer to a known error, or null when the error is not one of ours (then it is a 500, see internalErrorAnswer). */
export function knownErrorAnswer(err: unknown): ErrorAnswer | null {
  if (err instanceof AppError) {
    const retryAfter = (err.details as { retryAfter?: unknown } | undefined)?.retryAfter;
    const out: ErrorAnswer = { status: err.status, body: { error: { code: err.code, message: err.message, details: err.details } } };
    if (err.status === 429 && typeof retryAfter === 'number') out.headers = { 'Retry-After': String(retryAfter) };
    return out;
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const message = issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; ');
    return answer(400, 'invalid_input', message, issues);
  }
  if (err instanceof AlignInputError) return answer(422, err.code, err.message, Object.keys(err.details).length ? err.details : undefined);
  if (err instanceof KappaInputError) return answer(422, 'invalid_ratings', err.message);
  if (err instanceof ScoringError) return answer(422, 'scoring_failed', err.message);
  if (named<TraitCsvError>(err, 'TraitCsvError')) return answer(422, 'invalid_file', err.message);
  if (named<LlmCallError>(err, 'LlmCallError')) return answer(502, 'llm_failed', err.message);
  if (named<JobCancelledError>(err, 'JobCancelledError')) return answer(409, 'job_cancelled', err.message);
  return null;
}

/** A short random id that ties a 500 answer to its log line. */
export function newRequestId(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 12);
}

/** The answer to an unexpected error: a generic sentence with the request id; nothing of the error itself. */
export function internalErrorAnswer(requestId: string): ErrorAnswer {
  return {
    status: 500,
    body: { error: { code: 'internal', message: `Something went wrong on the server (request id ${requestId}). The server log has the details.`, requestId } },
    headers: { 'X-Request-Id': requestId },
  };
}

/**
 * The answer to any error thrown while handling `context.route` (e.g. "POST /api/exports"). An unexpected error is
 * logged with console.error (request id, route, stack) and answered with internalErrorAnswer.
 */
export function errorAnswer(err: unknown, context: { route: string; requestId?: string }): ErrorAnswer {
  const known = knownErrorAnswer(err);
  if (known) return known;
  const requestId = context.requestId ?? newRequestId();
  const detail = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  console.error(`[request ${requestId}] ${context.route} failed: ${detail}`);
  return internalErrorAnswer(requestId);
}
