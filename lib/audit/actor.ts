/**
 * Who is acting: the signed-in user when sign-in is required (lib/auth/config.ts), else the single local user of a
 * loopback server, who has every right (an admin without a name). Route handlers read it from the request and pass
 * it to the service; pages build it from requirePageAccess(). Owners (`created_by` of runs and exports) are
 * usernames, null when the row was made without sign-in.
 */
import { authRequired, type Role } from '../auth/config';
import { SIGN_IN_REQUIRED_MESSAGE } from '../auth/guard';
import { sessionFromRequest } from '../auth/session';
import { AppError } from '../http/errors';

export interface Actor {
  /** The signed-in username; null on a loopback server without sign-in. */
  username: string | null;
  role: Role;
  /** True when sign-in is required (the username and role come from a session). */
  signedIn: boolean;
}

/** The single local user of a server that needs no sign-in: acts as an admin, has no name. */
export const LOCAL_ACTOR: Actor = Object.freeze({ username: null, role: 'admin', signedIn: false });

/** The actor of an API request (route() has already checked the session and role when sign-in is required). */
export function actorFromRequest(req: Request): Actor {
  if (!authRequired()) return LOCAL_ACTOR;
  const s = sessionFromRequest(req);
  if (!s) throw new AppError('unauthenticated', SIGN_IN_REQUIRED_MESSAGE, 401);
  return { username: s.username, role: s.role, signedIn: true };
}

/** The actor of a page, from requirePageAccess()'s answer (user null: no sign-in required). */
export function actorFromPage(access: { user: { username: string; role: Role } | null }): Actor {
  return access.user ? { username: access.user.username, role: access.user.role, signedIn: true } : LOCAL_ACTOR;
}

/**
 * Whether the actor may delete a row owned by `owner`: anyone on a loopback server; with sign-in an admin, or the
 * reviewer who made it (a row made without sign-in has no owner, so only admins may delete it then).
 */
export function mayDeleteOwned(actor: Actor, owner: string | null): boolean {
  if (!actor.signedIn || actor.role === 'admin') return true;
  return actor.role === 'reviewer' && owner !== null && owner === actor.username;
}

/** Throws the 403 (with a sentence) when the actor may not delete the row. */
export function requireMayDelete(actor: Actor, owner: string | null, what: string): void {
  if (mayDeleteOwned(actor, owner)) return;
  const by = owner === null ? 'was made without sign-in' : `belongs to ${owner}`;
  throw new AppError('forbidden', `Only its owner or an admin may delete ${what}: it ${by}, and you are signed in as ${actor.username} (${actor.role}).`, 403);
}

/**
 * Whether the actor may see server details (the database file, LLM server URLs): admins, and the local user of a
 * loopback server.
 */
export function seesServerDetails(actor: Actor): boolean {
  return actor.role === 'admin';
}
