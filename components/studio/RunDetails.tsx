/**
 * What a saved run's weights came from and what they allow: the estimator (named or chosen by auto), auto's candidate
 * table, and the diversity-fidelity frontier with a one-sentence reading. Renders on the server; the chart is a
 * client component.
 */
import { METRIC_NAMES, METRICS } from '@/lib/core/metrics';
import type { RunDiagnostics, StoredCandidate, StoredEstimator, StoredFrontier } from '@/lib/studio/runs';
import { FrontierChart } from './FrontierChart';
import { ESTIMATOR_OPTIONS } from './estimatorChoices';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const num = (v: number | undefined, digits: number) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—');

/** The estimator a run used, in words. */
export function EstimatorSummary({ estimator, testId = 'run-estimator' }: { estimator: StoredEstimator | undefined; testId?: string }) {
  if (!estimator) {
    return (
      <p className="text-xs text-slate-600" data-testid={testId}>
        This run was saved before runs recorded their weight estimator.
      </p>
    );
  }
  const named = ESTIMATOR_OPTIONS.find((o) => o.value === estimator.choice);
  const ot = estimator.refine === 'ot' ? ', refined by entropic optimal transport' : '';
  return (
    <p className="text-xs" data-testid={testId} data-choice={estimator.choice} data-used={estimator.used}>
      Weights from <span className="font-semibold">{estimator.used}</span>
      {ot}.{' '}
      {estimator.choice === 'auto' ? (
        <>
          <span className="font-medium text-emerald-800">Chosen by auto</span> as the candidate with the lowest held-out score
          {estimator.heldOut
            ? ` (fitted on ${fmt(estimator.heldOut.fitRows)} target rows, measured on the other ${fmt(estimator.heldOut.heldOutRows)})`
            : ''}
          , then fitted to the whole target.
        </>
      ) : (
        <>
          <span className="font-medium text-slate-800">Named in the run’s request</span> ({named?.name ?? estimator.choice}), so no
          candidates were compared.
        </>
      )}
    </p>
  );
}

