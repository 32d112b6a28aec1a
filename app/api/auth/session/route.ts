import { route } from '@/lib/http/route';
import { authRequired } from '@/lib/auth/config';
import { sessionFromRequest } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/** GET /api/auth/session : whether sign-in is required, the signed-in user and the CSRF token for mutations. */
export const GET = route(
  (req) => {
    if (!authRequired()) return { authRequired: false, user: null, csrfToken: null };
    const s = sessionFromRequest(req);
    return {
      authRequired: true,
      user: s ? { username: s.username, role: s.role } : null,
      csrfToken: s?.csrfToken ?? null,
      expiresAt: s?.expiresAt ?? null,
    };
  },
  { public: true },
);
