'use client';

/** The recent jobs of the pipeline, each with its live progress (polls GET /api/jobs). */
import { useQuery } from '@tanstack/react-query';
import { api } from '@/components/api';
import { JobProgress } from '@/components/jobs/JobProgress';
import type { JobView } from '@/lib/jobs/runner';

const TITLES: Record<string, string> = {
  'pipeline.generate': 'Generate personas',
  'pipeline.measure': 'Measure personas',
  'pipeline.baseline': 'No-persona baseline',
  'pipeline.demographics': 'Read demographics',
};

export function JobsList({ initial }: { initial: JobView[] }) {
  const { data } = useQuery({
    queryKey: ['jobs', 'pipeline'],
    queryFn: async () => (await api<{ jobs: JobView[] }>('/api/jobs?limit=20', { cache: 'no-store' })).jobs.filter((j) => j.kind.startsWith('pipeline.')),
    initialData: initial,
    refetchInterval: 2000,
  });
  if (!data.length) return <p className="text-sm text-slate-500" data-testid="jobs-empty">No pipeline jobs yet.</p>;
  return (
    <div className="space-y-2" data-testid="jobs-list">
      {data.map((j) => (
        <JobProgress key={j.id} jobId={j.id} initial={j} title={TITLES[j.kind] ?? j.kind} />
      ))}
    </div>
  );
}
