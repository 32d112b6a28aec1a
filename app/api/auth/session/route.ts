import { NextResponse } from 'next/server';
import { route } from '@/lib/http/route';
import { authRequired } from '@/lib/auth/config';
import { sessionFromRequest } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/** GET /api/auth/session : whether sign-in is required, the signed-in user and the CSRF token for mutations (no-store). */
export const GET = route(
  (req) => {
    const s = authRequired() ? sessionFromRequest(req) : null;
    const body = authRequired()
      ? { authRequired: true, user: s ? { username: s.username, role: s.role } : null, csrfToken: s?.csrfToken ?? null, expiresAt: s?.expiresAt ?? null }
      : { authRequired: false, user: null, csrfToken: null };
    // Tokens are never cached by the browser or a proxy.
    return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
  },
  { public: true },
);
