'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { JobProgress } from '@/components/jobs/JobProgress';
import type { EstimatorChoice } from '@/lib/align/alignPool';
import type { KdeBandwidth, LiveMethod, LiveResult, ScatterPoints, WorkerRequest, WorkerResponse } from '@/lib/studio/live-types';
import type { StudioData } from '@/lib/studio/data';
import type { NormsPreset, ReferenceFilters, TargetSpec, TraitEdits } from '@/lib/targets/schema';
import { combineTransforms, traitMoments } from '@/lib/targets/transform';
import { CorrelationDiffMap, LovePlot, MarginalsChart, SinkhornTrace, TraitScatter, WeightHistogram } from './Charts';
import { targetStatus } from './targetStatus';
import { studioUrlQuery, type StudioUrlState, type UrlProblem } from './urlState';
import { CoveragePanel } from './CoveragePanel';
import { DiagnosticsBar } from './DiagnosticsBar';
import { LiveEstimatorNote, TargetFrontier, runForTarget } from './LiveEstimatorNote';
import { MetricsTable, type RunMetrics } from './MetricsTable';
import { RunsPanel, type RunOptions, type RunSummary } from './RunsPanel';
import { SavedTargets, type SavedTarget } from './SavedTargets';
import { TargetPicker, type TargetOptions } from './TargetPicker';
import { TargetBuilder } from '@/components/targets/TargetBuilder';
import { api } from '@/components/api';
import type { CustomRegion } from '@/lib/groups/schema';
import { TraitSliders } from './TraitSliders';

declare global {
  interface Window {
    /** Input-to-paint latencies (ms) of live updates (every panel drawn), read by the browser benchmark. */
    __studioLatencies?: number[];
    /** Per update: worker compute (ms), wait before the worker (ms), and result-received-to-paint (ms). */
    __studioBreakdown?: { worker: number; queue: number; render: number; commit: number; stages: Record<string, number> }[];
  }
}


const EMPTY_TRACE: number[] = [];

/** How long the address waits after the last change before it is rewritten (never during a burst of slider moves). */
const URL_WRITE_DELAY_MS = 400;

