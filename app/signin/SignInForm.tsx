'use client';
import { useState, type FormEvent } from 'react';

export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/signin', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: String(form.get('username') ?? ''), password: String(form.get('password') ?? '') }),
      });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `Sign-in failed (${res.status}).`);
    } catch {
      setError('The server did not answer. Try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" data-testid="signin-form">
      <label className="block text-sm text-slate-700">
        Username
        <input name="username" autoComplete="username" required className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" data-testid="signin-username" />
      </label>
      <label className="block text-sm text-slate-700">
        Password
        <input name="password" type="password" autoComplete="current-password" required className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" data-testid="signin-password" />
      </label>
      {error ? (
        <p role="alert" className="text-sm text-red-700" data-testid="signin-error">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy} className="rounded bg-teal-700 px-3 py-1.5 text-sm text-white disabled:opacity-50" data-testid="signin-submit">
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
