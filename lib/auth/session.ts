/**
 * Sessions: a random 32-byte token (base64url) in the HttpOnly populace_session cookie, stored only as its sha256;
 * a CSRF token per session, readable by the page through GET /api/auth/session and the populace_csrf cookie.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { getDb } from '../../db/client';
import { deleteExpiredSessions, deleteSession, getLiveSession, insertSession, type SessionWithUser } from '../../db/queries/sessions';
import { CSRF_COOKIE, SESSION_COOKIE, SESSION_TTL_MS, authRequired, cookieValue, hostnameOf, isLoopbackHost } from './config';

export type { SessionWithUser };

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: string;
}

/** Starts a 12-hour session for a user (and sweeps expired ones). */
export function startSession(userId: number, now = Date.now()): NewSession {
  const db = getDb();
  deleteExpiredSessions({ db, now: new Date(now).toISOString() });
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now + SESSION_TTL_MS).toISOString();
  insertSession({ db, id: hashToken(token), userId, expiresAt, csrfToken });
  return { token, csrfToken, expiresAt };
}

/** The live session for a raw cookie token, or null. */
export function sessionForToken(token: string | null | undefined): SessionWithUser | null {
  if (!token || token.length > 200) return null;
  return getLiveSession({ db: getDb(), id: hashToken(token), now: new Date().toISOString() }) ?? null;
}

const perRequest = new WeakMap<Request, SessionWithUser | null>();

/** The live session of a request (from its Cookie header), looked up once per Request object. */
export function sessionFromRequest(req: Request): SessionWithUser | null {
  if (perRequest.has(req)) return perRequest.get(req)!;
  const s = sessionForToken(cookieValue(req.headers.get('cookie'), SESSION_COOKIE));
  perRequest.set(req, s);
  return s;
}

export function endSession(token: string | null | undefined): void {
  if (token) deleteSession({ db: getDb(), id: hashToken(token) });
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(presented: string | null | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether cookies get the Secure attribute: when the request came over https (directly or per X-Forwarded-Proto),
 * and always when sign-in is required and the request was not addressed to a loopback host.
 */
export function secureCookies(req: Request): boolean {
  const url = new URL(req.url);
  const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (url.protocol === 'https:' || proto === 'https') return true;
  const host = hostnameOf(req.headers.get('host') ?? url.host);
  return authRequired() && !isLoopbackHost(host);
}

/** The two Set-Cookie values that carry a new session. */
export function sessionCookies(s: NewSession, secure: boolean): string[] {
  const tail = `Path=/; Max-Age=${SESSION_TTL_MS / 1000}; SameSite=Lax${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=${s.token}; HttpOnly; ${tail}`, `${CSRF_COOKIE}=${s.csrfToken}; ${tail}`];
}

/** The two Set-Cookie values that clear the session cookies. */
export function clearedSessionCookies(secure: boolean): string[] {
  const tail = `Path=/; Max-Age=0; SameSite=Lax${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=; HttpOnly; ${tail}`, `${CSRF_COOKIE}=; ${tail}`];
}
