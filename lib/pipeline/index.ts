/** The persona pipeline: imports, generation, checks, measurement and baselines, run as jobs. */
export { BASELINE_JOB_KIND, GENERATE_JOB_KIND, MEASURE_JOB_KIND } from './jobs';
export { importPersonas, importPosts } from './imports';
export { getPipelineState, startBaselineJob, startGeneration, startMeasurement } from './service';
export * from './schema';
