/**
 * Cheap access checks before routing when sign-in is required (POPULACE_AUTH=required; lib/auth/config.ts): no database
 * here. Cross-origin mutations are refused (403); a request without a session cookie gets 401 (API) or a redirect
 * to /signin (pages). route() in lib/http/route.ts then checks the session, the role and the CSRF token against the
 * database. When sign-in is not required this does nothing.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { SESSION_COOKIE, authRequired, isMutation, originMatchesHost } from './lib/auth/config';

const PUBLIC_PATHS = new Set(['/signin', '/api/auth/signin', '/api/auth/signout', '/api/auth/session', '/api/live']);

export function proxy(req: NextRequest) {
  if (!authRequired()) return NextResponse.next();
  const { pathname, search } = req.nextUrl;
  if (isMutation(req.method) && !originMatchesHost(req.headers, req.nextUrl.host)) {
    return NextResponse.json({ error: { code: 'cross_origin', message: 'Cross-origin requests may not change anything.' } }, { status: 403 });
  }
  const headers = new Headers(req.headers);
  headers.set('x-populace-path', pathname + search);
  if (PUBLIC_PATHS.has(pathname) || req.cookies.get(SESSION_COOKIE)?.value) {
    return NextResponse.next({ request: { headers } });
  }
  if (pathname.startsWith('/api/')) {
    return NextResponse.json({ error: { code: 'unauthenticated', message: 'Sign in first: this server requires an account.' } }, { status: 401 });
  }
  const to = req.nextUrl.clone();
  to.pathname = '/signin';
  to.search = `?next=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(to);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg).*)'],
};
