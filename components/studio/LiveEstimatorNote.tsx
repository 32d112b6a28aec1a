'use client';

import { memo } from 'react';
import type { EstimatorChoice } from '@/lib/align/alignPool';
import type { KdeBandwidth, LiveMethod, LiveResult } from '@/lib/studio/liveTypes';
import type { TargetSpec } from '@/lib/targets/schema';
import { FrontierChart } from './FrontierChart';
import { frontierSentence } from './RunDetails';
import type { RunSummary } from './RunsPanel';
import { liveEstimatorSentence } from './estimatorChoices';

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Which weights the live figures use and which estimator the full run will use (one sentence), then how well the
 * whole weighted pool meets the target's moments when the live weights are calibration's (solved on a subsample).
 */
export const LiveEstimatorNote = memo(function LiveEstimatorNote({
  live,
  method,
  estimator,
  bandwidth,
}: {
  live: LiveResult | null;
  method: LiveMethod;
  estimator: EstimatorChoice;
  bandwidth: KdeBandwidth;
}) {
  const b = live?.balance ?? null;
  return (
    <div className="rounded border border-slate-200 bg-white px-3 py-2 text-xs">
      <p className="text-slate-800" data-testid="live-estimator">
        {liveEstimatorSentence(method, estimator, bandwidth)}
      </p>
      {b ? (
        <p className="mt-0.5 text-slate-600" data-testid="live-balance" data-max-gap={b.maxGap.toFixed(4)}>
          Calibration solved on {b.solvedRows < (live?.poolN ?? 0) ? `${fmt(b.solvedRows)} seeded personas of ${fmt(live!.poolN)} and extended to all` : `all ${fmt(b.solvedRows)} personas`}
          ; whole pool’s largest moment gap: <span className="tabular-nums">{b.maxGap.toFixed(3)}</span> target SDs ({b.worst}).
        </p>
      ) : null}
      {live?.warnings.map((w) => (
        <p key={w} className="mt-0.5 text-amber-800" data-testid="live-warning">
          {w}
        </p>
      ))}
    </div>
  );
});

/** A target spec as canonical JSON (keys sorted), so that a saved run's spec and the studio's compare by value. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The latest finished run whose target is the current one, or null. Runs come newest first. */
export function runForTarget(runs: RunSummary[], spec: TargetSpec): RunSummary | null {
  const key = canonical(spec);
  return runs.find((r) => r.status === 'done' && canonical(r.config.request.spec) === key) ?? null;
}

/** The diversity-fidelity frontier of the latest finished run for the current target, or what computes it. */
export const TargetFrontier = memo(function TargetFrontier({ runs, spec }: { runs: RunSummary[]; spec: TargetSpec }) {
  const run = runForTarget(runs, spec);
  const frontier = run?.diagnostics?.frontier;
  if (!run || !frontier || !('sizes' in frontier)) {
    return (
      <p className="rounded border border-slate-200 bg-white px-3 py-2 text-xs text-slate-600" data-testid="studio-frontier-missing">
        Diversity-fidelity frontier: {run ? `run #${run.id} for this target did not measure it` : 'no finished run for this target yet'}. A full
        run (“Run alignment” above) measures it: how close distinct sets of each size come to the target.
      </p>
    );
  }
  return (
    <div className="space-y-1" data-testid="studio-frontier">
      <p className="text-xs text-slate-600">
        From run #{run.id} {run.name}, the latest finished run for this target (its weights, not the live ones).
      </p>
      <FrontierChart frontier={frontier} testId="studio-frontier-chart" />
      <p className="text-xs">{frontierSentence(frontier)}</p>
    </div>
  );
});
