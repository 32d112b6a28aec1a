/**
 * Exports: what to export (a run's set, a group's latest set, or the pool), how (k personas unique or drawn with
 * replacement, or every persona with its weight), the row and the manifest. One zod schema per object, shared by the
 * API, the CLI (--from-manifest) and the UI. The request and the manifest are stored in export rows, so their schemas
 * live with the other stored shapes in db/json.ts (zod only) and are re-exported here. Safe for client components.
 */
import { z } from 'zod';

export {
  EXPORT_FORMATS,
  exportRequestSchema,
  exportSetSchema,
  exportSourceSchema,
  MANIFEST_SCHEMA,
  manifestRowSchema,
  manifestSchema,
  SET_SELECTIONS,
  WEIGHT_NORMALISATIONS,
  type DemographicCount,
  type ExportFormat,
  type ExportManifest,
  type ExportRequest,
  type ExportRequestInput,
  type ExportSet,
  type ExportSource,
  type ManifestRow,
  type SetSelection,
  type WeightNormalisation,
} from '../../db/json';

/** The columns of every export, in order. */
export const EXPORT_COLUMNS = [
  'personaId',
  'sourceId',
  'externalId',
  'parentId',
  'name',
  'narrative',
  'age',
  'ageBand',
  'gender',
  'country',
  'occupation',
  'E',
  'A',
  'C',
  'N',
  'O',
  'weight',
  'count',
  'instrument',
  'model',
  'status',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

export const exportRowSchema = z.object({
  personaId: z.number().int(),
  sourceId: z.string(),
  externalId: z.string(),
  parentId: z.number().int().nullable(),
  name: z.string().nullable(),
  narrative: z.string(),
  age: z.number().int().nullable(),
  ageBand: z.string(),
  gender: z.string(),
  country: z.string(),
  occupation: z.string(),
  E: z.number().nullable(),
  A: z.number().nullable(),
  C: z.number().nullable(),
  N: z.number().nullable(),
  O: z.number().nullable(),
  /**
   * The persona's weight in the exported set; how it is normalised is stated in the manifest (set.weights): a set of
   * k draws has weight count / k (sums to 1 over the rows), a unique set its re-calibrated set weight (sums to 1 over
   * the rows), an export of every persona its weight in the run (sums to 1 over the run's pool, = the rows).
   */
  weight: z.number(),
  /** How many times the persona is in the selection (multiplicity of a draw with replacement; 0 = not selected). */
  count: z.number().int().min(0),
  instrument: z.string().nullable(),
  /** The model that wrote the persona, when known. */
  model: z.string().nullable(),
  status: z.string(),
});
export type ExportRow = z.infer<typeof exportRowSchema>;

export const exportDiffRequestSchema = z.object({ a: z.coerce.number().int().positive(), b: z.coerce.number().int().positive() });
