/** Registers the pipeline's job kinds with the job runner (imported by lib/jobs/kinds.ts, the routes and the CLI). */
import { registerJobKind } from '../jobs';
import { BASELINE_JOB_KIND, runBaseline } from './baseline';
import { DEMOGRAPHICS_JOB_KIND, runDemographicsExtraction } from './demographics';
import { GENERATE_JOB_KIND, runGeneration } from './generate';
import { MEASURE_JOB_KIND, runMeasurement } from './measure';

registerJobKind(GENERATE_JOB_KIND, runGeneration);
registerJobKind(MEASURE_JOB_KIND, runMeasurement);
registerJobKind(BASELINE_JOB_KIND, runBaseline);
registerJobKind(DEMOGRAPHICS_JOB_KIND, runDemographicsExtraction);

export { BASELINE_JOB_KIND, DEMOGRAPHICS_JOB_KIND, GENERATE_JOB_KIND, MEASURE_JOB_KIND };
