/**
 * The DB-backed access checks that route() runs on every API request when sign-in is required: a live session
 * (401), a role high enough (403), and for mutations a same-origin Origin and the session's CSRF token in the
 * x-csrf-token header (403). The front door (lib/server/gate.ts) has already refused a request without a live session.
 */
import { AppError } from '../errors';
import { CSRF_HEADER, isMutation, originMatchesHost, roleAtLeast, type Role } from './config';
import { csrfMatches, sessionFromRequest, type SessionWithUser } from './session';

export interface AccessOptions {
  /** The least role allowed; default 'viewer' for GET/HEAD, 'reviewer' for mutations. */
  role?: Role;
  /** No session needed (sign-in, session probe, health); mutations still must be same-origin. */
  public?: boolean;
}

export const SIGN_IN_REQUIRED_MESSAGE = 'Sign in first: this server requires an account.';

export function checkOrigin(req: Request): void {
  if (isMutation(req.method) && !originMatchesHost(req.headers, new URL(req.url).host)) {
    throw new AppError('cross_origin', 'Cross-origin requests may not change anything.', 403);
  }
}

/** Runs the checks; returns the session (null for public routes without one). */
export function authorize(req: Request, options: AccessOptions = {}): SessionWithUser | null {
  checkOrigin(req);
  const session = sessionFromRequest(req);
  if (options.public) return session;
  if (!session) throw new AppError('unauthenticated', SIGN_IN_REQUIRED_MESSAGE, 401);
  const mutation = isMutation(req.method);
  const needed: Role = options.role ?? (mutation ? 'reviewer' : 'viewer');
  if (!roleAtLeast(session.role, needed)) {
    throw new AppError('forbidden', `This needs the ${needed} role; you are signed in as ${session.role}.`, 403);
  }
  if (mutation && !csrfMatches(req.headers.get(CSRF_HEADER), session.csrfToken)) {
    throw new AppError('csrf', 'Missing or wrong CSRF token (x-csrf-token header); reload the page and try again.', 403);
  }
  return session;
}
