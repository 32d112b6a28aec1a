'use client';
/**
 * The studio's live figures, all drawn from one worker result: what the weights are, how safe the target is, whether
 * the figures are current, the weight diagnostics, and every chart and table of the live update.
 */
import type { EstimatorChoice } from '@/lib/align/alignPool';
import type { KdeBandwidth, LiveMethod, LiveResult, ScatterPoints } from '@/lib/studio/liveTypes';
import { CorrelationDiffMap, LovePlot, MarginalsChart, TraitScatter, WeightHistogram } from './Charts';
import { CoveragePanel } from './CoveragePanel';
import { DiagnosticsBar } from './DiagnosticsBar';
import { LiveEstimatorNote } from './LiveEstimatorNote';
import { MetricsTable, type RunMetrics } from './MetricsTable';
import type { targetStatus } from './targetStatus';

export function StudioLiveFigures({
  live,
  method,
  estimator,
  bandwidth,
  status,
  stale,
  workerError,
  scatter,
  scatterTraits,
  setScatterTraits,
  runMetrics,
  runLabel,
  otherRun,
}: {
  live: LiveResult | null;
  method: LiveMethod;
  estimator: EstimatorChoice;
  bandwidth: KdeBandwidth;
  status: ReturnType<typeof targetStatus> | null;
  stale: boolean;
  workerError: string | null;
  scatter: ScatterPoints | null;
  scatterTraits: [number, number];
  setScatterTraits: (t: [number, number]) => void;
  runMetrics: RunMetrics | null;
  runLabel: string | null;
  otherRun: string | null;
}) {
  const statusClass =
    status?.level === 'unsafe'
      ? 'border-red-300 bg-red-50 text-red-900'
      : status?.level === 'caution'
        ? 'border-amber-300 bg-amber-50 text-amber-900'
        : 'border-emerald-200 bg-emerald-50 text-emerald-900';
  return (
    <>
      <LiveEstimatorNote live={live} method={method} estimator={estimator} bandwidth={bandwidth} />
      <div className="flex flex-wrap items-start gap-2">
        <p className={`min-w-0 flex-1 rounded border px-3 py-1.5 text-xs ${statusClass}`} data-testid="target-status" data-level={status?.level ?? 'pending'}>
          {status ? status.sentence : 'Computing the first view…'}
        </p>
        <span
          className={`shrink-0 rounded px-2 py-0.5 text-xs ${stale ? 'bg-amber-100 text-amber-900' : 'bg-emerald-100 text-emerald-900'}`}
          data-testid="stale-marker"
          data-stale={stale ? 'true' : 'false'}
          aria-live="polite"
        >
          {stale ? 'Updating…' : `Up to date (${live ? live.ms.toFixed(0) : 0} ms)`}
        </span>
      </div>
      <DiagnosticsBar result={live} />
      {workerError ? <p className="rounded bg-red-50 p-2 text-sm text-red-800">{workerError}</p> : null}
      {/* Staleness is shown by the marker above only: dimming the whole chart area would repaint every chart twice per update. */}
      <div>
        {live ? (
          <div className="space-y-4">
            <MarginalsChart marginals={live.marginals} />
            <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
              <WeightHistogram bins={live.weightHistogram} ess={live.diagnostics.ess} poolN={live.poolN} />
              <LovePlot asmd={live.asmd} />
            </div>
            <MetricsTable
              live={live}
              run={runMetrics}
              runLabel={runLabel}
              otherRun={otherRun}
            />
            <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
              <TraitScatter scatter={scatter} traits={scatterTraits} onTraits={setScatterTraits} />
              <CorrelationDiffMap correlationDiff={live.correlationDiff} />
            </div>
            <CoveragePanel coverage={live.coverage} />
            <ul className="text-[11px] text-slate-500" data-testid="live-notes">
              {live.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="text-sm text-slate-600">Computing the first view…</p>
        )}
      </div>
    </>
  );
}
