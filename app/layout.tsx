import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { NavBar } from '@/components/NavBar';
import { Providers } from '@/components/Providers';
import { SESSION_COOKIE, authRequired } from '@/lib/auth/config';
import { sessionForToken } from '@/lib/auth/session';
import './globals.css';

export const metadata: Metadata = {
  title: 'Populace',
  description: 'Population-aligned persona sets for LLM-based social simulation',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // One session look-up per page: the NavBar shows the user (or sends to /signin), the screens get the role.
  const session = authRequired() ? sessionForToken((await cookies()).get(SESSION_COOKIE)?.value) : null;
  const role = authRequired() ? (session?.role ?? 'viewer') : null;
  return (
    <html lang="en">
      <body>
        <Providers access={{ role }}>
          <NavBar user={session ? { username: session.username, role: session.role } : null} />
          <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
