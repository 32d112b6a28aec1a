/**
 * The thin wrapper every route handler uses: parse input with zod, call one service, answer JSON.
 * Errors are answered by the one mapping in lib/errors.ts: AppError to its status, zod errors to 400 with the failing
 * fields, the core's AlignInputError to 422, ...; anything else is logged with a request id and answered 500 with a
 * generic message and that id.
 *
 * When sign-in is required (POPULACE_AUTH=required, see lib/auth/config.ts) route() also checks access before the
 * body runs: a live session (401), the least role (option `role`, default 'viewer' for GET/HEAD and 'reviewer' for
 * mutations; 403), and for mutations a same-origin Origin and the CSRF token (403). When it is not required, route()
 * still refuses cross-origin mutations (403), and JSON bodies must be sent as application/json (415).
 */
import { NextResponse } from 'next/server';
import type { ZodType } from 'zod';
import { AppError, errorAnswer } from '../errors';
import { authRequired } from '../auth/config';
import { authorize, checkOrigin, type AccessOptions } from '../auth/guard';

export type RouteOptions = AccessOptions;

/** The JSON answer to an error thrown while handling `route` (e.g. "POST /api/exports"); see lib/errors.ts. */
export function errorResponse(err: unknown, route = 'unknown route'): NextResponse {
  const a = errorAnswer(err, { route });
  return NextResponse.json(a.body, { status: a.status, headers: a.headers });
}

/**
 * Wraps a handler body so that errors become JSON answers; with sign-in required it first checks access
 * (`options.role` raises the least role, e.g. `{ role: 'admin' }`; `options.public` needs no session).
 */
export function route<Ctx = unknown>(body: (req: Request, ctx: Ctx) => Promise<unknown> | unknown, options: RouteOptions = {}) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    try {
      // Cross-origin mutations are refused in every mode: without sign-in (loopback) any web page the user visits could
      // otherwise post to the local instance.
      if (authRequired()) authorize(req, options);
      else checkOrigin(req);
      const out = await body(req, ctx);
      return out instanceof Response ? out : NextResponse.json(out);
    } catch (err) {
      return errorResponse(err, `${req.method} ${new URL(req.url).pathname}`);
    }
  };
}

/** True for application/json and application/*+json content types. */
export function isJsonContentType(value: string | null): boolean {
  const type = (value ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Parses a JSON body with a schema; a body not sent as application/json is a 415 (a cross-site form or a
 * text/plain fetch cannot send that type without the browser asking first), a body that is not JSON a 400.
 */
export async function jsonBody<T>(req: Request, schema: ZodType<T>): Promise<T> {
  if (!isJsonContentType(req.headers.get('content-type'))) {
    throw new AppError('unsupported_media_type', 'Send the request body as JSON with the header Content-Type: application/json.', 415);
  }
  let data: unknown;
  try {
    data = await req.json();
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON.');
  }
  return schema.parse(data);
}

/** Parses URL search parameters with a schema. */
export function searchParams<T>(req: Request, schema: ZodType<T>): T {
  return schema.parse(Object.fromEntries(new URL(req.url).searchParams));
}
