'use client';

/**
 * Progress of one persisted job: a bar, done / total, failures, rate, time left and a cancel button.
 * Polls GET /api/jobs/:id while the job is active. Reusable by any screen that starts jobs.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { JobView } from '@/lib/jobs/runner';
import { useMayChange } from '@/components/Access';
import { api } from '@/components/api';

const ACTIVE = new Set(['queued', 'running', 'cancelling']);

const STATUS_STYLE: Record<string, string> = {
  queued: 'bg-slate-100 text-slate-700',
  running: 'bg-blue-100 text-blue-800',
  cancelling: 'bg-amber-100 text-amber-800',
  cancelled: 'bg-slate-200 text-slate-700',
  failed: 'bg-red-100 text-red-800',
  done: 'bg-emerald-100 text-emerald-800',
};

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

async function fetchJob(id: number): Promise<JobView> {
  return (await api<{ job: JobView }>(`/api/jobs/${id}`, { cache: 'no-store' })).job;
}

export interface JobProgressProps {
  jobId: number;
  /** The job as the server rendered it (avoids an empty first paint). */
  initial?: JobView;
  /** A heading; defaults to the job kind. */
  title?: string;
  /** Poll interval while the job is active (ms). */
  intervalMs?: number;
  /** Called once when the job reaches a final status. */
  onFinished?: (job: JobView) => void;
}

export function JobProgress({ jobId, initial, title, intervalMs = 1000, onFinished }: JobProgressProps) {
  const mayChange = useMayChange();
  const queryClient = useQueryClient();
  const { data: job, error } = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => fetchJob(jobId),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data && !ACTIVE.has(q.state.data.status) ? false : intervalMs),
  });
  const cancel = useMutation({
    mutationFn: async () => (await api<{ job: JobView }>(`/api/jobs/${jobId}/cancel`, { method: 'POST' })).job,
    onSuccess: (j) => queryClient.setQueryData(['job', jobId], j),
  });
  const reported = useRef(false);
  useEffect(() => {
    if (job && !ACTIVE.has(job.status) && !reported.current) {
      reported.current = true;
      onFinished?.(job);
    }
  }, [job, onFinished]);

  if (!job) {
    return (
      <div className="text-sm text-slate-500" data-testid={`job-${jobId}`}>
        {error ? `Job ${jobId}: ${(error as Error).message}` : `Loading job ${jobId}…`}
      </div>
    );
  }
  const pct = job.fraction === null ? null : Math.round(job.fraction * 100);
  const active = ACTIVE.has(job.status);
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3" data-testid={`job-${job.id}`} data-status={job.status}>
      <div className="flex items-center justify-between gap-3">
        <div className="text-sm font-medium">
          {title ?? job.kind} <span className="text-slate-400">#{job.id}</span>
        </div>
        <div className="flex items-center gap-2">
          <span className={`rounded px-2 py-0.5 text-xs ${STATUS_STYLE[job.status] ?? ''}`} data-testid="job-status">
            {job.status}
          </span>
          {active && (
            <button
              type="button"
              className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-50"
              onClick={() => cancel.mutate()}
              disabled={cancel.isPending || job.status === 'cancelling' || !mayChange}
              data-testid="job-cancel"
            >
              Cancel
            </button>
          )}
        </div>
      </div>
      <div
        className="mt-2 h-2 w-full overflow-hidden rounded bg-slate-100"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-label={`Progress of job ${job.id}`}
      >
        <div
          className={`h-full ${job.status === 'failed' ? 'bg-red-500' : job.status === 'done' ? 'bg-emerald-500' : 'bg-blue-500'} transition-all`}
          style={{ width: `${pct ?? 0}%` }}
        />
      </div>
      <div className="mt-1 flex flex-wrap gap-x-4 text-xs text-slate-600 tabular-nums">
        <span data-testid="job-done">
          {job.done} / {job.total || '?'} {pct !== null ? `(${pct}%)` : ''}
        </span>
        <span data-testid="job-failures" className={job.failures > 0 ? 'text-red-700' : undefined}>
          {job.failures} failure{job.failures === 1 ? '' : 's'}
        </span>
        <span>{job.rate !== null ? `${job.rate.toFixed(job.rate < 10 ? 2 : 0)} / s` : 'rate —'}</span>
        <span>time left {active ? formatDuration(job.secondsLeft) : '—'}</span>
      </div>
      {job.error && <p className="mt-1 text-xs text-red-700">{job.error}</p>}
      {cancel.error && <p className="mt-1 text-xs text-red-700">{(cancel.error as Error).message}</p>}
    </div>
  );
}
