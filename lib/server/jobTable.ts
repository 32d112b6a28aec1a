/**
 * The static table of every job kind, `{ [kind]: handler }`, that the server hands to `resumeJobs` at start
 * (instrumentation.ts). The kinds are declared by their domains; the runner in lib/jobs imports none of them, and no
 * domain imports this table, so there is no import cycle. Add a kind here when a domain declares a new one.
 */
import { jobTableOf } from '../jobs';
import { revisionJob } from '../groups/revise';
import { baselineJob, demographicsJob, generateJob, measureJob } from '../pipeline/jobs';
import { alignmentJob } from '../studio/runs';

export const jobKinds = [generateJob, measureJob, baselineJob, demographicsJob, alignmentJob, revisionJob] as const;

export const jobTable = jobTableOf(jobKinds);
