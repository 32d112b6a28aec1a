'use client';

/** Create an export (run, group or pool; k personas or every persona with its weight), list, download, delete, diff two. */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { HelpTip } from '@/components/HelpTip';
import { EXPORT_FORMATS } from '@/lib/export/schema';
import { ReadOnlyNote, useMayChange } from '../Access';
import { DeleteButton } from '../DeleteButton';

export interface ExportListItem {
  id: number;
  runId: number | null;
  format: string;
  createdAt: string;
  /** The signed-in user who made it (null without sign-in). */
  createdBy: string | null;
  /** Whether the current user may delete it (owner, admin, or loopback). */
  mayDelete: boolean;
  source: { kind: string; run: { id: number; name: string } | null; group: { id: number; name: string } | null };
  set: string;
  selection: { k: number; distinct: number; unique: boolean; seed: number | null; method: string };
  rows: number;
  rowsSha256: string;
  files: Record<string, { sha256: string; bytes: number }>;
}

interface DiffResult {
  summary: string;
  added: { personaId: number; weight: number; count: number }[];
  removed: { personaId: number; weight: number; count: number }[];
  reweighted: { personaId: number; from: number; to: number; delta: number }[];
  recounted: { personaId: number; from: number; to: number }[];
}

export function ExportsScreen({
  exports,
  runs,
  groups,
  initialGroup,
}: {
  exports: ExportListItem[];
  runs: { id: number; name: string }[];
  groups: { id: number; name: string; aligned: boolean }[];
  initialGroup: number | null;
}) {
  const router = useRouter();
  const mayChange = useMayChange();
  const [kind, setKind] = useState<'group' | 'run' | 'pool'>(initialGroup ? 'group' : groups.some((g) => g.aligned) ? 'group' : runs.length ? 'run' : 'pool');
  const [groupId, setGroupId] = useState<number>(initialGroup ?? groups.find((g) => g.aligned)?.id ?? groups[0]?.id ?? 0);
  const [runId, setRunId] = useState<number>(runs[0]?.id ?? 0);
  const [set, setSet] = useState<'selection' | 'weights'>('selection');
  const [size, setSize] = useState('');
  const [unique, setUnique] = useState(false);
  const [seed, setSeed] = useState(0);
  const [format, setFormat] = useState<(typeof EXPORT_FORMATS)[number]>('jsonl');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [a, setA] = useState<number>(exports[1]?.id ?? exports[0]?.id ?? 0);
  const [b, setB] = useState<number>(exports[0]?.id ?? 0);
  const [diff, setDiff] = useState<DiffResult | null>(null);

  async function create() {
    setError(null);
    setBusy(true);
    const source = kind === 'group' ? { kind, groupId } : kind === 'run' ? { kind, runId } : { kind };
    const body: Record<string, unknown> = { source, set, format, seed };
    if (set === 'selection' && size) body.size = Number(size);
    if (set === 'selection' && unique) body.unique = true;
    try {
      const res = await fetch('/api/exports', { method: 'POST', body: JSON.stringify(body) });
      const out = await res.json();
      if (!res.ok) throw new Error(out?.error?.message ?? `HTTP ${res.status}`);
      setCreated(out.id);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function runDiff() {
    setError(null);
    const res = await fetch(`/api/exports/diff?a=${a}&b=${b}`);
    const out = await res.json();
    if (!res.ok) setError(out?.error?.message ?? `HTTP ${res.status}`);
    else setDiff(out);
  }

  const describeSource = (e: ExportListItem) =>
    e.source.kind === 'pool' ? 'Pool' : e.source.group ? `Group “${e.source.group.name}” (run ${e.source.run?.id})` : `Run ${e.source.run?.id} “${e.source.run?.name}”`;

  return (
    <div className="space-y-5">
      <section className="rounded-lg border border-slate-200 bg-white p-3" aria-labelledby="new-export-title" data-testid="export-form">
        <h2 id="new-export-title" className="font-semibold">
          New export
        </h2>
        <div className="mt-2 grid gap-3 text-sm md:grid-cols-3">
          <fieldset className="space-y-1">
            <legend className="text-xs text-slate-600">From</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" checked={kind === 'group'} onChange={() => setKind('group')} data-testid="export-kind-group" />
              a group’s latest aligned set
            </label>
            {kind === 'group' && (
              <select className="w-full rounded border border-slate-300 px-1 py-1" value={groupId} onChange={(e) => setGroupId(Number(e.target.value))} data-testid="export-group">
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                    {g.aligned ? '' : ' (not aligned yet)'}
                  </option>
                ))}
              </select>
            )}
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" checked={kind === 'run'} onChange={() => setKind('run')} data-testid="export-kind-run" />
              an alignment run
            </label>
            {kind === 'run' && (
              <select className="w-full rounded border border-slate-300 px-1 py-1" value={runId} onChange={(e) => setRunId(Number(e.target.value))} data-testid="export-run">
                {runs.map((r) => (
                  <option key={r.id} value={r.id}>
                    Run {r.id}: {r.name}
                  </option>
                ))}
              </select>
            )}
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" checked={kind === 'pool'} onChange={() => { setKind('pool'); setSet('weights'); }} data-testid="export-kind-pool" />
              the whole pool (uniform weights)
            </label>
          </fieldset>
          <fieldset className="space-y-1">
            <legend className="text-xs text-slate-600">Which personas</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="set" checked={set === 'selection'} onChange={() => setSet('selection')} />
              the selected set of k personas
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="set" checked={set === 'weights'} onChange={() => setSet('weights')} data-testid="export-set-weights" />
              every persona with its weight
            </label>
            {set === 'selection' && (
              <div className="space-y-1 pl-5 text-xs">
                <label className="block">
                  k (empty: the run’s stored selection)
                  <input type="number" min={1} className="ml-1 w-24 rounded border border-slate-300 px-1 py-0.5" value={size} onChange={(e) => setSize(e.target.value)} data-testid="export-size" />
                </label>
                <label className="flex items-center gap-1">
                  <input type="checkbox" checked={unique} onChange={(e) => setUnique(e.target.checked)} data-testid="export-unique" />
                  unique personas (otherwise drawn with replacement)
                </label>
                <label className="block">
                  seed of a fresh draw
                  <input type="number" min={0} className="ml-1 w-20 rounded border border-slate-300 px-1 py-0.5" value={seed} onChange={(e) => setSeed(Number(e.target.value) || 0)} />
                </label>
              </div>
            )}
          </fieldset>
          <fieldset className="space-y-1">
            <legend className="text-xs text-slate-600">Format</legend>
            {EXPORT_FORMATS.map((f) => (
              <label key={f} className="flex items-center gap-2">
                <input type="radio" name="format" checked={format === f} onChange={() => setFormat(f)} data-testid={`export-format-${f}`} />
                {f === 'jsonl' ? 'JSONL (one JSON object per line)' : f === 'csv' ? 'CSV (spreadsheet-safe)' : 'Parquet'}
              </label>
            ))}
            <button
              type="button"
              className="mt-2 rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800 disabled:opacity-50"
              onClick={() => void create()}
              disabled={busy || !mayChange}
              data-testid="create-export"
            >
              Create export
            </button>
            <ReadOnlyNote what="creating an export" />
          </fieldset>
        </div>
        {error && (
          <p className="mt-2 text-sm text-red-700" role="alert" data-testid="export-error">
            {error}
          </p>
        )}
        {created !== null && (
          <p className="mt-2 text-sm text-emerald-800" data-testid="export-created" data-export-id={created}>
            Export {created} created: download it below.
          </p>
        )}
      </section>

      <section aria-labelledby="exports-title">
        <h2 id="exports-title" className="text-lg font-semibold">
          Exports
        </h2>
        <p className="text-xs text-slate-500">
          Each export keeps a manifest (Populace version, target and group, engine config and seed, reference and persona licences,
          metrics, diagnostics, review summary, a sha256 of every row and of each file). Each file is stored when the export is made,
          so a download answers exactly those bytes (their sha256 is in the x-content-sha256 header), even after its personas were
          reviewed. Deleting an export is recorded in the audit log.
        </p>
        <table className="mt-1 w-full text-xs" data-testid="exports-list">
          <thead className="bg-slate-100 text-left text-slate-700">
            <tr>
              <th className="px-2 py-1">#</th>
              <th className="px-2 py-1">Created (UTC)</th>
              <th className="px-2 py-1">From</th>
              <th className="px-2 py-1">Set</th>
              <th className="px-2 py-1 text-right">
                Rows
                <HelpTip term="rows" />
              </th>
              <th className="px-2 py-1 text-right">
                k
                <HelpTip term="count" />
              </th>
              <th className="px-2 py-1">Download</th>
              <th className="px-2 py-1">Rows sha256</th>
              <th className="px-2 py-1">
                <span className="sr-only">Delete</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {exports.map((e) => (
              <tr key={e.id} className="border-t border-slate-100" data-testid={`export-row-${e.id}`}>
                <td className="px-2 py-1 tabular-nums">{e.id}</td>
                <td className="px-2 py-1 tabular-nums">
                  {e.createdAt.replace('T', ' ').slice(0, 19)}
                  {e.createdBy && <span className="block text-[10px] text-slate-500">by {e.createdBy}</span>}
                </td>
                <td className="px-2 py-1">{describeSource(e)}</td>
                <td className="px-2 py-1">{e.set === 'weights' ? 'every persona + weight' : `${e.selection.unique ? 'unique' : 'with replacement'} · ${e.selection.method}`}</td>
                <td className="px-2 py-1 text-right tabular-nums">{e.rows}</td>
                <td className="px-2 py-1 text-right tabular-nums">{e.selection.k}</td>
                <td className="px-2 py-1">
                  {[...EXPORT_FORMATS, 'manifest' as const].map((f) => (
                    <a
                      key={f}
                      className={`mr-2 underline ${f === e.format ? 'font-semibold text-teal-800' : 'text-teal-700'}`}
                      href={`/api/exports/${e.id}/download?format=${f}`}
                      download
                      data-testid={`download-${e.id}-${f}`}
                    >
                      {f}
                    </a>
                  ))}
                </td>
                <td className="px-2 py-1 font-mono text-[10px] text-slate-500" title={e.rowsSha256}>
                  {e.rowsSha256.slice(0, 12)}…
                </td>
                <td className="px-2 py-1">
                  <DeleteButton url={`/api/exports/${e.id}`} what={`export ${e.id}`} allowed={e.mayDelete} testId={`delete-export-${e.id}`} />
                </td>
              </tr>
            ))}
            {exports.length === 0 && (
              <tr>
                <td colSpan={9} className="px-2 py-2 text-slate-500">
                  No exports yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>

      <section className="space-y-2" aria-labelledby="diff-title">
        <h2 id="diff-title" className="text-lg font-semibold">
          Compare two exports
        </h2>
        <div className="flex flex-wrap items-end gap-2 text-sm">
          {(
            [
              ['A', a, setA],
              ['B', b, setB],
            ] as const
          ).map(([label, value, set]) => (
            <label key={label} className="text-xs">
              <span className="text-slate-600">Export {label}</span>
              <select className="ml-1 rounded border border-slate-300 px-1 py-1" value={value} onChange={(ev) => set(Number(ev.target.value))} data-testid={`diff-${label}`}>
                {exports.map((e) => (
                  <option key={e.id} value={e.id}>
                    #{e.id} {describeSource(e)}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <button type="button" className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100" onClick={() => void runDiff()} disabled={exports.length === 0} data-testid="run-diff">
            Compare
          </button>
        </div>
        {diff && (
          <div className="rounded border border-slate-200 bg-white p-2 text-xs" data-testid="diff-result">
            <p className="font-medium">{diff.summary}</p>
            <div className="mt-1 grid gap-3 md:grid-cols-3">
              <div>
                <h3 className="font-semibold">Added (in B only)</h3>
                <ul>{diff.added.slice(0, 20).map((x) => <li key={x.personaId}>persona {x.personaId} · weight {x.weight.toExponential(3)} · ×{x.count}</li>)}</ul>
              </div>
              <div>
                <h3 className="font-semibold">Removed (in A only)</h3>
                <ul>{diff.removed.slice(0, 20).map((x) => <li key={x.personaId}>persona {x.personaId} · weight {x.weight.toExponential(3)} · ×{x.count}</li>)}</ul>
              </div>
              <div>
                <h3 className="font-semibold">
                  Reweighted (|Δw| &gt; 1e-9)
                  <HelpTip term="weight" />
                </h3>
                <ul>
                  {diff.reweighted.slice(0, 20).map((x) => (
                    <li key={x.personaId}>
                      persona {x.personaId}: {x.from.toExponential(3)} → {x.to.toExponential(3)}
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
