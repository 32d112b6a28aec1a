import Link from 'next/link';
import { NAV_LINKS } from './navLinks';
import { AuthControls } from './AuthControls';

/**
 * The main navigation: a skip link to the page's content first; the screens in a row from 768 px, behind a "Menu"
 * disclosure (a native <details>, no script) on narrower screens. When sign-in is required it shows the signed-in user
 * and a sign-out button (the layout looks the session up and passes the user here; pages refuse to render without
 * one: lib/auth/dal.ts).
 */
export function NavBar({ user }: { user: { username: string; role: string } | null }) {
  const links = (className: string) =>
    NAV_LINKS.map((l) => (
      <Link key={l.href} href={l.href} className={className} data-testid={`nav-${l.href.slice(1) || 'home'}`}>
        {l.label}
      </Link>
    ));
  return (
    <header className="border-b border-slate-200 bg-white">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-teal-800 focus:px-3 focus:py-1 focus:text-white"
        data-testid="skip-link"
      >
        Skip to the page&apos;s content
      </a>
      <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 md:px-6" aria-label="Main">
        <Link href="/" className="text-lg font-semibold text-teal-800">
          Populace
        </Link>
        <div className="hidden items-center gap-6 md:flex">{links('text-sm text-slate-700 hover:text-teal-800')}</div>
        <details className="md:hidden" data-testid="nav-menu">
          <summary className="cursor-pointer select-none rounded border border-slate-300 px-2 py-0.5 text-sm text-slate-700">Menu</summary>
          <div className="absolute left-0 right-0 z-40 mt-2 flex flex-col gap-1 border-b border-slate-200 bg-white px-4 py-2 shadow">
            {NAV_LINKS.map((l) => (
              <Link key={l.href} href={l.href} className="py-1 text-sm text-slate-700 hover:text-teal-800">
                {l.label}
              </Link>
            ))}
          </div>
        </details>
        {user ? <AuthControls username={user.username} role={user.role} /> : null}
      </nav>
    </header>
  );
}