/** auto's candidate table: each estimator's k-set against the held-out target rows, the winner marked. */
export function CandidateTable({ estimator, testId = 'candidate-table' }: { estimator: StoredEstimator; testId?: string }) {
  const rows: StoredCandidate[] = estimator.candidates ?? [];
  const usable = rows.filter((r) => r.error === null);
  const best = usable.length ? usable.reduce((a, b) => (b.score < a.score ? b : a)) : null;
  const winner = rows.find((r) => r.label === estimator.used) ?? best;
  return (
    <div data-testid={testId}>
      <h4 className="text-xs font-semibold">Candidate estimators (held-out measurement)</h4>
      <p className="text-xs text-slate-600" data-testid="candidate-score-definition">
        Score = mean ratio to Raw: the mean over AMW, FD, SW, MMD and MAEcorr of the candidate’s k-set divided by the whole
        unweighted pool, both measured against the held-out target rows (below 1 is closer than Raw; the lowest wins).
      </p>
      <div className="mt-1 overflow-x-auto">
        <table className="w-full text-xs">
          <thead className="bg-slate-100">
            <tr>
              <th className="px-1 py-1 text-left">Estimator</th>
              {METRICS.map((m) => (
                <th key={m} className="px-1 py-1 text-right">
                  {METRIC_NAMES[m]}
                </th>
              ))}
              <th className="px-1 py-1 text-right">Mean ratio to Raw (score)</th>
              <th className="px-1 py-1 text-right">ESS</th>
              <th className="px-1 py-1 text-right">Distinct personas</th>
            </tr>
          </thead>
          <tbody>
            {estimator.heldOut ? (
              <tr className="border-t border-slate-100 text-slate-500" data-testid="candidate-raw">
                <td className="px-1 py-1">Raw (whole pool, unweighted)</td>
                {METRICS.map((m) => (
                  <td key={m} className="px-1 py-1 text-right tabular-nums">
                    {num(estimator.heldOut!.raw[m], 4)}
                  </td>
                ))}
                <td className="px-1 py-1 text-right tabular-nums">1.000</td>
                <td className="px-1 py-1 text-right">—</td>
                <td className="px-1 py-1 text-right">—</td>
              </tr>
            ) : null}
            {rows.map((r) => {
              const won = r === winner;
              return (
                <tr
                  key={r.label}
                  className={`border-t border-slate-100 ${won ? 'bg-emerald-50 font-semibold' : ''}`}
                  data-testid={won ? 'candidate-winner' : 'candidate-row'}
                  data-label={r.label}
                >
                  <td className="px-1 py-1">
                    {won ? <span aria-label="chosen">★ </span> : null}
                    {r.label}
                    {won ? <span className="font-normal text-emerald-800"> (chosen)</span> : null}
                    {r.error ? <span className="block text-[10px] font-normal text-red-700">not measured: {r.error}</span> : null}
                    {!r.error && !r.converged ? <span className="block text-[10px] font-normal text-amber-800">did not converge</span> : null}
                  </td>
                  {METRICS.map((m) => (
                    <td key={m} className="px-1 py-1 text-right tabular-nums">
                      {r.error ? '—' : num(r.heldOut[m], 4)}
                    </td>
                  ))}
                  <td className="px-1 py-1 text-right tabular-nums">{r.error ? '—' : num(r.score, 3)}</td>
                  <td className="px-1 py-1 text-right tabular-nums">{r.error ? '—' : num(r.ess, 1)}</td>
                  <td className="px-1 py-1 text-right tabular-nums">{r.error ? '—' : fmt(r.distinct)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="mt-1 text-[11px] text-slate-500">
        ESS: Kish effective sample size of the weights fitted on the fitting rows. Distinct personas: how many different
        personas the candidate’s k-set holds.
      </p>
    </div>
  );
}

/** One sentence on what the frontier says: the run's set, distinct sets of the same size, and the recommended size. */
export function frontierSentence(f: StoredFrontier): string {
  const k = f.run.size;
  const parts: string[] = [];
  parts.push(
    f.run.repeats
      ? `${fmt(k)} draws use ${fmt(f.run.distinct)} distinct personas (AMW ${f.run.amw.toFixed(2)})`
      : `the run’s set holds ${fmt(k)} distinct personas (AMW ${f.run.amw.toFixed(2)})`,
  );
  const s = f.sizes.indexOf(k);
  if (s >= 0 && f.run.repeats) parts.push(`${fmt(k)} distinct personas reach AMW ${f.distinct.amw[s]!.toFixed(2)}`);
  else if (s >= 0) parts.push(`${fmt(k)} systematic draws would use ${fmt(f.systematicDistinct[s]!)} distinct personas and reach AMW ${f.systematic.amw[s]!.toFixed(2)}`);
  else {
    const last = f.sizes.length - 1;
    parts.push(`only ${fmt(f.positiveCount)} personas have a positive weight, and ${fmt(f.sizes[last]!)} distinct personas reach AMW ${f.distinct.amw[last]!.toFixed(2)}`);
  }
  parts.push(`recommended k = ${fmt(f.recommendedSize)}`);
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Estimator, candidate table and frontier of one run (whatever of them the run stored). */
export function RunDetails({ diagnostics, testId = 'run-details' }: { diagnostics: RunDiagnostics | null; testId?: string }) {
  const estimator = diagnostics?.estimator;
  const frontier = diagnostics?.frontier;
  return (
    <div className="mt-3 space-y-3" data-testid={testId}>
      <EstimatorSummary estimator={estimator} />
      {estimator?.candidates ? <CandidateTable estimator={estimator} /> : null}
      {frontier && 'sizes' in frontier ? (
        <div className="space-y-1">
          <FrontierChart frontier={frontier} />
          <p className="text-xs" data-testid="frontier-sentence">
            {frontierSentence(frontier)}
          </p>
          <p className="text-[11px] text-slate-500">
            Recommended k: the most distinct personas whose mean ratio to Raw is within 10% of the best size’s. One pivotal
            draw and one systematic draw per size (metric seed {frontier.seed}), measured in {frontier.seconds.toFixed(1)} s.
          </p>
        </div>
      ) : frontier && 'error' in frontier ? (
        <p className="text-xs text-amber-800" data-testid="frontier-error">
          The diversity-fidelity frontier could not be measured: {frontier.error}
        </p>
      ) : (
        <p className="text-xs text-slate-500" data-testid="frontier-missing">
          This run was saved before runs measured their diversity-fidelity frontier.
        </p>
      )}
    </div>
  );
}
