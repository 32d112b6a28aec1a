'use client';

/** Upload a posts file (CSV/JSONL) or a personas file (JSONL); shows the import report with bad rows. */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ImportReport } from '@/lib/pipeline/schema';
import { ReadOnlyNote, useMayChange } from '../Access';
import { api } from '../api';

export function ImportPanel() {
  const router = useRouter();
  const [kind, setKind] = useState<'posts' | 'personas'>('posts');
  const [file, setFile] = useState<File | null>(null);
  const [sourceId, setSourceId] = useState('');
  const [busy, setBusy] = useState(false);
  const mayChange = useMayChange();
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const q = new URLSearchParams({ kind, filename: file.name });
      if (sourceId.trim()) q.set('sourceId', sourceId.trim());
      setReport(await api<ImportReport>(`/api/pipeline/import?${q}`, { method: 'POST', body: file }));
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="import-form">
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">What</span>
          <select className="rounded border border-slate-300 px-2 py-1" value={kind} onChange={(e) => setKind(e.target.value as 'posts' | 'personas')} data-testid="import-kind">
            <option value="posts">Social media posts (CSV or JSONL)</option>
            <option value="personas">Ready-made personas (JSONL)</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">File</span>
          <input type="file" accept=".csv,.jsonl,.ndjson,.json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="import-file" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Source id (optional)</span>
          <input className="rounded border border-slate-300 px-2 py-1" placeholder="from the file name" value={sourceId} onChange={(e) => setSourceId(e.target.value)} data-testid="import-source" />
        </label>
        <button type="submit" disabled={!file || busy || !mayChange} className="rounded bg-slate-800 px-3 py-1.5 text-white disabled:opacity-50" data-testid="import-submit">
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      <ReadOnlyNote what="importing" />
      <p className="text-xs text-slate-500">
        Posts: columns <code>author_id</code>, <code>text</code>, optional <code>time</code> and <code>id</code>; other columns are kept as metadata.
        Personas: one JSON object per line with <code>narrative</code>, optional <code>demographics</code>, and optional <code>answers</code> with their{' '}
        <code>instrument</code>. Bad rows are reported and skipped; importing a file twice adds nothing.
      </p>
      {error && <p className="text-sm text-red-700" data-testid="import-error">{error}</p>}
      {report && (
        <div className="text-sm" data-testid="import-report">
          <p>
            <strong>{report.file}</strong> → source <code>{report.sourceId}</code>: <span data-testid="import-imported">{report.imported}</span> imported,{' '}
            {report.skipped} already present, <span data-testid="import-bad">{report.badCount}</span> bad rows.
          </p>
          {report.bad.length > 0 && (
            <table className="mt-2 w-full text-xs" data-testid="import-bad-rows">
              <thead className="text-left text-slate-600">
                <tr>
                  <th className="pr-3">Line</th>
                  <th className="pr-3">Field</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {report.bad.slice(0, 50).map((b) => (
                  <tr key={`${b.line}-${b.field}`}>
                    <td className="pr-3 tabular-nums">{b.line}</td>
                    <td className="pr-3">{b.field ?? '—'}</td>
                    <td>{b.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </form>
  );
}
