'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useMayChange } from '../Access';
import { api } from '../api';

/** Settles a conflict with a final decision by the current reviewer (recorded as a settlement). */
export function SettleConflict({ personaId, reasonCodes }: { personaId: number; reasonCodes: { code: string; label: string }[] }) {
  const router = useRouter();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mayChange = useMayChange();
  async function settle(decision: 'accept' | 'reject') {
    setBusy(true);
    try {
      await api('/api/review/decisions', {
        json: { personaId, decision, reasonCode: reason || null, note: 'settles a conflict between reviewers', settlement: true },
        fallback: 'Could not settle.',
      });
    } catch (e) {
      setError((e as Error).message);
      return;
    } finally {
      setBusy(false);
    }
    router.refresh();
  }
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid={`settle-${personaId}`}>
      <select className="rounded border border-slate-300 px-1 py-0.5 text-sm" value={reason} onChange={(e) => setReason(e.target.value)} aria-label="Reason for the settlement">
        <option value="">no reason</option>
        {reasonCodes.map((r) => (
          <option key={r.code} value={r.code}>
            {r.label}
          </option>
        ))}
      </select>
      <button type="button" disabled={busy || !mayChange} className="rounded bg-emerald-700 px-2 py-1 text-sm text-white disabled:opacity-50" onClick={() => settle('accept')} data-testid="settle-accept">
        Settle: accept
      </button>
      <button type="button" disabled={busy || !mayChange} className="rounded bg-rose-700 px-2 py-1 text-sm text-white disabled:opacity-50" onClick={() => settle('reject')} data-testid="settle-reject">
        Settle: reject
      </button>
      {error && (
        <span className="text-sm text-rose-800" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
