/**
 * The server's front door: checks every request before Next.js sees it, so that nothing is rendered or read for a
 * request that will be refused (a page refused here never runs, unlike a layout's redirect, which does not stop a
 * page that renders in parallel). The data access layer (lib/auth/dal.ts) and route() check again behind it.
 *
 * In every mode:
 * - methods other than GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS answer 405 (TRACE, CONNECT, made-up ones);
 * - a path that is not valid percent-encoded UTF-8 (`/personas/%ff`) answers 400;
 * - a malformed `Next-Router-State-Tree` header answers 400;
 * - the Host header must name an allowed host (DNS rebinding): loopback names, plus the names in POPULACE_HOSTS;
 *   when sign-in is required and POPULACE_HOSTS is empty, any host is accepted (session cookies are bound to the
 *   host they were set for, so a rebound name carries no session);
 * - every answer carries the security headers (CSP with a per-request script nonce, frame-ancestors 'none',
 *   X-Frame-Options, nosniff, Referrer-Policy, Cross-Origin-Opener-Policy, Permissions-Policy).
 * When sign-in is required, every path but the public ones needs a live session: pages without one are redirected
 * to /signin with an empty body, API calls answer 401.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SESSION_COOKIE, cookieValue, hostnameOf, isLoopbackHost } from '../auth/config';
import { env } from '../env';

/** Paths anyone may request, signed in or not (the sign-in page and its API, liveness, static build files). */
const PUBLIC_EXACT = new Set(['/signin', '/api/auth/signin', '/api/auth/signout', '/api/auth/session', '/api/live', '/icon.svg', '/favicon.ico', '/robots.txt']);
const PUBLIC_PREFIXES = ['/_next/static/'];
export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_EXACT.has(pathname) || PUBLIC_PREFIXES.some((p) => pathname.startsWith(p));
}

export interface GateOptions {
  authRequired: boolean;
  /** Extra host names allowed in the Host header (POPULACE_HOSTS), lower case, without ports. */
  allowedHosts: readonly string[];
  /** True when a raw session cookie value belongs to a live session (a database look-up). */
  sessionIsLive: (token: string) => boolean;
}

export type GateResult =
  | { pass: true }
  | { pass: false; status: number; headers: Record<string, string>; body: string };

const json = (status: number, code: string, message: string, headers: Record<string, string> = {}): GateResult => ({
  pass: false,
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify({ error: { code, message } }),
});

/** The host names of POPULACE_HOSTS ("a.example.org, b.example.org"), lower case. */
export function allowedHostsFromEnv(): string[] {
  return env('POPULACE_HOSTS')
    .map((h) => hostnameOf(h.toLowerCase()))
    .filter(Boolean);
}

/** Whether a Host header value names a host this server answers for. */
export function hostAllowed(hostHeader: string | undefined, o: Pick<GateOptions, 'authRequired' | 'allowedHosts'>): boolean {
  if (!hostHeader) return false;
  const name = hostnameOf(hostHeader).toLowerCase();
  if (isLoopbackHost(name)) return true;
  if (o.allowedHosts.includes(name)) return true;
  return o.authRequired && o.allowedHosts.length === 0;
}

/** A Next-Router-State-Tree value Next.js can read: percent-encoded JSON of an array. */
function routerStateTreeValid(value: string): boolean {
  if (value.length > 40_000) return false;
  try {
    return Array.isArray(JSON.parse(decodeURIComponent(value)));
  } catch {
    return false;
  }
}

/**
 * Decides whether a request may go on to Next.js. Pure apart from `sessionIsLive`.
 * @example gateRequest({ method: 'TRACE', url: '/', headers: { host: 'localhost' } }, opts) -> { pass: false, status: 405 }
 */
export function gateRequest(
  req: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> },
  o: GateOptions,
): GateResult {
  const method = (req.method ?? 'GET').toUpperCase();
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
    return json(405, 'method_not_allowed', `The method ${method.slice(0, 20)} is not supported.`, { allow: ALLOWED_METHODS.join(', ') });
  }
  const host = typeof req.headers.host === 'string' ? req.headers.host : undefined;
  if (!hostAllowed(host, o)) {
    return json(
      403,
      'host_not_allowed',
      `This server does not answer for the host "${(host ?? '').slice(0, 100)}". Add its name to POPULACE_HOSTS (comma-separated) to allow it.`,
    );
  }
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q >= 0 ? raw.slice(0, q) : raw;
  try {
    decodeURIComponent(rawPath);
    if (q >= 0) decodeURIComponent(raw.slice(q + 1).replace(/\+/g, ' '));
  } catch {
    return json(400, 'bad_url', 'The address is not valid: it holds a broken percent-encoding.');
  }
  if (!rawPath.startsWith('/')) return json(400, 'bad_url', 'The address is not valid.');
  const tree = req.headers['next-router-state-tree'];
  if (tree !== undefined && (typeof tree !== 'string' || !routerStateTreeValid(tree))) {
    return json(400, 'bad_router_state', 'The Next-Router-State-Tree header is malformed.');
  }
  if (o.authRequired && !isPublicPath(rawPath)) {
    const cookie = typeof req.headers.cookie === 'string' ? req.headers.cookie : undefined;
    const token = cookieValue(cookie, SESSION_COOKIE);
    if (!token || !o.sessionIsLive(token)) {
      if (rawPath.startsWith('/api/')) return json(401, 'unauthenticated', 'Sign in first: this server requires an account.');
      return {
        pass: false,
        status: 307,
        headers: { location: `/signin?next=${encodeURIComponent(raw)}`, 'cache-control': 'no-store', 'content-length': '0' },
        body: '',
      };
    }
  }
  return { pass: true };
}

/** A fresh base64 nonce for one response's scripts. */
export const newNonce = () => randomBytes(16).toString('base64');

/**
 * The Content-Security-Policy for a page answer: scripts only from this origin or carrying the nonce (Next.js adds
 * it to its own inline scripts when it finds the policy on the request), styles from this origin or inline (charts
 * set style attributes), workers from this origin, no framing, no plugins, forms and base URI same-origin.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** The security headers every answer carries. */
export function securityHeaders(nonce: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(nonce),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

/**
 * Runs the gate on a Node request: a refused request is answered here; an accepted one gets the security headers
 * on its response, the policy on its request (so Next.js reads the nonce) and `x-populace-path` (the path and query
 * a page may send the user back to after sign-in). Returns whether Next.js should handle it.
 */
export function applyGate(req: IncomingMessage, res: ServerResponse, o: GateOptions): boolean {
  const nonce = newNonce();
  for (const [k, v] of Object.entries(securityHeaders(nonce))) res.setHeader(k, v);
  delete req.headers['x-populace-path'];
  const g = gateRequest(req, o);
  if (!g.pass) {
    res.writeHead(g.status, g.headers);
    res.end(req.method === 'HEAD' ? undefined : g.body);
    return false;
  }
  req.headers['content-security-policy'] = contentSecurityPolicy(nonce);
  req.headers['x-populace-path'] = req.url ?? '/';
  return true;
}
