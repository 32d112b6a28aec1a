'use client';
/** Compares two exports: who was added, removed or reweighted from A to B. Its errors show in the new-export form. */
import { describeSource, type ExportListItem } from './exportFormat';
import type { RequestError } from './useExportForm';
import { useExportDiff } from './useExportDiff';

export function ExportDiff({ exports, setError }: { exports: ExportListItem[]; setError: (e: RequestError | null) => void }) {
  const { a, setA, b, setB, diff, runDiff } = useExportDiff(exports, setError);
  return (
    <section className="space-y-2" aria-labelledby="diff-title">
      <h2 id="diff-title" className="text-lg font-semibold">
        Compare two exports
      </h2>
      <div className="flex flex-wrap items-end gap-2 text-sm">
        {(
          [
            ['A', a, setA],
            ['B', b, setB],
          ] as const
        ).map(([label, value, set]) => (
          <label key={label} className="text-xs">
            <span className="text-slate-600">Export {label}</span>
            <select className="ml-1 rounded border border-slate-300 px-1 py-1" value={value} onChange={(ev) => set(Number(ev.target.value))} data-testid={`diff-${label}`}>
              {exports.map((e) => (
                <option key={e.id} value={e.id}>
                  #{e.id} {describeSource(e)}
                </option>
              ))}
            </select>
          </label>
        ))}
        <button type="button" className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100" onClick={() => void runDiff()} disabled={exports.length === 0} data-testid="run-diff">
          Compare
        </button>
      </div>
      {diff && (
        <div className="rounded border border-slate-200 bg-white p-2 text-xs" data-testid="diff-result">
          <p className="font-medium">{diff.summary}</p>
          <div className="mt-1 grid gap-3 md:grid-cols-3">
            <div>
              <h3 className="font-semibold">Added (in B only)</h3>
              <ul>{diff.added.slice(0, 20).map((x) => <li key={x.personaId}>persona {x.personaId} · weight {x.weight.toExponential(3)} · ×{x.count}</li>)}</ul>
            </div>
            <div>
              <h3 className="font-semibold">Removed (in A only)</h3>
              <ul>{diff.removed.slice(0, 20).map((x) => <li key={x.personaId}>persona {x.personaId} · weight {x.weight.toExponential(3)} · ×{x.count}</li>)}</ul>
            </div>
            <div>
              <h3 className="font-semibold">Reweighted (|Δw| &gt; 1e-9, exported weights)</h3>
              <ul>
                {diff.reweighted.slice(0, 20).map((x) => (
                  <li key={x.personaId}>
                    persona {x.personaId}: {x.from.toExponential(3)} → {x.to.toExponential(3)}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
