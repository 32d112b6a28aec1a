'use client';
/**
 * The signed-in user's name and role with a sign-out button. Loading this module also makes every same-origin
 * mutation made with fetch() carry the CSRF token (x-csrf-token, from the populace_csrf cookie) and gives a string
 * body without a content type the type application/json, so the existing screens work unchanged when sign-in is
 * required. Screens call the API through components/api.ts, which sends the token itself; this covers any other
 * fetch() made in the page.
 */
import { useState } from 'react';
import { api, readCsrfCookie } from './api';

const CSRF_HEADER = 'x-csrf-token';

function installCsrfFetch(): void {
  const w = window as Window & { __populaceCsrfFetch?: boolean };
  if (w.__populaceCsrfFetch) return;
  w.__populaceCsrfFetch = true;
  const original = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
    const token = readCsrfCookie();
    if (url.origin === window.location.origin && !['GET', 'HEAD', 'OPTIONS'].includes(method)) {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      if (token && !headers.has(CSRF_HEADER)) headers.set(CSRF_HEADER, token);
      // JSON routes refuse bodies not sent as application/json; screens post JSON strings.
      if (typeof init?.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return original(input, { ...init, headers });
    }
    return original(input, init);
  };
}

if (typeof window !== 'undefined') installCsrfFetch();

export function AuthControls({ username, role }: { username: string; role: string }) {
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    try {
      await api('/api/auth/signout', { method: 'POST' }).catch(() => null);
    } finally {
      window.location.assign('/signin');
    }
  }
  return (
    <div className="ml-auto flex items-center gap-3 text-sm text-slate-700">
      <span data-testid="auth-user">
        {username} <span className="text-slate-500">({role})</span>
      </span>
      <button
        type="button"
        onClick={signOut}
        disabled={busy}
        className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-50 disabled:opacity-50"
        data-testid="sign-out"
      >
        Sign out
      </button>
    </div>
  );
}
