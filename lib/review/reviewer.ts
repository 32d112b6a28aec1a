/**
 * Who is reviewing. When sign-in is required (lib/auth/config.ts) the reviewer is the signed-in user, who must have
 * the reviewer or admin role; otherwise it is the name remembered in the `populace_reviewer` cookie (set on the
 * review screen). Never the request body.
 */
import { cookies } from 'next/headers';
import { AppError } from '../http/errors';
import { SESSION_COOKIE, authRequired, roleAtLeast } from '../auth/config';
import { sessionForToken, sessionFromRequest } from '../auth/session';
import { REVIEWER_COOKIE, normaliseReviewerName, reviewerFromCookieHeader } from './reviewerName';

export const REVIEWER_REQUIRED_MESSAGE =
  'Who is reviewing? Enter your reviewer name on the Review screen first (it is remembered in the populace_reviewer cookie).';

/** The reviewer of an API request; throws a 401 AppError when there is none (403 when the role may not review). */
export function requireReviewer(req: Request): string {
  if (authRequired()) {
    const session = sessionFromRequest(req);
    if (!session) throw new AppError('unauthenticated', 'Sign in first: this server requires an account.', 401);
    if (!roleAtLeast(session.role, 'reviewer')) {
      throw new AppError('forbidden', `Reviewing needs the reviewer role; you are signed in as ${session.role}.`, 403);
    }
    return session.username;
  }
  const name = reviewerFromCookieHeader(req.headers.get('cookie'));
  if (!name) throw new AppError('reviewer_required', REVIEWER_REQUIRED_MESSAGE, 401);
  return name;
}

/** The reviewer of the page being rendered (server components), or null when no name is remembered. */
export async function currentReviewer(): Promise<string | null> {
  const jar = await cookies();
  if (authRequired()) {
    const session = sessionForToken(jar.get(SESSION_COOKIE)?.value);
    return session && roleAtLeast(session.role, 'reviewer') ? session.username : null;
  }
  const raw = jar.get(REVIEWER_COOKIE)?.value;
  if (!raw) return null;
  try {
    return normaliseReviewerName(decodeURIComponent(raw));
  } catch {
    return normaliseReviewerName(raw);
  }
}