export function Studio({
  options,
  initialRuns,
  initial,
  problems,
  customRegions = [],
}: {
  options: TargetOptions;
  initialRuns: RunSummary[];
  /** The state the address named (the defaults for a plain /studio). */
  initial: StudioUrlState;
  /** Address parameters that were not understood, each named in a message. */
  problems: UrlProblem[];
  /** Saved custom regions (one-click selections in the visual target builder). */
  customRegions?: CustomRegion[];
}) {
  const [builderOpen, setBuilderOpen] = useState(false);
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<ReferenceFilters>(initial.filters);
  const [preset, setPreset] = useState<NormsPreset>(initial.preset);
  const [edits, setEdits] = useState<TraitEdits>(initial.edits);
  const [scatterTraits, setScatterTraits] = useState<[number, number]>(initial.scatterTraits);
  const [live, setLive] = useState<LiveResult | null>(null);
  const [method, setMethod] = useState<LiveMethod>(initial.method);
  const [bandwidth, setBandwidth] = useState<KdeBandwidth>(initial.bandwidth);
  const [estimator, setEstimator] = useState<EstimatorChoice>(initial.estimator);
  const [selection, setSelection] = useState<string>(initial.selection);
  const [urlProblems, setUrlProblems] = useState<UrlProblem[]>(problems);
  // The scatter comes with each result; a change of axes alone asks the worker for new points.
  const [scatter, setScatter] = useState<ScatterPoints | null>(null);
  const [workerError, setWorkerError] = useState<string | null>(null);
  const [requested, setRequested] = useState(0);
  /** The edits the latest request was sent for: until then the figures on screen are not the current target's. */
  const [requestedEdits, setRequestedEdits] = useState<TraitEdits | null>(null);
  const [ready, setReady] = useState(false);
  const [jobId, setJobId] = useState<number | null>(null);

  const workerRef = useRef<Worker | null>(null);
  const nextId = useRef(0);
  const sentAt = useRef(new Map<number, number>());
  /** When the last slider input happened (the latency clock starts there, not when the request is sent). */
  const inputAt = useRef<number | null>(null);
  const pendingPaint = useRef<{ id: number; t0: number; received: number; worker: number; stages: Record<string, number> } | null>(null);

  const dataQuery = useQuery({
    queryKey: ['studio-data', filters, preset],
    queryFn: () => api<StudioData>('/api/studio/data', { json: { spec: { filters, preset } } }),
    placeholderData: (prev) => prev,
  });
  const data = dataQuery.data;

  const runsQuery = useQuery({
    queryKey: ['runs'],
    queryFn: () => api<{ runs: RunSummary[] }>('/api/runs', { cache: 'no-store' }).then((r) => r.runs),
    initialData: initialRuns,
  });

  // The worker lives as long as the page.
  useEffect(() => {
    const worker = new Worker(new URL('./studio.worker.ts', import.meta.url), { type: 'module' });
    workerRef.current = worker;
    worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      const msg = ev.data;
      if (msg.type === 'ready') setReady(true);
      else if (msg.type === 'result') {
        const t0 = sentAt.current.get(msg.result.requestId);
        if (t0 !== undefined) pendingPaint.current = { id: msg.result.requestId, t0, received: performance.now(), worker: msg.result.ms, stages: msg.result.stages };
        setLive(msg.result);
        setScatter(msg.result.scatter);
        setWorkerError(null);
      } else if (msg.type === 'scatter') setScatter(msg.scatter);
      else if (msg.type === 'error') setWorkerError(msg.message);
    };
    worker.onerror = (e) => setWorkerError(e.message || 'The computation worker failed.');
    return () => worker.terminate();
  }, []);

  // Record input-to-paint latency once every panel of a result has been painted: the layout effect runs right after
  // React commits the new panels; the frame that paints them runs its animation-frame callbacks first, and a task
  // posted from there runs once that frame (style, layout, paint) is done. Charts may change the page again after
  // the commit (their own follow-up renders): the figure is the end of the last frame after which nothing in the
  // page changed (checked one frame later), so it covers every panel's final drawing.
  const liveArea = useRef<HTMLDivElement>(null);
  const lastMutation = useRef(0);
  useEffect(() => {
    const el = liveArea.current;
    if (!el) return;
    const mo = new MutationObserver(() => {
      lastMutation.current = performance.now();
    });
    mo.observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
    return () => mo.disconnect();
  }, []);
  useLayoutEffect(() => {
    const p = pendingPaint.current;
    if (!p || !live || live.requestId !== p.id) return;
    pendingPaint.current = null;
    // React's render and commit of the result (the rest of `render` is style, layout, paint and the frame's wait).
    const commit = performance.now() - p.received;
    // painted: when the last frame that had something new to paint was done; a frame with no change confirms it.
    const frame = (since: number, painted: number | null, left: number) =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          const now = performance.now();
          if ((painted === null || lastMutation.current > since) && left > 0) {
            frame(now, now, left - 1);
            return;
          }
          const end = painted ?? now;
          (window.__studioLatencies ??= []).push(end - p.t0);
          (window.__studioBreakdown ??= []).push({ worker: p.worker, queue: p.received - p.t0 - p.worker, render: end - p.received, commit, stages: p.stages });
        };
        ch.port2.postMessage(null);
      });
    frame(performance.now(), null, 30);
  }, [live]);

  const moments = useMemo(() => {
    if (!data) return null;
    return traitMoments(Float64Array.from(data.target.reference), data.target.n);
  }, [data]);

  // New pool or respondents: send them to the worker.
  useEffect(() => {
    if (!data || !workerRef.current) return;
    setReady(false);
    const msg: WorkerRequest = {
      type: 'init',
      pool: data.pool.data,
      poolN: data.pool.n,
      reference: data.target.reference,
      referenceN: data.target.n,
      baselines: data.baselines,
      method,
      bandwidth,
    };
    workerRef.current.postMessage(msg);
  }, [data, method, bandwidth]);

  const send = useCallback(
    (type: 'update' | 'scatter') => {
      if (!workerRef.current || !moments || !data) return;
      const transforms = combineTransforms(moments, data.target.presetTargets, edits);
      if (type === 'update') {
        const id = ++nextId.current;
        sentAt.current.set(id, inputAt.current ?? performance.now());
        inputAt.current = null;
        setRequested(id);
        setRequestedEdits(edits);
        workerRef.current.postMessage({ type: 'update', requestId: id, transforms, traits: scatterTraits } satisfies WorkerRequest);
      }
      else workerRef.current.postMessage({ type: 'scatter', requestId: nextId.current, traits: scatterTraits } satisfies WorkerRequest);
    },
    [moments, data, edits, scatterTraits],
  );

  useEffect(() => {
    if (ready) send('update');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, edits, moments]);

  useEffect(() => {
    if (ready) send('scatter');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scatterTraits]);

  const onEdits = useCallback((next: TraitEdits) => {
    inputAt.current = performance.now();
    setEdits(next);
  }, []);

  // Every panel is drawn from the same result, so the figures are current once the latest request's result is shown
  // (and the scatter has the chosen axes).
  const scatterCurrent = scatter !== null && scatter.traits[0] === scatterTraits[0] && scatter.traits[1] === scatterTraits[1];
  const stale = !live || live.requestId < requested || requestedEdits !== edits || !scatterCurrent || dataQuery.isFetching || !ready;
  const spec: TargetSpec = useMemo(() => ({ referenceSetId: 'big5', filters, preset, edits }), [filters, preset, edits]);

  const runMutation = useMutation({
    mutationFn: ({ selection: chosenSelection, estimator: chosen, ...body }: RunOptions) =>
      api<{ jobId: number }>('/api/runs', { json: { ...body, spec, config: { bandwidth, selection: chosenSelection, estimator: chosen } } }),
    onSuccess: (r) => {
      setJobId(r.jobId);
      // The run is listed (running) from the start.
      void queryClient.invalidateQueries({ queryKey: ['runs'] });
    },
  });

  const lastRun = runsQuery.data?.find((r) => r.status === 'done') ?? null;
  // The divergence table compares with a run for the same target only; a run for another target is named, not mixed in.
  const sameTargetRun = useMemo(() => runForTarget(runsQuery.data ?? [], spec), [runsQuery.data, spec]);
  const runMetrics = (sameTargetRun?.metrics as RunMetrics | undefined) ?? null;
  const otherRun =
    !sameTargetRun && lastRun ? `#${lastRun.id} ${lastRun.name}${lastRun.targetDescription ? `, target: ${lastRun.targetDescription}` : ''}` : null;

  // The state in the address (replaced, not pushed: the back button leaves the studio), written once the edits pause.
  const query = useMemo(
    () => studioUrlQuery({ filters, preset, edits, method, bandwidth, estimator, selection, scatterTraits }, options),
    [filters, preset, edits, method, bandwidth, estimator, selection, scatterTraits, options],
  );
  const firstQuery = useRef(query);
  useEffect(() => {
    // The address as it came (bad parameters included) stays until something is changed.
    if (query === firstQuery.current) return;
    const t = setTimeout(() => {
      if (window.location.search.replace(/^\?/, '') !== query) window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
    }, URL_WRITE_DELAY_MS);
    return () => clearTimeout(t);
  }, [query]);

  const narrowed =
    filters.countries.length > 0 ||
    filters.genders.length > 0 ||
    filters.ageMin !== undefined ||
    filters.ageMax !== undefined ||
    preset.kind !== 'none' ||
    Object.values(edits).some((e) => e.shift !== 0 || e.spread !== 1);
  const status = useMemo(() => (live ? targetStatus(live, { selection, method: live.method, narrowed }) : null), [live, selection, narrowed]);

  const loadTarget = useCallback((t: SavedTarget) => {
    setFilters(t.spec.filters);
    setPreset(t.spec.preset);
    inputAt.current = performance.now();
    setEdits(t.spec.edits);
  }, []);
  const runMutate = runMutation.mutate;
  const onRun = useCallback((b: RunOptions) => runMutate(b), [runMutate]);
  const jobPanel = useMemo(
    () =>
      jobId ? (
        <JobProgress
          jobId={jobId}
          onFinished={() => {
            void queryClient.invalidateQueries({ queryKey: ['runs'] });
          }}
        />
      ) : null,
    [jobId, queryClient],
  );

  const statusClass =
    status?.level === 'unsafe'
      ? 'border-red-300 bg-red-50 text-red-900'
      : status?.level === 'caution'
        ? 'border-amber-300 bg-amber-50 text-amber-900'
        : 'border-emerald-200 bg-emerald-50 text-emerald-900';

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-[300px_minmax(0,1fr)]" ref={liveArea}>
      {urlProblems.length ? (
        <div className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 lg:col-span-2" role="alert" data-testid="url-problems">
          <ul>
            {urlProblems.map((p) => (
              <li key={`${p.param}=${p.value}`} data-testid="url-problem" data-param={p.param}>
                {p.message}
              </li>
            ))}
          </ul>
          <button type="button" className="mt-1 text-xs underline" onClick={() => setUrlProblems([])}>
            Dismiss
          </button>
        </div>
      ) : null}
      <nav className="flex flex-wrap items-center gap-3 text-sm lg:col-span-2" aria-label="Studio sections" data-testid="studio-jump">
        <span className="text-slate-500">Jump to:</span>
        <a href="#studio-target" className="text-teal-800 underline">
          target and trait edits
        </a>
        <a href="#studio-live" className="text-teal-800 underline">
          live figures
        </a>
        <a href="#studio-run" className="text-teal-800 underline" data-testid="jump-run">
          full run
        </a>
      </nav>
      <section className="lg:col-span-2" aria-label="Visual target builder">
        <button
          type="button"
          className="rounded border border-slate-300 bg-white px-2 py-1 text-sm text-teal-800 hover:bg-slate-50"
          aria-expanded={builderOpen}
          onClick={() => setBuilderOpen((o) => !o)}
          data-testid="studio-builder-toggle"
        >
          {builderOpen ? 'Hide the visual target builder' : 'Build the target visually: world map, age-gender pyramid, traits vs the whole sample'}
        </button>
        {builderOpen ? (
          <div className="mt-2 rounded border border-slate-200 bg-white p-3" data-testid="studio-builder">
            <TargetBuilder filters={filters} preset={preset} onFilters={setFilters} onPreset={setPreset} customRegions={customRegions} />
          </div>
        ) : null}
      </section>
      <aside id="studio-target" tabIndex={-1} className="min-w-0 space-y-4 outline-none" aria-label="Target controls">
        <TargetPicker
          options={options}
          filters={filters}
          preset={preset}
          onFilters={setFilters}
          onPreset={setPreset}
        />
        <div className="rounded border border-slate-200 bg-white p-2 text-xs" data-testid="target-summary">
          {dataQuery.error ? (
            <p className="text-red-700">{(dataQuery.error as Error).message}</p>
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

      <div id="studio-live" tabIndex={-1} className="min-w-0 space-y-4 outline-none">
        <LiveEstimatorNote live={live} method={method} estimator={estimator} bandwidth={bandwidth} />
        <div className="flex flex-wrap items-start gap-2">
          <p className={`min-w-0 flex-1 rounded border px-3 py-1.5 text-xs ${statusClass}`} data-testid="target-status" data-level={status?.level ?? 'pending'}>
            {status ? status.sentence : 'Computing the first view…'}
          </p>
          <span
            className={`shrink-0 rounded px-2 py-0.5 text-xs ${stale ? 'bg-amber-100 text-amber-900' : 'bg-emerald-100 text-emerald-900'}`}
            data-testid="stale-marker"
            data-stale={stale ? 'true' : 'false'}
            aria-live="polite"
          >
            {stale ? 'Updating…' : `Up to date (${live ? live.ms.toFixed(0) : 0} ms)`}
          </span>
        </div>
        <DiagnosticsBar result={live} />
        {workerError ? <p className="rounded bg-red-50 p-2 text-sm text-red-800">{workerError}</p> : null}
        {/* Staleness is shown by the marker above only: dimming the whole chart area would repaint every chart twice per update. */}
        <div>
          {live ? (
            <div className="space-y-4">
              <MarginalsChart marginals={live.marginals} />
              <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
                <WeightHistogram bins={live.weightHistogram} ess={live.diagnostics.ess} poolN={live.poolN} />
                <LovePlot asmd={live.asmd} />
              </div>
              <MetricsTable
                live={live}
                run={runMetrics}
                runLabel={sameTargetRun ? `#${sameTargetRun.id} ${sameTargetRun.name}` : null}
                otherRun={otherRun}
              />
              <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
                <TraitScatter scatter={scatter} traits={scatterTraits} onTraits={setScatterTraits} />
                <CorrelationDiffMap correlationDiff={live.correlationDiff} />
              </div>
              <CoveragePanel coverage={live.coverage} />
              <ul className="text-[11px] text-slate-500" data-testid="live-notes">
                {live.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="text-sm text-slate-600">Computing the first view…</p>
          )}
        </div>
        <div id="studio-run" tabIndex={-1} className="outline-none">
        <RunsPanel
          runs={runsQuery.data ?? []}
          onRun={onRun}
          running={runMutation.isPending}
          error={runMutation.error ? (runMutation.error as Error).message : null}
          job={jobPanel}
          poolSize={data?.pool.n ?? null}
          bandwidth={bandwidth}
          estimator={estimator}
          onEstimator={setEstimator}
          liveMethod={method}
          selection={selection}
          onSelection={setSelection}
        />
        </div>
        <TargetFrontier runs={runsQuery.data ?? []} spec={spec} />
        <SinkhornTrace
          trace={(lastRun?.trace as number[] | undefined) ?? EMPTY_TRACE}
          converged={(lastRun?.diagnostics as { converged?: boolean } | undefined)?.converged}
          tolerance={(lastRun?.config as { ot?: { tolerance?: number } } | undefined)?.ot?.tolerance}
          estimator={(lastRun?.diagnostics as { estimator?: { used?: string } } | undefined)?.estimator?.used ?? null}
        />
        <p className="text-xs text-slate-500">
          Compare two saved runs on the <Link href="/studio/runs" className="underline">runs page</Link>.
        </p>
      </div>
    </div>
  );
}
