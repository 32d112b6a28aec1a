'use client';
/**
 * The studio's full runs: the list (refetched when a run starts or finishes), starting a run as a job for the current
 * target, and which run the live figures are compared with (one for the same target only; another is named).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { KdeBandwidth } from '@/lib/studio/liveTypes';
import type { TargetSpec } from '@/lib/targets/schema';
import { api } from '@/components/api';
import { runForTarget } from './LiveEstimatorNote';
import type { RunMetrics } from './MetricsTable';
import type { RunOptions, RunSummary } from './RunsPanel';

export function useStudioRuns({ initialRuns, spec, bandwidth }: { initialRuns: RunSummary[]; spec: TargetSpec; bandwidth: KdeBandwidth }) {
  const queryClient = useQueryClient();
  const [jobId, setJobId] = useState<number | null>(null);

  const runsQuery = useQuery({
    queryKey: ['runs'],
    queryFn: () => api<{ runs: RunSummary[] }>('/api/runs', { cache: 'no-store' }).then((r) => r.runs),
    initialData: initialRuns,
  });

  const runMutation = useMutation({
    mutationFn: ({ selection: chosenSelection, estimator: chosen, ...body }: RunOptions) =>
      api<{ jobId: number }>('/api/runs', { json: { ...body, spec, config: { bandwidth, selection: chosenSelection, estimator: chosen } } }),
    onSuccess: (r) => {
      setJobId(r.jobId);
      // The run is listed (running) from the start.
      void queryClient.invalidateQueries({ queryKey: ['runs'] });
    },
  });

  const runs = runsQuery.data;
  const lastRun = runs?.find((r) => r.status === 'done') ?? null;
  // The divergence table compares with a run for the same target only; a run for another target is named, not mixed in.
  const sameTargetRun = useMemo(() => runForTarget(runs ?? [], spec), [runs, spec]);
  const runMetrics = useMemo((): RunMetrics | null => {
    const m = sameTargetRun?.metrics;
    return m?.raw && m.randomSelect && m.resample ? { raw: m.raw, randomSelect: m.randomSelect, resample: m.resample } : null;
  }, [sameTargetRun]);
  const otherRun =
    !sameTargetRun && lastRun ? `#${lastRun.id} ${lastRun.name}${lastRun.targetDescription ? `, target: ${lastRun.targetDescription}` : ''}` : null;

  const runMutate = runMutation.mutate;
  const onRun = useCallback((b: RunOptions) => runMutate(b), [runMutate]);
  const onJobFinished = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ['runs'] });
  }, [queryClient]);

  return {
    runs,
    lastRun,
    sameTargetRun,
    runMetrics,
    otherRun,
    onRun,
    running: runMutation.isPending,
    runError: runMutation.error ? (runMutation.error as Error).message : null,
    jobId,
    onJobFinished,
  };
}
