'use client';

/**
 * One group: its human target, the retrieved personas with why they matched, light revision (LLM) with diffs and
 * drift, alignment of the group set as a job, and the metrics and coverage of the latest run.
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Label, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { JobProgress } from '@/components/jobs/JobProgress';
import { StatusBadge } from '@/components/personas/StatusBadge';
import type { GroupCoverage } from '@/lib/groups/coverage';
import type { RetrievalResult } from '@/lib/groups/retrieve';
import type { RevisionView } from '@/lib/groups/service';
import type { ReferenceFilters } from '@/lib/targets/schema';
import { HelpTip } from '@/components/HelpTip';
import { ReadOnlyNote, useMayChange } from '@/components/Access';
import { api } from '@/components/api';
import { GROUP_CHANGED_EVENT } from './GroupForm';
import { GroupThumbnail } from './GroupThumbnail';

const METRICS = ['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const;
const METRIC_NAMES: Record<string, string> = { amw: 'AMW', fd: 'FD', sw: 'SW', mmd: 'MMD', maecorr: 'MAEcorr' };
const SETS = [
  ['raw', 'Raw (whole group set)'],
  ['randomSelect', 'RandomSelect (random k; the whole set when k = set size)'],
  ['resample', 'Resample (aligned set)'],
  ['weighted', 'Group set under final weights'],
] as const;
const TRAITS = ['E', 'A', 'C', 'N', 'O'] as const;

type Metrics = Record<string, Record<string, number>>;

export interface GroupDetailData {
  group: { id: number; name: string; definition: { reference: { filters: ReferenceFilters }; personas: { description?: string; retrieveCount: number } } };
  target: { n: number; warnings: string[]; description: string; error: string | null };
  latestRun: {
    id: number;
    name: string;
    seed: number;
    createdAt: string;
    setSize: number;
    selectionSize: number;
    metrics: Metrics | null;
    diagnostics: Record<string, unknown> | null;
    coverage: GroupCoverage | null;
    /** Made for an earlier definition of the group. */
    stale: boolean;
  } | null;
  runs: { id: number; status: string; createdAt: string; jobId: number | null }[];
  revisions: RevisionView[];
}

const fmt = (v: unknown, d = 4) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');

