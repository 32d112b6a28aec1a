import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { NavBar } from '@/components/NavBar';
import { Providers } from '@/components/Providers';
import { authRequired } from '@/lib/auth/config';
import { pageSession } from '@/lib/auth/dal';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Populace', template: '%s · Populace' },
  description: 'Population-aligned persona sets for LLM-based social simulation',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // One session look-up per render (shared with the page's requirePageAccess): the NavBar shows the user, the
  // screens get the role. Pages themselves refuse to render without a session.
  const session = await pageSession();
  const role = authRequired() ? (session?.role ?? 'viewer') : null;
  return (
    <html lang="en">
      <body>
        <Providers access={{ role }}>
          <NavBar user={session ? { username: session.username, role: session.role } : null} />
          <main id="main" tabIndex={-1} className="mx-auto max-w-7xl break-words px-4 py-6 outline-none md:px-6">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
