'use client';
/** The saved runs: status, target, estimator, k and Resample AMW of each, its warnings, and two ticked to compare. */
import Link from 'next/link';
import { Fragment, useState } from 'react';
import type { RunSummary } from './RunsPanel';

/** The estimator a stored run used, in a few words ("calibration (moments), chosen by auto"). */
function usedEstimator(r: RunSummary): string | null {
  const e = r.diagnostics?.estimator;
  if (!e?.used) return null;
  return e.choice === 'auto' ? `${e.used}, chosen by auto` : `${e.used}, named`;
}

export function RunsList({ runs }: { runs: RunSummary[] }) {
  const [compare, setCompare] = useState<number[]>([]);
  return (
    <>
      <div className="mt-3 overflow-x-auto">
        <table className="w-full text-xs" data-testid="runs-list">
          <thead className="bg-slate-100 text-left">
            <tr>
              <th className="px-2 py-1">Compare</th>
              <th className="px-2 py-1">Run</th>
              <th className="px-2 py-1">Status</th>
              <th className="px-2 py-1">Target</th>
              <th className="px-2 py-1">Estimator</th>
              <th className="px-2 py-1 text-right">k</th>
              <th className="px-2 py-1 text-right">Resample AMW</th>
              <th className="px-2 py-1">Created</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const warnings = r.diagnostics?.warnings ?? [];
              return (
                <Fragment key={r.id}>
                  <tr className="border-t border-slate-100" data-testid={`run-${r.id}`}>
                    <td className="px-2 py-1">
                      <input
                        type="checkbox"
                        aria-label={`Compare run ${r.id}`}
                        checked={compare.includes(r.id)}
                        disabled={r.status !== 'done'}
                        onChange={(e) => setCompare(e.target.checked ? [...compare, r.id].slice(-2) : compare.filter((x) => x !== r.id))}
                      />
                    </td>
                    <td className="whitespace-nowrap px-2 py-1">
                      {r.status === 'done' ? (
                        <Link href={`/studio/runs?run=${r.id}`} className="text-teal-800 underline" title="Estimator, candidate table and frontier">
                          #{r.id} {r.name}
                        </Link>
                      ) : (
                        <>
                          #{r.id} {r.name}
                        </>
                      )}
                    </td>
                    <td className="px-2 py-1">{r.status}</td>
                    <td className="px-2 py-1 text-slate-600">{r.targetDescription ?? '—'}</td>
                    <td className="px-2 py-1 text-slate-600">{usedEstimator(r) ?? '—'}</td>
                    <td className="px-2 py-1 text-right tabular-nums">{r.selectionSize ?? '—'}</td>
                    <td className="px-2 py-1 text-right tabular-nums">
                      {r.metrics?.resample?.amw?.toFixed(4) ?? '—'}
                    </td>
                    <td className="px-2 py-1 text-slate-600">{r.createdAt.replace('T', ' ').slice(0, 19)}</td>
                  </tr>
                  {warnings.length ? (
                    <tr data-testid={`run-${r.id}-warnings`}>
                      <td />
                      <td colSpan={7} className="px-2 pb-1 text-[11px] text-amber-800">
                        {warnings.join(' ')}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
            {runs.length === 0 ? (
              <tr>
                <td colSpan={8} className="px-2 py-1 text-slate-500">
                  No runs yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <div className="mt-2 text-xs">
        {compare.length === 2 ? (
          <Link href={`/studio/runs?a=${compare[0]}&b=${compare[1]}`} className="rounded bg-slate-800 px-2 py-1 text-white" data-testid="compare-runs">
            Compare runs #{compare[0]} and #{compare[1]}
          </Link>
        ) : (
          <span className="text-slate-500">Tick two finished runs to compare them side by side.</span>
        )}
      </div>
    </>
  );
}
