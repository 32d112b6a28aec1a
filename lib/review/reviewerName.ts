/**
 * The reviewer's name as remembered in the browser: a cookie set on the review screen until sign-in exists.
 * Client-safe (no server imports): the review screen writes the cookie with these helpers; lib/review/reviewer.ts
 * reads it on the server.
 */
export const REVIEWER_COOKIE = 'populace_reviewer';

/** A reviewer name: 1-64 characters after trimming, no control characters. Returns null when it is not usable. */
export function normaliseReviewerName(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > 64) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return null;
  return name;
}

/** The value of the reviewer cookie in a Cookie header (decoded and normalised), or null. */
export function reviewerFromCookieHeader(header: string | null | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== REVIEWER_COOKIE) continue;
    try {
      return normaliseReviewerName(decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      return null;
    }
  }
  return null;
}

/** The Set-Cookie / document.cookie string that remembers a reviewer name for a year. */
export function reviewerCookieString(name: string): string {
  return `${REVIEWER_COOKIE}=${encodeURIComponent(name)}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
