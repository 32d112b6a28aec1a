/**
 * Who is reviewing. Until sign-in exists the reviewer is the name remembered in the `populace_reviewer` cookie
 * (set on the review screen); sign-in replaces the two functions below and nothing else.
 */
import { cookies } from 'next/headers';
import { AppError } from '../http/errors';
import { REVIEWER_COOKIE, normaliseReviewerName, reviewerFromCookieHeader } from './reviewer-name';

export const REVIEWER_REQUIRED_MESSAGE =
  'Who is reviewing? Enter your reviewer name on the Review screen first (it is remembered in the populace_reviewer cookie).';

/** The reviewer of an API request, from its cookie; throws a 401 AppError when there is none. */
export function requireReviewer(req: Request): string {
  const name = reviewerFromCookieHeader(req.headers.get('cookie'));
  if (!name) throw new AppError('reviewer_required', REVIEWER_REQUIRED_MESSAGE, 401);
  return name;
}

/** The reviewer of the page being rendered (server components), or null when no name is remembered. */
export async function currentReviewer(): Promise<string | null> {
  const jar = await cookies();
  const raw = jar.get(REVIEWER_COOKIE)?.value;
  if (!raw) return null;
  try {
    return normaliseReviewerName(decodeURIComponent(raw));
  } catch {
    return normaliseReviewerName(raw);
  }
}
