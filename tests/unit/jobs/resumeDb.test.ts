/** resumeJobs runs the jobs it resumes on the database it was given, not on the process-wide one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useFreshDatabase } from '../../support/db';
import { openDatabase, type Db } from '@/db/client';
import { getJobRow, insertJob } from '@/db/queries/jobs';
import { jobKind, jobTableOf, resumeJobs, setProgressThrottle, waitForJob } from '@/lib/jobs';

let env: ReturnType<typeof useFreshDatabase>;
let otherDir: string;
let other: Db;
beforeAll(() => {
  env = useFreshDatabase();
  otherDir = mkdtempSync(path.join(os.tmpdir(), 'populace-test-'));
  other = openDatabase(path.join(otherDir, 'populace.db'));
  setProgressThrottle(5);
});
afterAll(() => {
  other.$client.close();
  rmSync(otherDir, { recursive: true, force: true });
  env.cleanup();
});

describe('resumeJobs on a database that is not the default one', () => {
  it('runs the resumed job on that database and leaves the default one alone', async () => {
    // the same id in both databases
    const onDefault = insertJob({ db: env.db, kind: 'test.resume', params: { where: 'default' } });
    const job = insertJob({ db: other, kind: 'test.resume', params: { where: 'other' } });
    expect(job.id).toBe(onDefault.id);
    const seen: { db: Db; where: unknown }[] = [];
    const table = jobTableOf([
      jobKind<{ where: string }>('test.resume', async ({ db, params, progress }) => {
        seen.push({ db, where: params.where });
        progress({ done: 1, total: 1 });
        return { where: params.where };
      }),
    ]);
    expect(resumeJobs(table, other)).toEqual([job.id]);
    const end = await waitForJob(job.id, other);
    expect(end.status).toBe('done');
    expect(end.result).toEqual({ where: 'other' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.db).toBe(other);
    expect(getJobRow({ db: other, id: job.id })!.done).toBe(1);
    expect(getJobRow({ db: env.db, id: onDefault.id })!.status).toBe('queued');
  });
});
