'use client';

/**
 * One group: its human target, the retrieved personas with why they matched, light revision (LLM) with diffs and
 * drift, alignment of the group set as a job, and the metrics and coverage of the latest run. The sections live in
 * sibling files; the page's state in useGroupDetail.
 */
import type { GroupCoverage } from '@/lib/groups/coverage';
import type { RevisionView } from '@/lib/groups/service';
import type { RunDiagnostics } from '@/lib/studio/runs';
import type { ReferenceFilters } from '@/lib/targets/schema';
import { useMayChange } from '@/components/Access';
import { AlignSection } from './AlignSection';
import { GroupResults } from './GroupResults';
import { GroupStaleNotice } from './GroupStaleNotice';
import { GroupTargetSection } from './GroupTargetSection';
import type { Metrics } from './groupMetrics';
import { RetrievalSection } from './RetrievalSection';
import { RevisionsSection } from './RevisionsSection';
import { useGroupDetail } from './useGroupDetail';

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
    diagnostics: RunDiagnostics | null;
    coverage: GroupCoverage | null;
    /** Made for an earlier definition of the group. */
    stale: boolean;
  } | null;
  runs: { id: number; status: string; createdAt: string; jobId: number | null }[];
  revisions: RevisionView[];
}

export type GroupRun = NonNullable<GroupDetailData['latestRun']>;

export function GroupDetail({ data, llm }: { data: GroupDetailData; llm: { generator: boolean; responder: boolean; embedder: boolean } }) {
  const id = data.group.id;
  const state = useGroupDetail(id);
  const mayChange = useMayChange();
  const run = data.latestRun;

  return (
    <div className="space-y-5">
      <GroupTargetSection data={data} />
      {(state.staleRetrieval || run?.stale) && <GroupStaleNotice state={state} hasRun={run !== null} mayChange={mayChange} />}
      <RetrievalSection state={state} retrieveCount={data.group.definition.personas.retrieveCount} canRevise={llm.generator && llm.responder} mayChange={mayChange} />
      <AlignSection state={state} mayChange={mayChange} />
      <GroupResults groupId={id} run={run} />
      <RevisionsSection revisions={data.revisions} />
    </div>
  );
}
