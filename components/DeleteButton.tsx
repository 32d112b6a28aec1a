'use client';
/**
 * A Delete button with a confirm step, for a row the server says the user may delete (its owner, an admin, or anyone
 * on a loopback server). Viewers see it disabled like the other change controls; other users do not see it. After a
 * deletion the page is refreshed; a refusal (403, 409) is shown in the server's words.
 */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useMayChange } from './Access';
import { api } from './api';

export function DeleteButton({ url, what, allowed, testId }: { url: string; what: string; allowed: boolean; testId: string }) {
  const router = useRouter();
  const mayChange = useMayChange();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!mayChange) {
    return (
      <button type="button" className="rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-400" disabled title="Deleting needs the reviewer or admin role" data-testid={testId}>
        Delete
      </button>
    );
  }
  if (!allowed) return null;

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await api(url, { method: 'DELETE' });
      setConfirming(false);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      {confirming ? (
        <>
          <span className="text-xs text-slate-700">Delete {what}?</span>
          <button
            type="button"
            className="rounded bg-red-700 px-2 py-0.5 text-xs font-medium text-white hover:bg-red-800 disabled:opacity-50"
            onClick={() => void remove()}
            disabled={busy}
            data-testid={`${testId}-confirm`}
          >
            Yes, delete
          </button>
          <button type="button" className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100" onClick={() => setConfirming(false)} disabled={busy} data-testid={`${testId}-cancel`}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-800 hover:bg-red-50" onClick={() => setConfirming(true)} data-testid={testId}>
          Delete
        </button>
      )}
      {error && (
        <span className="text-xs text-red-700" role="alert" data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </span>
  );
}
