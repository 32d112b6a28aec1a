/** The pipeline's job kinds (collected with the others in lib/server/jobTable.ts). */
import { jobKind } from '../jobs';
import { BASELINE_JOB_KIND, runBaseline } from './baseline';
import { DEMOGRAPHICS_JOB_KIND, runDemographicsExtraction } from './demographics';
import { GENERATE_JOB_KIND, runGeneration } from './generate';
import { MEASURE_JOB_KIND, runMeasurement } from './measure';

export const generateJob = jobKind(GENERATE_JOB_KIND, runGeneration);
export const measureJob = jobKind(MEASURE_JOB_KIND, runMeasurement);
export const baselineJob = jobKind(BASELINE_JOB_KIND, runBaseline);
export const demographicsJob = jobKind(DEMOGRAPHICS_JOB_KIND, runDemographicsExtraction);

export { BASELINE_JOB_KIND, DEMOGRAPHICS_JOB_KIND, GENERATE_JOB_KIND, MEASURE_JOB_KIND };
