'use client';
/**
 * The group page's latest alignment: the run with links to its export and methods report, the coverage statement,
 * the metrics of each set against the group target, the weight diagnostics and the metrics chart.
 */
import Link from 'next/link';
import { HelpTip } from '@/components/HelpTip';
import type { GroupRun } from './GroupDetail';
import { GroupMetricsChart } from './GroupMetricsChart';
import { METRIC_NAMES, METRICS } from '@/lib/core/metrics';
import { fmt, SETS } from './groupMetrics';

export function GroupResults({ groupId: id, run }: { groupId: number; run: GroupRun | null }) {
  const diag = run?.diagnostics;
  return (
    <section className="space-y-2" aria-labelledby="results-title" data-testid="group-results">
      <h2 id="results-title" className="text-lg font-semibold">
        Latest alignment
      </h2>
      {!run ? (
        <p className="text-sm text-slate-600" data-testid="no-run">
          Not aligned yet.
        </p>
      ) : (
        <>
          <p className="text-xs text-slate-600" data-testid="latest-run" data-run-id={run.id}>
            Run {run.id} (seed {run.seed}): {run.setSize} personas in the group set, {run.selectionSize} selected.{' '}
            <Link className="text-teal-800 underline" href={`/exports?group=${id}`} data-testid="export-group-link">
              Export this set
            </Link>{' '}
            ·{' '}
            <a className="text-teal-800 underline" href={`/studio/runs/${run.id}/methods`} target="_blank" rel="noreferrer" data-testid="group-methods-report">
              Methods report
            </a>
          </p>
          {run.coverage && (
            <div
              className={`rounded border p-2 text-sm ${run.coverage.ok ? 'border-emerald-300 bg-emerald-50 text-emerald-900' : 'border-amber-300 bg-amber-50 text-amber-900'}`}
              data-testid="coverage-statement"
              data-ok={run.coverage.ok}
            >
              <p>{run.coverage.statement}</p>
              {run.coverage.directions.length > 0 && (
                <ul className="mt-1 list-disc pl-5 text-xs" data-testid="coverage-directions">
                  {run.coverage.directions.map((d) => (
                    <li key={`${d.trait}-${d.side}`}>
                      Add personas with {d.side} {d.trait} ({d.side === 'low' ? '≤' : '≥'} {d.cut.toFixed(1)}): {(100 * d.uncoveredWithin).toFixed(0)}% of that part of
                      the target ({(100 * d.share).toFixed(1)}% of the whole) has no persona nearby
                    </li>
                  ))}
                </ul>
              )}
              {run.coverage.gaps.length > 0 && (
                <ul className="mt-1 list-disc pl-5 text-xs">
                  {run.coverage.gaps.map((g) => (
                    <li key={g.label}>
                      Largest empty region: {(100 * g.share).toFixed(1)}% of the target with {g.label}
                    </li>
                  ))}
                </ul>
              )}
              <p className="mt-1 text-xs">
                Uncovered share
                <HelpTip term="uncovered" />: {(100 * run.coverage.uncoveredShare).toFixed(1)}%
              </p>
            </div>
          )}
          <table className="w-full text-xs" data-testid="group-metrics">
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th className="px-2 py-1 text-left">Set (against the group target)</th>
                {METRICS.map((m) => (
                  <th key={m} className="px-2 py-1 text-right">
                    {METRIC_NAMES[m]}
                    <HelpTip term={m} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {SETS.map(([key, label]) =>
                run.metrics?.[key] ? (
                  <tr key={key} className="border-t border-slate-100" data-testid={`group-metrics-${key}`}>
                    <td className="px-2 py-1">{label}</td>
                    {METRICS.map((m) => (
                      <td key={m} className="px-2 py-1 text-right tabular-nums" data-testid={`group-metrics-${key}-${m}`}>
                        {fmt(run.metrics?.[key]?.[m])}
                      </td>
                    ))}
                  </tr>
                ) : null,
              )}
            </tbody>
          </table>
          <dl className="grid grid-cols-2 gap-2 text-xs sm:grid-cols-4" data-testid="group-diagnostics">
            <div>
              <dt className="text-slate-600">
                ESS
                <HelpTip term="ess" />
              </dt>
              <dd className="tabular-nums" data-testid="group-ess">
                {fmt(diag?.ess, 1)} of {run.setSize}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">
                k-hat
                <HelpTip term="khat" />
              </dt>
              <dd className="tabular-nums">{fmt(diag?.khat, 2)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">
                Design effect
                <HelpTip term="designEffect" />
              </dt>
              <dd className="tabular-nums">{fmt(diag?.designEffect, 2)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">
                Largest weight share
                <HelpTip term="maxWeightShare" />
              </dt>
              <dd className="tabular-nums">{fmt(diag?.maxWeightShare, 3)}</dd>
            </div>
          </dl>
          {diag?.warnings.length ? <p className="text-xs text-amber-800">{diag.warnings.join(' ')}</p> : null}
          {run.metrics && <GroupMetricsChart metrics={run.metrics} />}
        </>
      )}
    </section>
  );
}
