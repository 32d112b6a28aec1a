import Link from 'next/link';
import { METRIC_NAMES, METRICS } from '@/lib/core/metrics';
import { AppError } from '@/lib/http/errors';
import { compareRuns, describeRunDiagnostics, describeRunSettings, getRunSummary, listRuns, type RunView } from '@/lib/studio/runs';
import { requirePageAccess } from '@/lib/auth/dal';
import { actorFromPage } from '@/lib/audit/actor';
import { DeleteButton } from '@/components/DeleteButton';
import { RunDetails } from '@/components/studio/RunDetails';
import { methodsReportPath } from '@/lib/export/service';

export const metadata = { title: 'Alignment runs' };
export const dynamic = 'force-dynamic';

const ROWS = ['raw', 'randomSelect', 'resample'] as const;
const ROW_LABEL = { raw: 'Raw (whole pool)', randomSelect: 'RandomSelect', resample: 'Resample (aligned set)' };

function RunColumn({ run, testId }: { run: RunView; testId: string }) {
  const m = run.metrics;
  const d = run.diagnostics;
  const cfg = run.config;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid={testId}>
      <h2 className="font-semibold">
        #{run.id} {run.name}
      </h2>
      <p className="text-xs text-slate-600">
        {run.status} · seed {run.seed} · {run.createdAt.replace('T', ' ').slice(0, 19)}
      </p>
      <p className="mt-1 text-xs">Target: {cfg?.targetDescription ?? '—'}</p>
      <p className="text-xs">
        Selected set: {run.selectionSize.toLocaleString('en-US')} {run.distinctSize === run.selectionSize ? 'distinct personas' : `draws of ${run.distinctSize.toLocaleString('en-US')} distinct personas`}
        {typeof cfg?.request?.config?.selection === 'string' ? ` (${cfg.request.config.selection})` : ''}
      </p>
      <table className="mt-2 w-full text-xs">
        <thead className="bg-slate-100">
          <tr>
            <th className="px-1 py-1 text-left">Set</th>
            {METRICS.map((c) => (
              <th key={c} className="px-1 py-1 text-right">
                {METRIC_NAMES[c]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map((r) => (
            <tr key={r} className="border-t border-slate-100">
              <td className="px-1 py-1">{ROW_LABEL[r]}</td>
              {METRICS.map((c) => (
                <td key={c} className="px-1 py-1 text-right tabular-nums">
                  {m?.[r]?.[c]?.toFixed(4) ?? '—'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="mt-2 grid grid-cols-2 gap-x-2 text-xs">
        {describeRunDiagnostics(d).map((s) => (
          <div key={s.key} className="contents">
            <dt className="text-slate-600">{s.label}</dt>
            <dd className="tabular-nums" data-testid={`${testId}-diag-${s.key}`}>
              {s.value}
            </dd>
          </div>
        ))}
      </dl>
      {d?.warnings.length ? (
        <ul className="mt-2 list-disc pl-4 text-xs text-amber-800" data-testid={`${testId}-warnings`}>
          {d.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {run.status === 'done' ? <RunDetails diagnostics={run.diagnostics} testId={`${testId}-details`} /> : null}
    </section>
  );
}

/** Settings of two runs side by side, the rows that differ marked. */
function SettingsComparison({ a, b }: { a: RunView; b: RunView }) {
  const sa = describeRunSettings(a);
  const sb = describeRunSettings(b);
  return (
    <table className="w-full text-xs" data-testid="compare-settings">
      <caption className="mb-1 text-left text-sm font-semibold">Settings</caption>
      <thead className="bg-slate-100">
        <tr>
          <th className="px-1 py-1 text-left">Setting</th>
          <th className="px-1 py-1 text-left">#{a.id}</th>
          <th className="px-1 py-1 text-left">#{b.id}</th>
        </tr>
      </thead>
      <tbody>
        {sa.map((s, i) => {
          const differs = s.value !== sb[i]!.value;
          return (
            <tr key={s.key} className={`border-t border-slate-100 ${differs ? 'bg-amber-50' : ''}`} data-testid={`setting-${s.key}`} data-differs={differs}>
              <td className="px-1 py-1">
                {s.label}
                {differs ? <span className="ml-1 rounded bg-amber-200 px-1 text-[10px] text-amber-900">differs</span> : null}
              </td>
              <td className="px-1 py-1">{s.value}</td>
              <td className="px-1 py-1">{sb[i]!.value}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export default async function RunsPage({ searchParams }: { searchParams: Promise<{ a?: string; b?: string; run?: string; compare?: string | string[] }> }) {
  const actor = actorFromPage(await requirePageAccess());
  const sp = await searchParams;
  const runs = listRuns(undefined, actor);
  let comparison: ReturnType<typeof compareRuns> | null = null;
  let single: RunView | null = null;
  let error: string | null = null;
  const ticked = sp.compare === undefined ? null : ([] as string[]).concat(sp.compare);
  if (ticked && ticked.length === 2) [sp.a, sp.b] = ticked;
  try {
    if (ticked && ticked.length !== 2) error = `Tick exactly two runs to compare (${ticked.length} ticked).`;
    else if (sp.a && sp.b) comparison = compareRuns(Number(sp.a), Number(sp.b));
    else if (sp.run) single = getRunSummary(Number(sp.run));
    else {
      const latest = runs.find((r) => r.status === 'done');
      if (latest) single = getRunSummary(latest.id);
    }
  } catch (e) {
    error = e instanceof AppError ? e.message : String(e);
  }
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Alignment runs</h1>
      {error ? <p className="text-red-700">{error}</p> : null}
      {comparison ? (
        <>
          <p className="text-sm" data-testid="overlap">
            The two selections share {comparison.overlap.shared} personas; {comparison.overlap.onlyA} are only in #{comparison.a.id} and{' '}
            {comparison.overlap.onlyB} only in #{comparison.b.id}.
          </p>
          <SettingsComparison a={comparison.a} b={comparison.b} />
          <div className="grid gap-4 md:grid-cols-2">
            <RunColumn run={comparison.a} testId="compare-a" />
            <RunColumn run={comparison.b} testId="compare-b" />
          </div>
        </>
      ) : single ? (
        <>
          <p className="text-sm text-slate-600">
            {sp.run ? 'Run' : 'The latest finished run'} with its estimator, candidate table and diversity-fidelity frontier. Open
            another run below, or tick two finished runs and compare them.
          </p>
          <RunColumn run={single} testId="run-view" />
        </>
      ) : (
        <p className="text-sm text-slate-600">No finished run yet: run an alignment in the studio.</p>
      )}
      <form method="get" action="/studio/runs" className="space-y-2">
      <ul className="space-y-1 text-sm" data-testid="saved-runs">
        {runs.map((r) => {
          const est = r.diagnostics?.estimator;
          return (
            <li key={r.id} className="flex flex-wrap items-center gap-2" data-testid={`run-row-${r.id}`}>
              <input
                type="checkbox"
                name="compare"
                value={r.id}
                disabled={r.status !== 'done'}
                defaultChecked={ticked?.includes(String(r.id)) ?? false}
                aria-label={`Compare run ${r.id}`}
                data-testid={`pick-run-${r.id}`}
              />
              <span>
                {r.status === 'done' ? (
                  <Link href={`/studio/runs?run=${r.id}`} className="text-teal-800 underline" data-testid={`open-run-${r.id}`}>
                    #{r.id} {r.name}
                  </Link>
                ) : (
                  <>
                    #{r.id} {r.name}
                  </>
                )}{' '}
                · {r.status} · {r.targetDescription ?? ''}
                {est?.used ? <span className="text-xs text-slate-600"> · {est.used}{est.choice === 'auto' ? ' (auto)' : ' (named)'}</span> : null}
                {r.createdBy ? <span className="text-xs text-slate-500"> · by {r.createdBy}</span> : null}
              </span>
              <DeleteButton url={`/api/runs/${r.id}`} what={`run ${r.id}`} allowed={r.mayDelete} testId={`delete-run-${r.id}`} />
            </li>
          );
        })}
      </ul>
      <button type="submit" className="rounded bg-teal-700 px-3 py-1 text-sm font-medium text-white hover:bg-teal-800" data-testid="compare-runs">
        Compare the two ticked runs
      </button>
      </form>
      <p className="text-xs text-slate-500">
        A run that exports refer to is kept until those exports are deleted (Exports screen); a run still computing is cancelled
        first. Every deletion is recorded in the audit log.
      </p>
      <Link href="/studio" className="text-sm text-teal-800 underline">
        Back to the studio
      </Link>
    </div>
  );
}
