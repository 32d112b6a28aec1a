/**
 * The one way screens talk to the API: `api(url, options)` sends JSON (or a file) and reads JSON. Every same-origin
 * mutation carries the CSRF token (x-csrf-token, from the populace_csrf cookie) that route() checks when sign-in is
 * required. An answer that is not ok becomes an `ApiError` with the server's message, code, details and request id
 * (the shape of lib/errors.ts: `{ error: { code, message, details?, requestId? } }`) and the HTTP status.
 *
 * Used as the body of react-query's queryFn / mutationFn, and by the few handlers that post directly.
 */

const CSRF_COOKIE = 'populace_csrf';
const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token the server set at sign-in, or null (no sign-in, or not in a browser). */
export function readCsrfCookie(): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === CSRF_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** A failed API call: the server's sentence as the message, with its code, details, request id and the status. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  /** GET unless a body is given (then POST). */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Sent as JSON (Content-Type: application/json). */
  json?: unknown;
  /** Sent as it is (a file to upload), instead of `json`. */
  body?: Blob;
  signal?: AbortSignal;
  cache?: RequestCache;
  /** The message when a failed answer carries none (default "HTTP <status>"). */
  fallback?: string | ((status: number) => string);
}

interface ErrorShape {
  error?: { code?: string; message?: string; details?: unknown; requestId?: string };
}

/** Calls the API and returns the parsed JSON answer; throws ApiError when the answer is not ok. */
export async function api<T = unknown>(url: string, options: ApiOptions = {}): Promise<T> {
  const hasBody = options.json !== undefined || options.body !== undefined;
  const method = options.method ?? (hasBody ? 'POST' : 'GET');
  const headers = new Headers();
  if (options.json !== undefined) headers.set('content-type', 'application/json');
  if (!SAFE_METHODS.has(method)) {
    const token = readCsrfCookie();
    if (token) headers.set(CSRF_HEADER, token);
  }
  const res = await fetch(url, {
    method,
    headers,
    body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
    signal: options.signal,
    cache: options.cache,
  });
  const out = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const e = (out as ErrorShape | null)?.error;
    const fallback = typeof options.fallback === 'function' ? options.fallback(res.status) : (options.fallback ?? `HTTP ${res.status}`);
    throw new ApiError(e?.message ?? fallback, res.status, e?.code, e?.details, e?.requestId);
  }
  return out as T;
}
