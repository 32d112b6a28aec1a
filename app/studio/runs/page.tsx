import Link from 'next/link';
import { AppError } from '@/lib/http/errors';
import { compareRuns, getRunSummary, listRuns, type RunView } from '@/lib/studio/runs';
import { requirePageAccess } from '@/lib/auth/dal';
import { actorFromPage } from '@/lib/audit/actor';
import { DeleteButton } from '@/components/DeleteButton';
import { RunDetails } from '@/components/studio/RunDetails';
import { methodsReportPath } from '@/lib/export/service';

export const dynamic = 'force-dynamic';

type Metrics = Record<string, { amw: number; fd: number; sw: number; mmd: number; maecorr: number }>;
const ROWS = ['raw', 'randomSelect', 'resample'] as const;
const ROW_LABEL = { raw: 'Raw (whole pool)', randomSelect: 'RandomSelect', resample: 'Resample (aligned set)' };
const COLS = ['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const;
const COL_NAME = { amw: 'AMW', fd: 'FD', sw: 'SW', mmd: 'MMD', maecorr: 'MAEcorr' } as const;

function RunColumn({ run, testId }: { run: RunView; testId: string }) {
  const m = run.metrics as Metrics | null;
  const d = run.diagnostics as Record<string, unknown> | null;
  const cfg = run.config as { targetDescription?: string; request?: { size?: number; config?: Record<string, unknown> } } | null;
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
            {COLS.map((c) => (
              <th key={c} className="px-1 py-1 text-right">
                {COL_NAME[c]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map((r) => (
            <tr key={r} className="border-t border-slate-100">
              <td className="px-1 py-1">{ROW_LABEL[r]}</td>
              {COLS.map((c) => (
                <td key={c} className="px-1 py-1 text-right tabular-nums">
                  {m?.[r]?.[c]?.toFixed(4) ?? '—'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="mt-2 grid grid-cols-2 gap-x-2 text-xs">
        {['ess', 'designEffect', 'maxWeightShare', 'khat', 'converged', 'iterations'].map((k) => (
          <div key={k} className="contents">
            <dt className="text-slate-600">{k}</dt>
            <dd className="tabular-nums">{typeof d?.[k] === 'number' ? (d[k] as number).toFixed(3) : String(d?.[k] ?? '—')}</dd>
          </div>
        ))}
      </dl>
      {Array.isArray(d?.warnings) && d.warnings.length ? (
        <ul className="mt-2 list-disc pl-4 text-xs text-amber-800" data-testid={`${testId}-warnings`}>
          {(d.warnings as string[]).map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {run.status === 'done' ? <RunDetails diagnostics={run.diagnostics} testId={`${testId}-details`} /> : null}
    </section>
  );
}

export default async function RunsPage({ searchParams }: { searchParams: Promise<{ a?: string; b?: string; run?: string }> }) {
  const actor = actorFromPage(await requirePageAccess());
  const sp = await searchParams;
  const runs = listRuns(undefined, actor);
  let comparison: ReturnType<typeof compareRuns> | null = null;
  let single: RunView | null = null;
  let error: string | null = null;
  try {
    if (sp.a && sp.b) comparison = compareRuns(Number(sp.a), Number(sp.b));
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
          <div className="grid grid-cols-2 gap-4">
            <RunColumn run={comparison.a} testId="compare-a" />
            <RunColumn run={comparison.b} testId="compare-b" />
          </div>
        </>
      ) : single ? (
        <>
          <p className="text-sm text-slate-600">
            {sp.run ? 'Run' : 'The latest finished run'} with its estimator, candidate table and diversity-fidelity frontier. Choose
            another run below, or tick two runs in the studio to compare them.
          </p>
          <RunColumn run={single} testId="run-view" />
        </>
      ) : (
        <p className="text-sm text-slate-600">No finished run yet: run an alignment in the studio.</p>
      )}
      <ul className="space-y-1 text-sm" data-testid="saved-runs">
        {runs.map((r) => {
          const est = (r.diagnostics as { estimator?: { choice?: string; used?: string } } | null)?.estimator;
          return (
            <li key={r.id} className="flex flex-wrap items-center gap-2" data-testid={`run-row-${r.id}`}>
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