function MetricsChart({ metrics }: { metrics: Metrics }) {
  const rows = ['amw', 'sw', 'mmd', 'maecorr'].map((m) => ({
    metric: METRIC_NAMES[m],
    raw: metrics.raw?.[m],
    randomSelect: metrics.randomSelect?.[m],
    resample: metrics.resample?.[m],
  }));
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3" data-testid="chart-group-metrics">
      <figcaption>
        <span className="block text-sm font-semibold">Divergence from the group target, by set</span>
        <span className="block text-xs text-slate-500">
          Each bar measures one set against the group’s human target (lower is better). AMW, SW in trait-scale points (1-5),
          MMD unitless, MAEcorr in correlation units. FD is in the table (squared points, another scale).
        </span>
      </figcaption>
      <div className="mt-2 h-56">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 18, left: 8 }}>
            <CartesianGrid strokeDasharray="2 4" stroke="#e2e8f0" />
            <XAxis dataKey="metric" fontSize={11}>
              <Label value="metric" position="insideBottom" offset={-10} fontSize={10} />
            </XAxis>
            <YAxis fontSize={10} tickFormatter={(v: number) => v.toFixed(2)}>
              <Label value="divergence (metric units)" angle={-90} position="insideLeft" offset={0} fontSize={10} style={{ textAnchor: 'middle' }} />
            </YAxis>
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
            <Legend verticalAlign="top" height={20} wrapperStyle={{ fontSize: 11 }} />
            <Bar dataKey="raw" name="Raw (whole group set)" fill="#64748b" isAnimationActive={false} />
            <Bar dataKey="randomSelect" name="RandomSelect (random k)" fill="#a8a29e" isAnimationActive={false} />
            <Bar dataKey="resample" name="Resample (aligned set)" fill="#0f766e" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function DiffText({ parts }: { parts: RevisionView['diff'] }) {
  return (
    <p className="whitespace-pre-wrap text-sm leading-relaxed" data-testid="revision-diff">
      {parts.map((p, i) =>
        p.kind === 'added' ? (
          <ins key={i} className="bg-emerald-100 text-emerald-900 no-underline">
            {p.text}
          </ins>
        ) : p.kind === 'removed' ? (
          <del key={i} className="bg-rose-100 text-rose-900">
            {p.text}
          </del>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </p>
  );
}

export function GroupDetail({ data, llm }: { data: GroupDetailData; llm: { generator: boolean; responder: boolean; embedder: boolean } }) {
  const router = useRouter();
  const id = data.group.id;
  const [retrieval, setRetrieval] = useState<RetrievalResult | null>(null);
  const [retrievalError, setRetrievalError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [seed, setSeed] = useState(1);
  const [size, setSize] = useState('');
  const [alignJob, setAlignJob] = useState<number | null>(null);
  const [reviseJob, setReviseJob] = useState<number | null>(null);
  /** Starts the group's alignment job (the stale marker's "Align again" and "Align group" both call it). */
  const startAlign = async () => {
    try {
      const out = await post(`/api/groups/${id}/align`, size ? { seed, size: Number(size) } : { seed });
      setAlignJob(out.jobId);
    } catch (e) {
      setActionError((e as Error).message);
    }
  };
  const [actionError, setActionError] = useState<string | null>(null);
  const mayChange = useMayChange();
  /** What the last saved edit made stale in this page (retrieval is redone on reload; the run's flag comes from the server). */
  const [staleRetrieval, setStaleRetrieval] = useState(false);

  useEffect(() => {
    const on = (e: Event) => {
      if ((e as CustomEvent<{ groupId: number }>).detail?.groupId === id) setStaleRetrieval(true);
    };
    window.addEventListener(GROUP_CHANGED_EVENT, on);
    return () => window.removeEventListener(GROUP_CHANGED_EVENT, on);
  }, [id]);

  const retrieve = useCallback(async () => {
    setLoading(true);
    setRetrievalError(null);
    try {
      setRetrieval(await api<RetrievalResult>(`/api/groups/${id}/retrieve`, { json: {} }));
      setStaleRetrieval(false);
    } catch (e) {
      setRetrievalError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [id]);
  useEffect(() => {
    void retrieve();
  }, [retrieve]);

  /** Starts a job (align, revise): its id. */
  async function post(url: string, body: unknown) {
    setActionError(null);
    return api<{ jobId: number }>(url, { json: body });
  }

  const run = data.latestRun;
  const diag = (run?.diagnostics ?? {}) as { ess?: number; khat?: number; designEffect?: number; maxWeightShare?: number; warnings?: string[] };
  const canRevise = llm.generator && llm.responder;

  return (
    <div className="space-y-5">
      <section className="rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="group-target">
        <h2 className="font-semibold">Human target</h2>
        <p>
          <span className="font-semibold tabular-nums" data-testid="group-respondents">
            {data.target.n.toLocaleString('en-US')}
          </span>{' '}
          respondents
          <HelpTip term="respondents" /> · {data.target.description}
        </p>
        {data.target.warnings.map((w) => (
          <p key={w} className="text-xs text-amber-800" data-testid="group-warning">
            ⚠ {w}
          </p>
        ))}
        <p className="mt-1 text-xs text-slate-600">Persona description: {data.group.definition.personas.description ?? '(filters only)'}</p>
        <div className="mt-2 max-w-2xl">
          <GroupThumbnail filters={data.group.definition.reference.filters} />
        </div>
      </section>

      {(staleRetrieval || run?.stale) && (
        <section className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm" role="status" data-testid="group-stale">
          <p className="font-medium text-amber-900">
            The definition changed since {staleRetrieval ? 'these personas were retrieved' : 'the latest alignment'}
            {staleRetrieval && run ? ' and the latest alignment was made' : ''}: {staleRetrieval && run ? 'both are' : 'it is'} out of date.
          </p>
          <div className="mt-1 flex flex-wrap gap-2 text-xs">
            {staleRetrieval && (
              <button type="button" className="rounded border border-amber-700 px-2 py-0.5 text-amber-900 hover:bg-amber-100" onClick={() => void retrieve()} data-testid="stale-retrieve">
                Retrieve again
              </button>
            )}
            {run && (
              <button
                type="button"
                className="rounded bg-amber-700 px-2 py-0.5 font-medium text-white hover:bg-amber-800 disabled:opacity-50"
                disabled={alignJob !== null || !mayChange}
                data-testid="stale-align"
                onClick={() => void startAlign()}
              >
                Align again
              </button>
            )}
          </div>
        </section>
      )}

      <section className="space-y-2" aria-labelledby="retrieval-title">
        <div className="flex items-center gap-3">
          <h2 id="retrieval-title" className="text-lg font-semibold">
            Retrieved personas
          </h2>
          <button type="button" className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100" onClick={() => void retrieve()} disabled={loading}>
            {loading ? 'Retrieving…' : 'Retrieve again'}
          </button>
        </div>
        {retrievalError && <p className="text-sm text-red-700">{retrievalError}</p>}
        {retrieval && (
          <>
            <p className="text-xs text-slate-600" data-testid="retrieval-note">
              {retrieval.hits.length} of {retrieval.candidates.toLocaleString('en-US')} personas after the filters. {retrieval.note}
            </p>
            {retrieval.hits.length < data.group.definition.personas.retrieveCount && (
              <div className="rounded border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900" role="status" data-testid="too-few-personas">
                <p>
                  Only {retrieval.hits.length} of the {data.group.definition.personas.retrieveCount} personas asked for qualify: the persona filters leave{' '}
                  {retrieval.candidates.toLocaleString('en-US')} candidates. Widen the persona filters, or adapt the retrieved personas to the group
                  with the LLM (each revision is a new, re-measured version).
                </p>
                <button
                  type="button"
                  className="mt-1 rounded border border-amber-400 bg-white px-2 py-0.5 hover:bg-amber-100 disabled:opacity-50"
                  disabled={retrieval.hits.length === 0}
                  onClick={() => setSelected(retrieval.hits.map((h) => h.id).slice(0, 200))}
                  data-testid="select-all-for-revision"
                >
                  Select all {Math.min(retrieval.hits.length, 200)} for revision
                </button>
              </div>
            )}
            <div className="flex flex-wrap items-center gap-2 text-xs">
              <button
                type="button"
                className="rounded bg-slate-700 px-2 py-1 font-medium text-white hover:bg-slate-800 disabled:opacity-50"
                disabled={!canRevise || selected.length === 0 || reviseJob !== null || !mayChange}
                data-testid="revise-selected"
                onClick={async () => {
                  try {
                    setReviseJob((await post(`/api/groups/${id}/revise`, { personaIds: selected })).jobId);
                  } catch (e) {
                    setActionError((e as Error).message);
                  }
                }}
              >
                Revise selected ({selected.length}) to fit the group
              </button>
              <span className="text-slate-600">
                {canRevise
                  ? 'An LLM adapts place and culture details only; each revision is a new version, re-measured, with a drift check.'
                  : 'Revision needs an LLM: set LLM_BASE_URL and LLM_MODEL (see README) and restart.'}
              </span>
            </div>
            {reviseJob !== null && (
              <JobProgress
                jobId={reviseJob}
                title="Revision and re-measurement"
                onFinished={() => {
                  setReviseJob(null);
                  setSelected([]);
                  router.refresh();
                  void retrieve();
                }}
              />
            )}
            <div className="max-h-[28rem] overflow-y-auto rounded border border-slate-200">
              <table className="w-full text-xs" data-testid="retrieval-hits">
                <thead className="sticky top-0 bg-slate-100 text-left text-slate-700">
                  <tr>
                    <th className="px-2 py-1">
                      <span className="sr-only">Select</span>
                    </th>
                    <th className="px-2 py-1 text-right">#</th>
                    <th className="px-2 py-1">Persona</th>
                    <th className="px-2 py-1">Why it matched</th>
                    <th className="px-2 py-1 text-right">
                      Score
                      <HelpTip term="score" />
                    </th>
                    <th className="px-2 py-1">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {retrieval.hits.map((h) => (
                    <tr key={h.id} className="border-t border-slate-100 align-top" data-testid={`hit-${h.id}`}>
                      <td className="px-2 py-1">
                        <input
                          type="checkbox"
                          aria-label={`Select persona ${h.id}`}
                          checked={selected.includes(h.id)}
                          disabled={h.status === 'rejected'}
                          onChange={(e) => setSelected(e.target.checked ? [...selected, h.id].slice(0, 200) : selected.filter((x) => x !== h.id))}
                        />
                      </td>
                      <td className="px-2 py-1 text-right tabular-nums">{h.rank}</td>
                      <td className="max-w-md px-2 py-1">
                        <Link href={`/personas/${h.id}`} className="font-medium text-teal-800 underline">
                          {h.name ?? `Persona ${h.id}`}
                        </Link>{' '}
                        <span className="text-slate-500">
                          {h.sourceId} · {h.occupation !== 'unknown' ? h.occupation : 'occupation unknown'} · {h.ageBand}
                        </span>
                        <span className="block text-slate-700">{h.excerpt}</span>
                      </td>
                      <td className="max-w-xs px-2 py-1 text-slate-700" data-testid="hit-why">
                        {h.whyText}
                      </td>
                      <td className="px-2 py-1 text-right tabular-nums">{h.why.method === 'filters' ? '—' : h.score.toFixed(3)}</td>
                      <td className="px-2 py-1">
                        <StatusBadge status={h.status} />
                        {!h.measured && <span className="block text-[10px] text-amber-800">no trait scores</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section className="space-y-2" aria-labelledby="align-title">
        <h2 id="align-title" className="text-lg font-semibold">
          Align the group set
        </h2>
        <ReadOnlyNote what="revising or aligning a group" />
        <p className="text-xs text-slate-600">
          The measured, non-rejected hits (with this group’s measured revisions in place of their originals) are aligned to the group’s
          target by the same engine as the studio: importance weights (bandwidth 0.5), entropic OT, systematic selection of k personas.
        </p>
        <div className="flex flex-wrap items-end gap-3 text-sm">
          <label className="block text-xs">
            <span className="text-slate-600">Seed</span>
            <input type="number" min={0} className="mt-0.5 block w-24 rounded border border-slate-300 px-1 py-0.5" value={seed} onChange={(e) => setSeed(Number(e.target.value) || 0)} data-testid="align-seed" />
          </label>
          <label className="block text-xs">
            <span className="text-slate-600">Set size k (default: the group set size)</span>
            <input type="number" min={1} className="mt-0.5 block w-28 rounded border border-slate-300 px-1 py-0.5" value={size} onChange={(e) => setSize(e.target.value)} data-testid="align-size" />
          </label>
          <button
            type="button"
            className="rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800 disabled:opacity-50"
            disabled={alignJob !== null || !mayChange}
            data-testid="align-group"
            onClick={() => void startAlign()}
          >
            Align group
          </button>
        </div>
        {actionError && (
          <p className="text-sm text-red-700" role="alert" data-testid="group-action-error">
            {actionError}
          </p>
        )}
        {alignJob !== null && (
          <JobProgress
            jobId={alignJob}
            title="Group alignment"
            onFinished={() => {
              setAlignJob(null);
              router.refresh();
            }}
          />
        )}
      </section>

      <section className="space-y-2" aria-labelledby="results-title" data-testid="group-results">
        <h2 id="results-title" className="text-lg font-semibold">
          Latest alignment
        </h2>
        {!run ? (
          <p className="text-sm text-slate-600" data-testid="no-run">
            Not aligned yet.
          </p>
        ) : (
          <>
            <p className="text-xs text-slate-600" data-testid="latest-run" data-run-id={run.id}>
              Run {run.id} (seed {run.seed}): {run.setSize} personas in the group set, {run.selectionSize} selected.{' '}
              <Link className="text-teal-800 underline" href={`/exports?group=${id}`} data-testid="export-group-link">
                Export this set
              </Link>{' '}
              ·{' '}
              <a className="text-teal-800 underline" href={`/studio/runs/${run.id}/methods`} target="_blank" rel="noreferrer" data-testid="group-methods-report">
                Methods report
              </a>
            </p>
            {run.coverage && (
              <div
                className={`rounded border p-2 text-sm ${run.coverage.ok ? 'border-emerald-300 bg-emerald-50 text-emerald-900' : 'border-amber-300 bg-amber-50 text-amber-900'}`}
                data-testid="coverage-statement"
                data-ok={run.coverage.ok}
              >
                <p>{run.coverage.statement}</p>
                {run.coverage.directions.length > 0 && (
                  <ul className="mt-1 list-disc pl-5 text-xs" data-testid="coverage-directions">
                    {run.coverage.directions.map((d) => (
                      <li key={`${d.trait}-${d.side}`}>
                        Add personas with {d.side} {d.trait} ({d.side === 'low' ? '≤' : '≥'} {d.cut.toFixed(1)}): {(100 * d.uncoveredWithin).toFixed(0)}% of that part of
                        the target ({(100 * d.share).toFixed(1)}% of the whole) has no persona nearby
                      </li>
                    ))}
                  </ul>
                )}
                {run.coverage.gaps.length > 0 && (
                  <ul className="mt-1 list-disc pl-5 text-xs">
                    {run.coverage.gaps.map((g) => (
                      <li key={g.label}>
                        Largest empty region: {(100 * g.share).toFixed(1)}% of the target with {g.label}
                      </li>
                    ))}
                  </ul>
                )}
                <p className="mt-1 text-xs">
                  Uncovered share
                  <HelpTip term="uncovered" />: {(100 * run.coverage.uncoveredShare).toFixed(1)}%
                </p>
              </div>
            )}
            <table className="w-full text-xs" data-testid="group-metrics">
              <thead className="bg-slate-100 text-slate-700">
                <tr>
                  <th className="px-2 py-1 text-left">Set (against the group target)</th>
                  {METRICS.map((m) => (
                    <th key={m} className="px-2 py-1 text-right">
                      {METRIC_NAMES[m]}
                      <HelpTip term={m} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {SETS.map(([key, label]) =>
                  run.metrics?.[key] ? (
                    <tr key={key} className="border-t border-slate-100" data-testid={`group-metrics-${key}`}>
                      <td className="px-2 py-1">{label}</td>
                      {METRICS.map((m) => (
                        <td key={m} className="px-2 py-1 text-right tabular-nums" data-testid={`group-metrics-${key}-${m}`}>
                          {fmt(run.metrics?.[key]?.[m])}
                        </td>
                      ))}
                    </tr>
                  ) : null,
                )}
              </tbody>
            </table>
            <dl className="grid grid-cols-2 gap-2 text-xs sm:grid-cols-4" data-testid="group-diagnostics">
              <div>
                <dt className="text-slate-600">
                  ESS
                  <HelpTip term="ess" />
                </dt>
                <dd className="tabular-nums" data-testid="group-ess">
                  {fmt(diag.ess, 1)} of {run.setSize}
                </dd>
              </div>
              <div>
                <dt className="text-slate-600">
                  k-hat
                  <HelpTip term="khat" />
                </dt>
                <dd className="tabular-nums">{fmt(diag.khat, 2)}</dd>
              </div>
              <div>
                <dt className="text-slate-600">
                  Design effect
                  <HelpTip term="designEffect" />
                </dt>
                <dd className="tabular-nums">{fmt(diag.designEffect, 2)}</dd>
              </div>
              <div>
                <dt className="text-slate-600">
                  Largest weight share
                  <HelpTip term="maxWeightShare" />
                </dt>
                <dd className="tabular-nums">{fmt(diag.maxWeightShare, 3)}</dd>
              </div>
            </dl>
            {diag.warnings?.length ? <p className="text-xs text-amber-800">{diag.warnings.join(' ')}</p> : null}
            {run.metrics && <MetricsChart metrics={run.metrics} />}
          </>
        )}
      </section>

      <section className="space-y-2" aria-labelledby="revisions-title">
        <h2 id="revisions-title" className="text-lg font-semibold">
          Revisions for this group
        </h2>
        {data.revisions.length === 0 ? (
          <p className="text-sm text-slate-600">No revisions yet. Select retrieved personas above and revise them to fit the group.</p>
        ) : (
          <ul className="space-y-3" data-testid="revisions">
            {data.revisions.map((r) => (
              <li key={r.id} className="rounded border border-slate-200 bg-white p-2" data-testid={`revision-${r.id}`}>
                <div className="flex flex-wrap items-center gap-2 text-xs">
                  <Link href={`/personas/${r.id}`} className="font-medium text-teal-800 underline">
                    Persona {r.id}
                  </Link>
                  <span className="text-slate-500">revision of</span>
                  <Link href={`/personas/${r.parentId}`} className="text-teal-800 underline">
                    {r.parentId}
                  </Link>
                  <StatusBadge status={r.status} />
                  {r.changes && <span className="text-slate-600">“{r.changes}”</span>}
                </div>
                <DiffText parts={r.diff} />
                <div className="mt-1 text-xs">
                  Trait drift
                  <HelpTip term="drift" />:{' '}
                  {r.drift ? (
                    <span className={r.drifted ? 'font-semibold text-red-700' : 'text-slate-700'} data-testid="revision-drift">
                      {TRAITS.map((t) => `${t} ${fmt(r.drift?.[t], 2)}`).join(' · ')} {r.drifted ? '(over 0.5: flagged)' : '(within 0.5)'}
                      <span className="block text-slate-500">compared with the {r.comparedWith}</span>
                    </span>
                  ) : (
                    <span className="text-slate-500">{r.measured ? r.comparedWith ?? 'not compared' : 'not measured yet'}</span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
