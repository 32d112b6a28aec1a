/** The persona pipeline: imports, generation, checks, demographics read by the LLM, measurement and baselines, run as jobs. */
export { BASELINE_JOB_KIND, DEMOGRAPHICS_JOB_KIND, GENERATE_JOB_KIND, MEASURE_JOB_KIND } from './jobs';
export { importPersonas, importPosts } from './imports';
export { getPipelineState, startBaselineJob, startDemographicsExtraction, startGeneration, startMeasurement } from './service';
export * from './schema';
