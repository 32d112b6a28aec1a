import { NextResponse } from 'next/server';
import { route } from '@/lib/http/route';
import { SESSION_COOKIE, cookieValue } from '@/lib/auth/config';
import { clearedSessionCookies, endSession, secureCookies } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/**
 * POST /api/auth/signout : ends the session of the cookie it carries, whatever else it carries, and clears the
 * cookies. Public so that a stale or expired session can still clear its cookies; route() refuses cross-origin posts,
 * so another site cannot sign the user out.
 */
export const POST = route(
  (req) => {
    endSession(cookieValue(req.headers.get('cookie'), SESSION_COOKIE));
    const res = NextResponse.json({ signedOut: true }, { headers: { 'cache-control': 'no-store' } });
    for (const c of clearedSessionCookies(secureCookies(req))) res.headers.append('set-cookie', c);
    return res;
  },
  { public: true },
);
