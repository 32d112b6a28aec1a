/**
 * The pipeline's job kinds (collected with the others in lib/server/jobTable.ts). Generation, measurement and the
 * demographics reading are planned as units that workers share (`populace worker`, the server's local workers);
 * the baseline is a plain job.
 */
import { jobKind, unitJobKind } from '../jobs';
import { BASELINE_JOB_KIND, runBaseline } from './baseline';
import { DEMOGRAPHICS_JOB_KIND, demographicsUnits } from './demographics';
import { GENERATE_JOB_KIND, generateUnits } from './generate';
import { MEASURE_JOB_KIND, measureUnits } from './measure';

export const generateJob = unitJobKind(GENERATE_JOB_KIND, generateUnits);
export const measureJob = unitJobKind(MEASURE_JOB_KIND, measureUnits);
export const baselineJob = jobKind(BASELINE_JOB_KIND, runBaseline);
export const demographicsJob = unitJobKind(DEMOGRAPHICS_JOB_KIND, demographicsUnits);

export { BASELINE_JOB_KIND, DEMOGRAPHICS_JOB_KIND, GENERATE_JOB_KIND, MEASURE_JOB_KIND };
