import { NextResponse } from 'next/server';
import { route } from '@/lib/http/route';
import { CSRF_HEADER, SESSION_COOKIE, cookieValue } from '@/lib/auth/config';
import { clearedSessionCookies, csrfMatches, endSession, secureCookies, sessionFromRequest } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/**
 * POST /api/auth/signout : ends the session (when the CSRF token matches) and clears the cookies. Public so that a
 * stale or expired session can still clear its cookies; same-origin is checked by route().
 */
export const POST = route(
  (req) => {
    const session = sessionFromRequest(req);
    if (session && csrfMatches(req.headers.get(CSRF_HEADER), session.csrfToken)) {
      endSession(cookieValue(req.headers.get('cookie'), SESSION_COOKIE));
    }
    const res = NextResponse.json({ signedOut: true });
    for (const c of clearedSessionCookies(secureCookies(req))) res.headers.append('set-cookie', c);
    return res;
  },
  { public: true },
);
