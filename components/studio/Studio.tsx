'use client';
/**
 * The alignment studio: a target (picker, visual builder, trait sliders), the live figures of the pool weighted
 * toward it (computed in a Web Worker on every edit), and full runs as jobs. The sections live in sibling files; the
 * worker in useLiveWorker, the runs in useStudioRuns, the address in useStudioUrl.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { JobProgress } from '@/components/jobs/JobProgress';
import { api } from '@/components/api';
import type { EstimatorChoice } from '@/lib/align/alignPool';
import type { CustomRegion } from '@/lib/groups/schema';
import type { KdeBandwidth, LiveMethod } from '@/lib/studio/liveTypes';
import type { StudioData } from '@/lib/studio/data';
import type { NormsPreset, ReferenceFilters, TargetSpec, TraitEdits } from '@/lib/targets/schema';
import type { RunSummary } from './RunsPanel';
import type { SavedTarget } from './SavedTargets';
import { StudioHeader } from './StudioHeader';
import { StudioLiveFigures } from './StudioLiveFigures';
import { StudioRunSection } from './StudioRunSection';
import { StudioTargetControls } from './StudioTargetControls';
import type { TargetOptions } from './TargetPicker';
import { targetStatus } from './targetStatus';
import { useLiveWorker } from './useLiveWorker';
import { useStudioRuns } from './useStudioRuns';
import { useStudioUrl } from './useStudioUrl';
import type { StudioUrlState, UrlProblem } from './urlState';

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
  const [filters, setFilters] = useState<ReferenceFilters>(initial.filters);
  const [preset, setPreset] = useState<NormsPreset>(initial.preset);
  const [edits, setEdits] = useState<TraitEdits>(initial.edits);
  const [scatterTraits, setScatterTraits] = useState<[number, number]>(initial.scatterTraits);
  const [method, setMethod] = useState<LiveMethod>(initial.method);
  const [bandwidth, setBandwidth] = useState<KdeBandwidth>(initial.bandwidth);
  const [estimator, setEstimator] = useState<EstimatorChoice>(initial.estimator);
  const [selection, setSelection] = useState<string>(initial.selection);
  const [urlProblems, setUrlProblems] = useState<UrlProblem[]>(problems);

  const dataQuery = useQuery({
    queryKey: ['studio-data', filters, preset],
    queryFn: () => api<StudioData>('/api/studio/data', { json: { spec: { filters, preset } } }),
    placeholderData: (prev) => prev,
  });
  const data = dataQuery.data;

  const { live, scatter, workerError, requested, requestedEdits, ready, liveArea, markInput } = useLiveWorker({ data, method, bandwidth, edits, scatterTraits });

  const onEdits = useCallback(
    (next: TraitEdits) => {
      markInput();
      setEdits(next);
    },
    [markInput],
  );

  // Every panel is drawn from the same result, so the figures are current once the latest request's result is shown
  // (and the scatter has the chosen axes).
  const scatterCurrent = scatter !== null && scatter.traits[0] === scatterTraits[0] && scatter.traits[1] === scatterTraits[1];
  const stale = !live || live.requestId < requested || requestedEdits !== edits || !scatterCurrent || dataQuery.isFetching || !ready;
  const spec: TargetSpec = useMemo(() => ({ referenceSetId: 'big5', filters, preset, edits }), [filters, preset, edits]);

  const runs = useStudioRuns({ initialRuns, spec, bandwidth });
  useStudioUrl({ filters, preset, edits, method, bandwidth, estimator, selection, scatterTraits }, options);

  const narrowed =
    filters.countries.length > 0 ||
    filters.genders.length > 0 ||
    filters.ageMin !== undefined ||
    filters.ageMax !== undefined ||
    preset.kind !== 'none' ||
    Object.values(edits).some((e) => e.shift !== 0 || e.spread !== 1);
  const status = useMemo(() => (live ? targetStatus(live, { selection, method: live.method, narrowed }) : null), [live, selection, narrowed]);

  const loadTarget = useCallback(
    (t: SavedTarget) => {
      setFilters(t.spec.filters);
      setPreset(t.spec.preset);
      markInput();
      setEdits(t.spec.edits);
    },
    [markInput],
  );
  const { jobId, onJobFinished } = runs;
  const jobPanel = useMemo(() => (jobId ? <JobProgress jobId={jobId} onFinished={onJobFinished} /> : null), [jobId, onJobFinished]);

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-[300px_minmax(0,1fr)]" ref={liveArea}>
      <StudioHeader
        urlProblems={urlProblems}
        onDismissProblems={() => setUrlProblems([])}
        filters={filters}
        preset={preset}
        onFilters={setFilters}
        onPreset={setPreset}
        customRegions={customRegions}
      />
      <StudioTargetControls
        options={options}
        filters={filters}
        preset={preset}
        setFilters={setFilters}
        setPreset={setPreset}
        data={data}
        dataError={dataQuery.error as Error | null}
        edits={edits}
        onEdits={onEdits}
        method={method}
        setMethod={setMethod}
        bandwidth={bandwidth}
        setBandwidth={setBandwidth}
        spec={spec}
        loadTarget={loadTarget}
      />

      <div id="studio-live" tabIndex={-1} className="min-w-0 space-y-4 outline-none">
        <StudioLiveFigures
          live={live}
          method={method}
          estimator={estimator}
          bandwidth={bandwidth}
          status={status}
          stale={stale}
          workerError={workerError}
          scatter={scatter}
          scatterTraits={scatterTraits}
          setScatterTraits={setScatterTraits}
          runMetrics={runs.runMetrics}
          runLabel={runs.sameTargetRun ? `#${runs.sameTargetRun.id} ${runs.sameTargetRun.name}` : null}
          otherRun={runs.otherRun}
        />
        <StudioRunSection
          runs={runs.runs ?? []}
          lastRun={runs.lastRun}
          onRun={runs.onRun}
          running={runs.running}
          error={runs.runError}
          job={jobPanel}
          poolSize={data?.pool.n ?? null}
          bandwidth={bandwidth}
          estimator={estimator}
          onEstimator={setEstimator}
          liveMethod={method}
          selection={selection}
          onSelection={setSelection}
          spec={spec}
        />
      </div>
    </div>
  );
}
