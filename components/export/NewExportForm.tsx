'use client';
/** The new-export form: from (group, run or pool), which personas (k, unique, seed), the file format, and the button. */
import { ReadOnlyNote } from '../Access';
import { ExportOutcome } from './ExportOutcome';
import { FORMAT_LABELS, FORMAT_NAMES, SIMULATOR_FORMATS, TABLE_FORMATS } from './exportFormat';
import type { ExportForm } from './useExportForm';

export function NewExportForm({
  form,
  groups,
  runs,
  mayChange,
}: {
  form: ExportForm;
  groups: { id: number; name: string; aligned: boolean }[];
  runs: { id: number; name: string }[];
  mayChange: boolean;
}) {
  const { kind, setKind, groupId, setGroupId, runId, setRunId, set, setSet, size, setSize, unique, setUnique, seed, setSeed, format, setFormat, busy, create } = form;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3" aria-labelledby="new-export-title" data-testid="export-form">
      <h2 id="new-export-title" className="font-semibold">
        New export
      </h2>
      <div className="mt-2 grid gap-3 text-sm md:grid-cols-3">
        <fieldset className="space-y-1" disabled={busy}>
          <legend className="text-xs text-slate-600">From</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="kind" checked={kind === 'group'} onChange={() => setKind('group')} data-testid="export-kind-group" />
            a group’s latest aligned set
          </label>
          {kind === 'group' && (
            <select className="w-full rounded border border-slate-300 px-1 py-1" value={groupId} onChange={(e) => setGroupId(Number(e.target.value))} data-testid="export-group">
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                  {g.aligned ? '' : ' (not aligned yet)'}
                </option>
              ))}
            </select>
          )}
          <label className="flex items-center gap-2">
            <input type="radio" name="kind" checked={kind === 'run'} onChange={() => setKind('run')} data-testid="export-kind-run" />
            an alignment run
          </label>
          {kind === 'run' && (
            <select className="w-full rounded border border-slate-300 px-1 py-1" value={runId} onChange={(e) => setRunId(Number(e.target.value))} data-testid="export-run">
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  Run {r.id}: {r.name}
                </option>
              ))}
            </select>
          )}
          <label className="flex items-center gap-2">
            <input type="radio" name="kind" checked={kind === 'pool'} onChange={() => { setKind('pool'); setSet('weights'); }} data-testid="export-kind-pool" />
            the whole pool (uniform weights)
          </label>
        </fieldset>
        <fieldset className="space-y-1" disabled={busy}>
          <legend className="text-xs text-slate-600">Which personas</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="set" checked={set === 'selection'} onChange={() => setSet('selection')} />
            the selected set of k personas
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="set" checked={set === 'weights'} onChange={() => setSet('weights')} data-testid="export-set-weights" />
            every persona with its weight
          </label>
          {set === 'selection' && (
            <div className="space-y-1 pl-5 text-xs">
              <label className="block">
                k (empty: the run’s stored selection)
                <input type="number" min={1} className="ml-1 w-24 rounded border border-slate-300 px-1 py-0.5" value={size} onChange={(e) => setSize(e.target.value)} data-testid="export-size" />
              </label>
              <label className="flex items-center gap-1">
                <input type="checkbox" checked={unique} onChange={(e) => setUnique(e.target.checked)} data-testid="export-unique" />
                unique: k distinct personas (pivotal sampling, weights re-calibrated to the target); off: k draws with repeats
              </label>
              <label className="block">
                seed of a fresh draw
                <input type="number" min={0} className="ml-1 w-20 rounded border border-slate-300 px-1 py-0.5" value={seed} onChange={(e) => setSeed(Number(e.target.value) || 0)} />
              </label>
            </div>
          )}
        </fieldset>
        <fieldset className="space-y-1" disabled={busy}>
          <legend className="text-xs text-slate-600">Format of the file (choose before exporting)</legend>
          {([['Tables', TABLE_FORMATS], ['Simulators', SIMULATOR_FORMATS]] as const).map(([title, formats]) => (
            <div key={title} role="group" aria-label={title}>
              <p className="mt-1 text-[11px] font-medium uppercase tracking-wide text-slate-500">{title}</p>
              {formats.map((f) => (
                <label key={f} className="flex items-center gap-2">
                  <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} data-testid={`export-format-${f}`} />
                  {FORMAT_LABELS[f]}
                </label>
              ))}
            </div>
          ))}
          <p className="text-[11px] text-slate-500">Every format is stored with the export; the list below offers each for download.</p>
          <button
            type="button"
            className="mt-2 inline-flex items-center gap-2 rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800 disabled:opacity-60"
            onClick={() => void create()}
            disabled={busy || !mayChange}
            aria-busy={busy}
            data-testid="create-export"
          >
            {busy && <span className="h-3 w-3 animate-spin rounded-full border-2 border-white border-t-transparent" aria-hidden="true" />}
            {busy ? `Exporting ${FORMAT_NAMES[format]}…` : `Export as ${FORMAT_NAMES[format]}`}
          </button>
          <ReadOnlyNote what="creating an export" />
        </fieldset>
      </div>
      <ExportOutcome form={form} mayChange={mayChange} />
    </section>
  );
}
