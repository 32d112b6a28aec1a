import Link from 'next/link';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { NAV_LINKS } from './nav-links';
import { AuthControls } from './AuthControls';
import { authRequired } from '@/lib/auth/config';

/**
 * The main navigation. When sign-in is required it shows the user and a sign-out button, and it sends a page
 * request whose session cookie is not (or no longer) valid to /signin: proxy.ts only sees that a cookie is
 * present; the layout checks it against the database on every page render and passes the user here.
 */
export async function NavBar({ user }: { user: { username: string; role: string } | null }) {
  if (authRequired() && !user) {
    const path = (await headers()).get('x-populace-path') ?? '/';
    const onSignIn = path === '/signin' || path.startsWith('/signin?');
    if (!onSignIn) redirect(`/signin?next=${encodeURIComponent(path)}`);
  }
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3" aria-label="Main">
        <Link href="/" className="text-lg font-semibold text-teal-800">
          Populace
        </Link>
        {NAV_LINKS.map((l) => (
          <Link key={l.href} href={l.href} className="text-sm text-slate-700 hover:text-teal-800" data-testid={`nav-${l.href.slice(1) || 'home'}`}>
            {l.label}
          </Link>
        ))}
        {user ? <AuthControls username={user.username} role={user.role} /> : null}
      </nav>
    </header>
  );
}
