'use client';

import { memo } from 'react';
import { METRIC_NAMES, METRICS } from '@/lib/core/metrics';
import type { FiveMetrics, LiveResult } from '@/lib/studio/liveTypes';
import { HelpTip } from '@/components/HelpTip';

export interface RunMetrics {
  raw: FiveMetrics;
  randomSelect: FiveMetrics;
  resample: FiveMetrics;
}


function Row({ label, m, testId, note }: { label: string; m: FiveMetrics; testId: string; note?: string }) {
  return (
    <tr className="border-t border-slate-100" data-testid={testId}>
      <td className="px-2 py-1">
        {label}
        {note ? <span className="block text-[10px] text-slate-500">{note}</span> : null}
      </td>
      {METRICS.map((c) => (
        <td key={c} className="px-2 py-1 text-right tabular-nums" data-testid={`${testId}-${c}`}>
          {Number.isFinite(m[c]) ? m[c].toFixed(4) : '—'}
        </td>
      ))}
    </tr>
  );
}

/**
 * The live rows (the pool as it is, the pool under the live weights, each no-persona baseline: all against the current
 * target, recomputed on every edit) and Raw / RandomSelect / Resample from the latest full run FOR THE SAME TARGET:
 * a run made for another target is named, and its rows are hidden, so the table never mixes two targets.
 */
export const MetricsTable = memo(function MetricsTable({
  live,
  run,
  runLabel,
  otherRun,
}: {
  live: LiveResult;
  /** Metrics of the latest finished run for the current target. */
  run: RunMetrics | null;
  runLabel: string | null;
  /** The latest finished run when it was for another target ("#3 name, target ..."), else null. */
  otherRun: string | null;
}) {
  const weightsName = live.method === 'calibration' ? 'calibration weights' : 'KDE importance weights';
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3" data-testid="metrics-table">
      <h3 className="text-sm font-semibold">Divergence from the target (lower is better)</h3>
      <p className="text-xs text-slate-500">
        Every row is measured against the current target. Live rows (the pool, the weighted pool and the no-persona
        baselines) update with every slider edit; Raw, RandomSelect and Resample come from the latest full run for this
        same target{runLabel ? ` (${runLabel})` : ''}.
      </p>
      <div className="overflow-x-auto">
        <table className="mt-2 w-full min-w-[34rem] text-xs">
          <thead className="bg-slate-100 text-slate-700">
            <tr>
              <th className="px-2 py-1 text-left">Set</th>
              {METRICS.map((c) => (
                <th key={c} className="px-2 py-1 text-right">
                  {METRIC_NAMES[c]}
                  <HelpTip term={c} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <Row label="Pool as it is (live)" m={live.metrics.raw} testId="metrics-live-raw" />
            <Row label={`Pool under the ${weightsName} (live)`} m={live.metrics.weighted} testId="metrics-live-weighted" />
            {live.baselines.map((b) => (
              <Row key={b.id} label={`${b.label} (live)`} note={`${b.n} answer sets, no persona`} m={b.metrics} testId={`metrics-baseline-${b.id}`} />
            ))}
            {run ? (
              <>
                <Row label="Raw (whole pool)" note={`run ${runLabel ?? ''}, this target`} m={run.raw} testId="metrics-run-raw" />
                <Row label="RandomSelect (random set of size k)" note={`run ${runLabel ?? ''}, this target`} m={run.randomSelect} testId="metrics-run-random" />
                <Row label="Resample (aligned set)" note={`run ${runLabel ?? ''}, this target`} m={run.resample} testId="metrics-run-resample" />
              </>
            ) : (
              <tr>
                <td colSpan={6} className="px-2 py-1 text-slate-500" data-testid="metrics-run-missing">
                  {otherRun
                    ? `No full run for this target yet. The latest run (${otherRun}) was for another target, so its Raw, RandomSelect and Resample rows are hidden: press “Run alignment” to compare on this one.`
                    : 'No full run yet for comparison: press “Run alignment”.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
});
