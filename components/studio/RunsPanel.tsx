'use client';

import { memo, type ReactNode } from 'react';
import type { EstimatorChoice } from '@/lib/align/alignPool';
import type { RunListItem } from '@/lib/studio/runs';
import { RunForm } from './RunForm';
import { RunsList } from './RunsList';

/** A saved run as the run list shows it (listRuns, GET /api/runs). */
export type RunSummary = RunListItem;

/** What "Run alignment" sends (the target and the KDE bandwidth are added by the studio). */
export interface RunOptions {
  name: string;
  seed: number;
  size?: number;
  selection: string;
  estimator: EstimatorChoice;
}

/** "Run alignment" with its options, the progress of the running job, and the saved runs. */
function RunsPanelView({
  runs,
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
}: {
  runs: RunSummary[];
  onRun: (b: RunOptions) => void;
  running: boolean;
  error: string | null;
  job: ReactNode;
  /** Personas in the pool (measured, not rejected), when known: the most a set of distinct personas can hold. */
  poolSize: number | null;
  /** The studio's KDE bandwidth (sent with the run; used by the kde and paper estimators). */
  bandwidth: number | string;
  /** The estimator of the next run (the studio shows it beside the live figures too). */
  estimator: EstimatorChoice;
  onEstimator: (e: EstimatorChoice) => void;
  /** What the live view weights by. */
  liveMethod: 'calibration' | 'kde';
  /** The selection of the next run (kept in the studio's address). */
  selection: string;
  onSelection: (s: string) => void;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3" data-testid="runs-panel">
      <h3 className="text-sm font-semibold">Full alignment runs</h3>
      <p className="text-xs text-slate-500">
        A full run weights the pool against the current target with the estimator chosen below (optimal transport refines
        the weights only for the paper’s method), selects k personas, measures the diversity-fidelity frontier of its weights,
        and saves config, seed, weights, selection, metrics and the estimator’s candidate table. Rejected personas never enter
        a run.
      </p>
      <RunForm
        onRun={onRun}
        running={running}
        poolSize={poolSize}
        bandwidth={bandwidth}
        estimator={estimator}
        onEstimator={onEstimator}
        liveMethod={liveMethod}
        selection={selection}
        onSelection={onSelection}
      />
      {error ? <p className="mt-1 text-xs text-red-700">{error}</p> : null}
      {job ? <div className="mt-2">{job}</div> : null}
      <RunsList runs={runs} />
    </section>
  );
}

/** Memoised: re-renders only when its props change, not on every live update of the studio. */
export const RunsPanel = memo(RunsPanelView);
