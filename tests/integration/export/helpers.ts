/** Shared set-up of the export tests: the seeded demo with the North America group aligned (seed 5), and POST /api/exports. */
import { beforeAll, expect } from 'vitest';
import { ensureDemoGroups } from '@/lib/groups/demo';
import { startGroupAlignment } from '@/lib/groups/align';
import { listGroups } from '@/lib/groups/service';
import { waitForJob } from '@/lib/jobs';
import { useSeededDatabase, type TestDatabase } from '../../support/db';

export interface AlignedGroup {
  env: TestDatabase;
  groupId: number;
  runId: number;
}

/** Call at the top of a test file: fills the returned object before the tests run. */
export function useAlignedGroup(): AlignedGroup {
  const out = {} as AlignedGroup;
  beforeAll(async () => {
    out.env = useSeededDatabase();
    ensureDemoGroups(out.env.db);
    out.groupId = listGroups().find((g) => g.name === 'North America')!.id;
    const started = await startGroupAlignment(out.groupId, { seed: 5 });
    out.runId = started.runId;
    expect((await waitForJob(started.jobId)).status).toBe('done');
  }, 60_000);
  return out;
}

/** POST /api/exports with a JSON body: status and parsed answer. */
export async function createExport(body: unknown) {
  const { POST } = await import('@/app/api/exports/route');
  const res = await POST(new Request('http://localhost/api/exports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), undefined);
  return { status: res.status, body: await res.json() };
}
