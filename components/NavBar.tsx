import Link from 'next/link';
import { NAV_LINKS } from './nav-links';
import { AuthControls } from './AuthControls';

/**
 * The main navigation. When sign-in is required it shows the signed-in user and a sign-out button (the layout looks
 * the session up and passes the user here; pages refuse to render without one: lib/auth/dal.ts).
 */
export function NavBar({ user }: { user: { username: string; role: string } | null }) {
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
