import { NextResponse } from 'next/server';
import { jsonBody, route } from '@/lib/http/route';
import { signIn, signInSchema } from '@/lib/auth/service';
import { secureCookies, sessionCookies } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/** POST /api/auth/signin {username, password} : starts a session (cookies); 401 wrong credentials, 429 too many. */
export const POST = route(
  async (req) => {
    const s = await signIn(await jsonBody(req, signInSchema), req.headers);
    const res = NextResponse.json({ user: { username: s.username, role: s.role }, csrfToken: s.csrfToken, expiresAt: s.expiresAt }, { headers: { 'cache-control': 'no-store' } });
    for (const c of sessionCookies(s, secureCookies(req))) res.headers.append('set-cookie', c);
    return res;
  },
  { public: true },
);
