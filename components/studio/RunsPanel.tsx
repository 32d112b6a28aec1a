'use client';

import Link from 'next/link';
import { Fragment, memo, type ReactNode, useState } from 'react';
import type { EstimatorChoice } from '@/lib/align/alignPool';
import { ReadOnlyNote, useMayChange } from '../Access';
import { ESTIMATOR_OPTIONS, estimatorPlan } from './estimatorChoices';

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

/** What "Run alignment" sends (the target and the KDE bandwidth are added by the studio). */
export interface RunOptions {
  name: string;
  seed: number;
  size?: number;
  selection: string;
  estimator: EstimatorChoice;
}

/** Selections whose sets hold each persona at most once. */
const DISTINCT_SELECTIONS = new Set(['pivotal', 'topFraction', 'withoutReplacement', 'herding']);
const fmt = (n: number) => n.toLocaleString('en-US');

/** How many unique personas a run can draw: the pool, and with the paper's method only its OT candidates (the top 70%). */
function distinctNote(poolSize: number, estimator: EstimatorChoice): string {
  const note = `A set of unique personas holds at most the ${fmt(poolSize)} personas of the pool, and only those with a positive weight`;
  if (estimator !== 'paper') return `${note}.`;
  return `${note}: the paper’s method gives a weight only to its top 70% (${fmt(Math.max(1, Math.round(0.7 * poolSize)))} personas), so a larger k is cut to that many.`;
}

/** The estimator a stored run used, in a few words ("calibration (moments), chosen by auto"). */
function usedEstimator(r: RunSummary): string | null {
  const e = (r.diagnostics as { estimator?: { choice?: string; used?: string } } | null)?.estimator;
  if (!e?.used) return null;
  return e.choice === 'auto' ? `${e.used}, chosen by auto` : `${e.used}, named`;
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
  const [name, setName] = useState('Studio run');
  const [seed, setSeed] = useState(1);
  const [size, setSize] = useState<string>('');
  const [compare, setCompare] = useState<number[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const mayChange = useMayChange();
  const option = ESTIMATOR_OPTIONS.find((o) => o.value === estimator)!;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3" data-testid="runs-panel">
      <h3 className="text-sm font-semibold">Full alignment runs</h3>
      <p className="text-xs text-slate-500">
        A full run weights the pool against the current target with the estimator chosen below (optimal transport refines
        the weights only for the paper’s method), selects k personas, measures the diversity-fidelity frontier of its weights,
        and saves config, seed, weights, selection, metrics and the estimator’s candidate table. Rejected personas never enter
        a run.
      </p>
      <form
        className="mt-2 flex flex-wrap items-end gap-2 text-xs"
        onSubmit={(e) => {
          e.preventDefault();
          const k = size === '' ? undefined : Number(size);
          if (k !== undefined && poolSize !== null && DISTINCT_SELECTIONS.has(selection) && k > poolSize) {
            setFormError(
              `Only ${fmt(poolSize)} distinct personas are available (the pool), so a set of ${fmt(k)} unique personas cannot be drawn: lower k to at most ${fmt(poolSize)}, or choose draws with repeats.`,
            );
            return;
          }
          setFormError(null);
          onRun({ name, seed, size: k, selection, estimator });
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
          <select className="rounded border border-slate-300 px-1 py-0.5" value={selection} onChange={(e) => onSelection(e.target.value)} data-testid="run-selection">
            <option value="systematic">Systematic draws by weight (repeats allowed)</option>
            <option value="multinomial">Random draws by weight (repeats allowed)</option>
            <option value="pivotal">Unique personas, drawn by weight (pivotal sampling)</option>
            <option value="topFraction">Top personas by weight (paper's cut)</option>
          </select>
        </label>
        <label className="flex flex-col">
          Weight estimator
          <select
            className="rounded border border-slate-300 px-1 py-0.5"
            value={estimator}
            onChange={(e) => onEstimator(e.target.value as EstimatorChoice)}
            data-testid="run-estimator"
          >
            {ESTIMATOR_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded bg-teal-700 px-3 py-1 text-white disabled:opacity-50" disabled={running || !mayChange} data-testid="run-alignment">
          Run alignment
        </button>
      </form>
      <p className="mt-1 text-xs text-slate-600" data-testid="estimator-explanation">
        <span className="font-medium">{option.name}:</span> {option.explanation}
      </p>
      <p className="mt-1 text-xs text-slate-800" data-testid="estimator-plan">
        {estimatorPlan(estimator, bandwidth)} The live view above uses {liveMethod === 'calibration' ? 'calibration weights' : 'KDE importance weights'}.
        {DISTINCT_SELECTIONS.has(selection) && poolSize !== null ? ` ${distinctNote(poolSize, estimator)}` : ''}
      </p>
      <details className="mt-1 text-xs text-slate-600">
        <summary className="cursor-pointer">What each estimator does</summary>
        <ul className="mt-1 list-disc pl-5">
          {ESTIMATOR_OPTIONS.map((o) => (
            <li key={o.value}>
              <span className="font-medium">{o.name}:</span> {o.explanation}
            </li>
          ))}
        </ul>
      </details>
      <ReadOnlyNote what="running an alignment" />
      {formError ? (
        <p className="mt-1 text-xs text-red-700" data-testid="run-form-error">
          {formError}
        </p>
      ) : null}
      {error ? <p className="mt-1 text-xs text-red-700">{error}</p> : null}
      {job ? <div className="mt-2">{job}</div> : null}
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
              const warnings = (r.diagnostics as { warnings?: string[] } | null)?.warnings ?? [];
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
                      {(r.metrics as { resample?: { amw?: number } } | null)?.resample?.amw?.toFixed(4) ?? '—'}
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
    </section>
  );
}

/** Memoised: re-renders only when its props change, not on every live update of the studio. */
export const RunsPanel = memo(RunsPanelView);
