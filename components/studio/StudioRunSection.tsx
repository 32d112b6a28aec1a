'use client';
/**
 * The studio's full-run area: the runs panel (estimator, selection, start, progress, list), the frontier of runs for
 * this target, the Sinkhorn trace of the last finished run, and a link to compare runs.
 */
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { EstimatorChoice } from '@/lib/align/alignPool';
import type { KdeBandwidth, LiveMethod } from '@/lib/studio/liveTypes';
import type { TargetSpec } from '@/lib/targets/schema';
import { SinkhornTrace } from './Charts';
import { TargetFrontier } from './LiveEstimatorNote';
import { RunsPanel, type RunOptions, type RunSummary } from './RunsPanel';

const EMPTY_TRACE: number[] = [];

export function StudioRunSection({
  runs,
  lastRun,
  onRun,
  running,
  error,
  job,
  poolSize,
  bandwidth,
  estimator,
  onEstimator,
  liveMethod,
  selection,
  onSelection,
  spec,
}: {
  runs: RunSummary[];
  lastRun: RunSummary | null;
  onRun: (b: RunOptions) => void;
  running: boolean;
  error: string | null;
  job: ReactNode;
  poolSize: number | null;
  bandwidth: KdeBandwidth;
  estimator: EstimatorChoice;
  onEstimator: (e: EstimatorChoice) => void;
  liveMethod: LiveMethod;
  selection: string;
  onSelection: (s: string) => void;
  spec: TargetSpec;
}) {
  return (
    <>
      <div id="studio-run" tabIndex={-1} className="outline-none">
        <RunsPanel
          runs={runs}
          onRun={onRun}
          running={running}
          error={error}
          job={job}
          poolSize={poolSize}
          bandwidth={bandwidth}
          estimator={estimator}
          onEstimator={onEstimator}
          liveMethod={liveMethod}
          selection={selection}
          onSelection={onSelection}
        />
      </div>
      <TargetFrontier runs={runs} spec={spec} />
      <SinkhornTrace
        trace={lastRun?.trace ?? EMPTY_TRACE}
        converged={lastRun?.diagnostics?.converged}
        tolerance={lastRun?.tolerance}
        estimator={lastRun?.diagnostics?.estimator?.used ?? null}
      />
      <p className="text-xs text-slate-500">
        Compare two saved runs on the <Link href="/studio/runs" className="underline">runs page</Link>.
      </p>
    </>
  );
}
