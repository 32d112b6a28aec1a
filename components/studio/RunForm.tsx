'use client';
/** The form of a full run: name, seed, set size, selection and estimator, what the estimator will do, and why a k is refused. */
import { useState } from 'react';
import type { EstimatorChoice } from '@/lib/align/alignPool';
import { DEFAULT_SET_SIZE } from '@/lib/core/defaults';
import { ReadOnlyNote, useMayChange } from '../Access';
import { ESTIMATOR_OPTIONS, estimatorPlan } from './estimatorChoices';
import type { RunOptions } from './RunsPanel';

/** Selections whose sets hold each persona at most once. */
const DISTINCT_SELECTIONS = new Set(['pivotal', 'topFraction', 'withoutReplacement', 'herding']);
const fmt = (n: number) => n.toLocaleString('en-US');

/** How many unique personas a run can draw: the pool, and with the paper's method only its OT candidates (the top 70%). */
function distinctNote(poolSize: number, estimator: EstimatorChoice): string {
  const note = `A set of unique personas holds at most the ${fmt(poolSize)} personas of the pool, and only those with a positive weight`;
  if (estimator !== 'paper') return `${note}.`;
  return `${note}: the paper’s method gives a weight only to its top 70% (${fmt(Math.max(1, Math.round(0.7 * poolSize)))} personas), so a larger k is cut to that many.`;
}

export function RunForm({
  onRun,
  running,
  poolSize,
  bandwidth,
  estimator,
  onEstimator,
  liveMethod,
  selection,
  onSelection,
}: {
  onRun: (b: RunOptions) => void;
  running: boolean;
  poolSize: number | null;
  bandwidth: number | string;
  estimator: EstimatorChoice;
  onEstimator: (e: EstimatorChoice) => void;
  liveMethod: 'calibration' | 'kde';
  selection: string;
  onSelection: (s: string) => void;
}) {
  const [name, setName] = useState('Studio run');
  const [seed, setSeed] = useState(1);
  const [size, setSize] = useState<string>('');
  const [formError, setFormError] = useState<string | null>(null);
  const mayChange = useMayChange();
  const option = ESTIMATOR_OPTIONS.find((o) => o.value === estimator)!;
  return (
    <>
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
          Set size k (blank = {fmt(DEFAULT_SET_SIZE)} or the pool size)
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
    </>
  );
}
