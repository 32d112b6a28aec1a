import { fmtInt, fmtTime, fmtWeight } from './format';
import { Empty, Section } from './PersonaSection';
import type { PersonaDetail } from '@/lib/personas/service';

/** The recent alignment runs with the persona's weight in each and whether it was selected. */
export function PersonaRuns({ detail: d }: { detail: PersonaDetail }) {
  return (
    <Section title="Recent alignment runs" id="runs" note="Weight = the persona's importance weight in the run (weights sum to 1 over the run's pool); selected = chosen for the aligned set.">
      {d.runs.length === 0 ? (
        <Empty testId="runs-empty">No alignment runs yet.</Empty>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full max-w-3xl rounded-lg border border-slate-200 bg-white text-sm" data-testid="runs-table">
            <thead className="bg-slate-100 text-left">
              <tr>
                <th className="px-3 py-1.5">Run</th>
                <th className="px-3 py-1.5">Status</th>
                <th className="px-3 py-1.5 text-right">Pool size</th>
                <th className="px-3 py-1.5 text-right">Weight</th>
                <th className="px-3 py-1.5">Selected</th>
              </tr>
            </thead>
            <tbody>
              {d.runs.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <td className="px-3 py-1.5">
                    #{r.id} {r.name} <span className="text-xs text-slate-500">{fmtTime(r.createdAt)}</span>
                  </td>
                  <td className="px-3 py-1.5">{r.status}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{fmtInt.format(r.poolSize)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{r.inPool ? fmtWeight(r.weight) : 'not in pool'}</td>
                  <td className="px-3 py-1.5">{r.selected ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
