/**
 * The data access layer's check for server components: every page calls `requirePageAccess()` before it reads
 * anything, so a page rendered without a live session holds no data even if it is reached some other way than
 * through the server's front door (lib/server/gate.ts, which refuses such requests first). Route handlers get the
 * same check from route() (lib/http/route.ts).
 *
 * When sign-in is not required (loopback) there is no session and every page is readable.
 */
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { SESSION_COOKIE, authRequired, roleAtLeast, type Role } from './config';
import { sessionForToken, type SessionWithUser } from './session';

/** The live session of the request being rendered (looked up once per render), or null. */
export const pageSession = cache(async (): Promise<SessionWithUser | null> => {
  if (!authRequired()) return null;
  return sessionForToken((await cookies()).get(SESSION_COOKIE)?.value);
});

export interface PageAccess {
  /** The signed-in user, or null when sign-in is not required. */
  user: { username: string; role: Role } | null;
}

/** The path and query of the page being rendered (set by the server's front door), for the way back after sign-in. */
async function currentPath(): Promise<string> {
  const p = (await headers()).get('x-populace-path');
  return p && p.startsWith('/') && !p.startsWith('//') ? p : '/';
}

/**
 * Verifies the session (and the least role) before a page reads data. Without a live session it redirects to
 * /signin (the redirect stops this page's rendering); with too low a role it redirects home with a note.
 */
export async function requirePageAccess(role: Role = 'viewer'): Promise<PageAccess> {
  if (!authRequired()) return { user: null };
  const s = await pageSession();
  if (!s) redirect(`/signin?next=${encodeURIComponent(await currentPath())}`);
  if (!roleAtLeast(s.role, role)) redirect('/?denied=1');
  return { user: { username: s.username, role: s.role } };
}
