'use client';
/**
 * The studio's target controls: the target picker, what the target and the pool hold, the trait sliders, the live
 * weighting and KDE bandwidth, and saved targets.
 */
import type { KdeBandwidth, LiveMethod } from '@/lib/studio/liveTypes';
import type { StudioData } from '@/lib/studio/data';
import type { NormsPreset, ReferenceFilters, TargetSpec, TraitEdits } from '@/lib/targets/schema';
import { SavedTargets, type SavedTarget } from './SavedTargets';
import { TargetPicker, type TargetOptions } from './TargetPicker';
import { TraitSliders } from './TraitSliders';

export function StudioTargetControls({
  options,
  filters,
  preset,
  setFilters,
  setPreset,
  data,
  dataError,
  edits,
  onEdits,
  method,
  setMethod,
  bandwidth,
  setBandwidth,
  spec,
  loadTarget,
}: {
  options: TargetOptions;
  filters: ReferenceFilters;
  preset: NormsPreset;
  setFilters: (f: ReferenceFilters) => void;
  setPreset: (p: NormsPreset) => void;
  data: StudioData | undefined;
  dataError: Error | null;
  edits: TraitEdits;
  onEdits: (next: TraitEdits) => void;
  method: LiveMethod;
  setMethod: (m: LiveMethod) => void;
  bandwidth: KdeBandwidth;
  setBandwidth: (b: KdeBandwidth) => void;
  spec: TargetSpec;
  loadTarget: (t: SavedTarget) => void;
}) {
  return (
    <aside id="studio-target" tabIndex={-1} className="min-w-0 space-y-4 outline-none" aria-label="Target controls">
      <TargetPicker
        options={options}
        filters={filters}
        preset={preset}
        onFilters={setFilters}
        onPreset={setPreset}
      />
      <div className="rounded border border-slate-200 bg-white p-2 text-xs" data-testid="target-summary">
        {dataError ? (
          <p className="text-red-700">{dataError.message}</p>
        ) : data ? (
          <>
            <p>
              Target: <span data-testid="target-n">{data.target.n.toLocaleString('en-US')}</span> respondents
            </p>
            <p className="text-slate-500" data-testid="target-description">{data.target.description}</p>
            {data.target.warnings.map((w) => (
              <p key={w} className="mt-1 text-amber-800" data-testid="target-warning">
                {w}
              </p>
            ))}
            <p className="mt-1">
              Pool: <span data-testid="pool-n">{data.pool.n.toLocaleString('en-US')}</span> measured personas (rejected ones
              excluded)
            </p>
          </>
        ) : (
          <p>Loading…</p>
        )}
      </div>
      <TraitSliders edits={edits} onChange={onEdits} />
      <label className="block text-xs">
        <span className="font-medium">Live weights</span>
        <select
          className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
          value={method}
          onChange={(e) => setMethod(e.target.value as LiveMethod)}
          data-testid="live-method-select"
        >
          <option value="calibration">Calibration: match means, variances, covariances (default)</option>
          <option value="kde">KDE importance weights (the paper’s)</option>
        </select>
      </label>
      <label className="block text-xs">
        <span className="font-medium">KDE bandwidth (live KDE weights; the kde and paper estimators of full runs)</span>
        <select
          className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
          value={String(bandwidth)}
          onChange={(e) => setBandwidth(e.target.value === 'scott' || e.target.value === 'silverman' ? e.target.value : Number(e.target.value))}
          data-testid="bandwidth-select"
        >
          <option value="0.5">0.50 trait points (default)</option>
          <option value="0.35">0.35 trait points</option>
          <option value="0.2">0.20 trait points (the paper&apos;s value)</option>
          <option value="0.75">0.75 trait points</option>
          <option value="scott">Scott&apos;s rule</option>
          <option value="silverman">Silverman&apos;s rule</option>
        </select>
        <span className="text-slate-500">
          Wider kernels give steadier weights (higher ESS) but a coarser match. In five traits, 0.20 gives degenerate
          weights even for a pool drawn from the reference itself (ESS 1 of 1,500); 0.50 keeps them near uniform.
        </span>
      </label>
      <SavedTargets spec={spec} onLoad={loadTarget} />
    </aside>
  );
}
