/**
 * The shapes of the JSON columns (db/schema.ts types each column with them, the query functions in db/queries parse
 * what they read with them): target specs, group definitions, export manifests, job results, and the config, metrics
 * and diagnostics of alignment runs, one module per domain in db/json/, re-exported here. The domain modules
 * (lib/targets/schema.ts, lib/groups/schema.ts, lib/export/schema.ts, lib/studio/runs.ts) re-export these schemas and
 * types, so each shape has one zod schema. Imports zod only: safe for client components.
 */
export { parseStored } from './json/parse';
export {
  type NormsPreset,
  normsPresetSchema,
  type ReferenceFilters,
  referenceFiltersSchema,
  type StoredTargetFilters,
  storedTargetFiltersSchema,
  type TargetSpec,
  targetSpecSchema,
  type TraitEdit,
  type TraitEdits,
  traitEditSchema,
  traitEditsSchema,
} from './json/targets';
export {
  type CustomRegion,
  customRegionSchema,
  type GroupDefinition,
  groupDefinitionSchema,
  PERSONA_AGE_BANDS,
  PERSONA_GENDERS,
  type PersonaFilters,
  personaFiltersSchema,
  type PersonaSide,
  personaSideSchema,
} from './json/groups';
export {
  type DemographicCount,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportManifest,
  type ExportRequest,
  type ExportRequestInput,
  exportRequestSchema,
  type ExportSet,
  exportSetSchema,
  type ExportSource,
  exportSourceSchema,
  MANIFEST_SCHEMA,
  type ManifestRow,
  manifestRowSchema,
  manifestSchema,
  SET_SELECTIONS,
  type SetSelection,
  WEIGHT_NORMALISATIONS,
  type WeightNormalisation,
} from './json/exports';
export { type JobParams, jobParamsSchema, type JobResult, jobResultSchema, type JobRunner, jobRunnerSchema } from './json/jobs';
export {
  type FrontierColumns,
  paperMetricsSchema,
  type RunConfig,
  runConfigSchema,
  type RunDiagnostics,
  runDiagnosticsSchema,
  type RunMetrics,
  runMetricsSchema,
  runRequestConfigSchema,
  type StoredCandidate,
  storedCandidateSchema,
  type StoredEstimator,
  storedEstimatorSchema,
  type StoredFrontier,
  storedFrontierSchema,
  type StoredPaperMetrics,
} from './json/runs';
