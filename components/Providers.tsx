'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { AccessProvider, type Access } from './Access';
// Installs the same-origin fetch defaults (CSRF token, JSON content type) on every page, signed in or not.
import './AuthControls';

export function Providers({ access, children }: { access: Access; children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: 1 } } }));
  return (
    <QueryClientProvider client={client}>
      <AccessProvider access={access}>{children}</AccessProvider>
    </QueryClientProvider>
  );
}
