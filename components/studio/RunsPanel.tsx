'use client';

import Link from 'next/link';
import { memo, type ReactNode, useState } from 'react';
import { ReadOnlyNote, useMayChange } from '../Access';

export interface RunSummary {
  id: number;
  name: string;
  status: string;
  seed: number;
  createdAt: string;
  poolSize: number | null;
  selectionSize: number | null;
  metrics: unknown;
  diagnostics: unknown;
  trace: unknown;
  config: unknown;
  targetDescription: string | null;
}

/** "Run alignment" with its options, the progress of the running job, and the saved runs. */
function RunsPanelView({
  runs,
  onRun,
  running,
  error,
  job,
}: {
  runs: RunSummary[];
  onRun: (b: { name: string; seed: number; size?: number; selection: string }) => void;
  running: boolean;
  error: string | null;
  job: ReactNode;
}) {
  const [name, setName] = useState('Studio run');
  const [seed, setSeed] = useState(1);
  const [size, setSize] = useState<string>('');
  const [selection, setSelection] = useState('systematic');
  const [compare, setCompare] = useState<number[]>([]);
  const mayChange = useMayChange();
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3" data-testid="runs-panel">
      <h3 className="text-sm font-semibold">Full alignment runs</h3>
      <p className="text-xs text-slate-500">
        A full run computes importance weights against the current target, refines them with entropic optimal transport,
        selects k personas, and saves config, seed, weights, selection, metrics and the convergence trace. Rejected
        personas never enter a run.
      </p>
      <form
        className="mt-2 flex flex-wrap items-end gap-2 text-xs"
        onSubmit={(e) => {
          e.preventDefault();
          onRun({ name, seed, size: size === '' ? undefined : Number(size), selection });
        }}
      >
        <label className="flex flex-col">
          Name
          <input className="rounded border border-slate-300 px-1 py-0.5" value={name} onChange={(e) => setName(e.target.value)} data-testid="run-name" />
        </label>
        <label className="flex flex-col">
          Seed
          <input type="number" className="w-20 rounded border border-slate-300 px-1 py-0.5" value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
        </label>
        <label className="flex flex-col">
          Set size k (blank = 1,000 or the pool size)
          <input type="number" min={1} className="w-28 rounded border border-slate-300 px-1 py-0.5" value={size} onChange={(e) => setSize(e.target.value)} />
        </label>
        <label className="flex flex-col">
          Selection
          <select className="rounded border border-slate-300 px-1 py-0.5" value={selection} onChange={(e) => setSelection(e.target.value)} data-testid="run-selection">
            <option value="systematic">Systematic draws by weight (repeats allowed)</option>
            <option value="multinomial">Random draws by weight (repeats allowed)</option>
            <option value="withoutReplacement">Unique personas, drawn by weight</option>
            <option value="topFraction">Top personas by weight (paper's cut)</option>
          </select>
        </label>
        <button type="submit" className="rounded bg-teal-700 px-3 py-1 text-white disabled:opacity-50" disabled={running || !mayChange} data-testid="run-alignment">
          Run alignment
        </button>
      </form>
      <ReadOnlyNote what="running an alignment" />
      {error ? <p className="mt-1 text-xs text-red-700">{error}</p> : null}
      {job ? <div className="mt-2">{job}</div> : null}
      <table className="mt-3 w-full text-xs" data-testid="runs-list">
        <thead className="bg-slate-100 text-left">
          <tr>
            <th className="px-2 py-1">Compare</th>
            <th className="px-2 py-1">Run</th>
            <th className="px-2 py-1">Status</th>
            <th className="px-2 py-1">Target</th>
            <th className="px-2 py-1 text-right">k</th>
            <th className="px-2 py-1 text-right">Resample AMW</th>
            <th className="px-2 py-1">Created</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} className="border-t border-slate-100" data-testid={`run-${r.id}`}>
              <td className="px-2 py-1">
                <input
                  type="checkbox"
                  aria-label={`Compare run ${r.id}`}
                  checked={compare.includes(r.id)}
                  disabled={r.status !== 'done'}
                  onChange={(e) => setCompare(e.target.checked ? [...compare, r.id].slice(-2) : compare.filter((x) => x !== r.id))}
                />
              </td>
              <td className="px-2 py-1">
                #{r.id} {r.name}
              </td>
              <td className="px-2 py-1">{r.status}</td>
              <td className="px-2 py-1 text-slate-600">{r.targetDescription ?? '—'}</td>
              <td className="px-2 py-1 text-right tabular-nums">{r.selectionSize ?? '—'}</td>
              <td className="px-2 py-1 text-right tabular-nums">
                {(r.metrics as { resample?: { amw?: number } } | null)?.resample?.amw?.toFixed(4) ?? '—'}
              </td>
              <td className="px-2 py-1 text-slate-600">{r.createdAt.replace('T', ' ').slice(0, 19)}</td>
            </tr>
          ))}
          {runs.length === 0 ? (
            <tr>
              <td colSpan={7} className="px-2 py-1 text-slate-500">
                No runs yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <div className="mt-2 text-xs">
        {compare.length === 2 ? (
          <Link href={`/studio/runs?a=${compare[0]}&b=${compare[1]}`} className="rounded bg-slate-800 px-2 py-1 text-white" data-testid="compare-runs">
            Compare runs #{compare[0]} and #{compare[1]}
          </Link>
        ) : (
          <span className="text-slate-500">Tick two finished runs to compare them side by side.</span>
        )}
      </div>
    </section>
  );
}

/** Memoised: re-renders only when its props change, not on every live update of the studio. */
export const RunsPanel = memo(RunsPanelView);
