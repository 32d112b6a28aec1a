/** The server's static job table holds every job kind the domains declare, each with its own handler. */
import { describe, expect, it } from 'vitest';
import { jobKinds, jobTable } from '@/lib/server/jobTable';
import { REVISE_JOB_KIND } from '@/lib/groups/revise';
import { BASELINE_JOB_KIND, DEMOGRAPHICS_JOB_KIND, GENERATE_JOB_KIND, MEASURE_JOB_KIND } from '@/lib/pipeline/jobs';
import { ALIGNMENT_JOB } from '@/lib/studio/runs';

describe('job table', () => {
  it('maps every kind to its handler', () => {
    expect(Object.keys(jobTable).sort()).toEqual(
      [ALIGNMENT_JOB, BASELINE_JOB_KIND, DEMOGRAPHICS_JOB_KIND, GENERATE_JOB_KIND, MEASURE_JOB_KIND, REVISE_JOB_KIND].sort(),
    );
    for (const k of jobKinds) expect(jobTable[k.kind]).toBe(k.handler);
    expect(Object.isFrozen(jobTable)).toBe(true);
  });
});
