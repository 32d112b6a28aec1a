/** A stored run's settings and weight diagnostics in words, for the runs page and the methods report. */
import type { RunConfig, RunDiagnostics } from '../../db/json';
import { DEFAULT_ALIGN_CONFIG, type AlignConfig } from '../align';
import { DEFAULT_SELECTION } from '../core/defaults';
import { runRequestSchema } from './runRequest';
import type { RunView } from './runs';

/** One labelled setting of a run, for the runs page's comparison. */
export interface RunSetting {
  key: string;
  label: string;
  value: string;
}

/** The alignment settings a stored run was made with, defaults filled in, with its seed and set size. */
export function runEngineConfig(run: { config: RunConfig; seed: number; selection?: number[] | null }): Omit<AlignConfig, 'size'> & { size: number | null } {
  // the stored request was validated by runRequestSchema when the run started; this narrows it to the engine's names
  const asked = runRequestSchema.shape.config.parse(run.config.request.config);
  return { ...DEFAULT_ALIGN_CONFIG, selection: DEFAULT_SELECTION, ...asked, seed: run.seed, size: run.selection?.length ?? null };
}

/** The settings a run was made with, in words (defaults filled in), in a fixed order so two runs line up. */
export function describeRunSettings(run: Pick<RunView, 'config' | 'diagnostics' | 'seed' | 'selectionSize' | 'distinctSize'>): RunSetting[] {
  const c = runEngineConfig({ config: run.config, seed: run.seed });
  const est = run.diagnostics?.estimator;
  const usesKde = /kde|paper/i.test(est?.used ?? String(c.estimator));
  return [
    { key: 'target', label: 'Target', value: run.config.targetDescription ?? '—' },
    { key: 'estimator', label: 'Estimator', value: est?.used ? `${est.used}${est.choice === 'auto' ? ' (chosen by auto)' : ''}` : String(c.estimator) },
    { key: 'refine', label: 'OT refinement', value: c.refine === 'ot' ? 'yes' : 'no' },
    { key: 'bins', label: 'Quantile bins per trait', value: c.bins ? String(c.bins) : 'none' },
    { key: 'bandwidth', label: 'KDE bandwidth (trait points)', value: usesKde ? String(c.bandwidth) : 'not used' },
    { key: 'selection', label: 'Selection', value: String(c.selection) },
    { key: 'size', label: 'Set', value: `${run.selectionSize.toLocaleString('en-US')} ${run.selectionSize === run.distinctSize ? 'distinct personas' : `draws of ${run.distinctSize.toLocaleString('en-US')} distinct personas`}` },
    { key: 'seed', label: 'Seed', value: String(run.seed) },
    { key: 'heldOutShare', label: 'Held-out share (auto)', value: String(c.heldOutShare) },
  ];
}

/** A run's weight diagnostics in words, with their definitions, in a fixed order. */
export function describeRunDiagnostics(d: RunDiagnostics | null): RunSetting[] {
  const n = (k: 'ess' | 'designEffect' | 'maxWeightShare' | 'khat', digits: number) => {
    const v = d?.[k];
    return v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : '—';
  };
  return [
    { key: 'ess', label: 'Effective sample size (Kish: (Σw)² / Σw²)', value: n('ess', 1) },
    { key: 'designEffect', label: 'Design effect (n / ESS)', value: n('designEffect', 2) },
    { key: 'maxWeightShare', label: 'Largest weight (share of the total)', value: n('maxWeightShare', 4) },
    { key: 'khat', label: 'Pareto k-hat of the weights (> 0.7: unreliable tail)', value: n('khat', 2) },
    { key: 'converged', label: 'Estimator converged', value: d ? (d.converged ? 'yes' : 'no') : '—' },
    { key: 'iterations', label: 'Iterations', value: d ? String(Math.round(d.iterations)) : '—' },
  ];
}
