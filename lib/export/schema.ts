/**
 * Exports: what to export (a run's set, a group's latest set, or the pool), how (k personas unique or drawn with
 * replacement, or every persona with its weight), the row and the manifest. One zod schema per object, shared by the
 * API, the CLI (--from-manifest) and the UI. Safe for client components (zod only).
 */
import { z } from 'zod';

export const EXPORT_FORMATS = ['jsonl', 'csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), runId: z.number().int().positive() }),
  /** A group's set: its latest finished alignment run unless runId names one of its runs. */
  z.object({ kind: z.literal('group'), groupId: z.number().int().positive(), runId: z.number().int().positive().optional() }),
  /** The current pool (measured, not rejected), uniform weights. */
  z.object({ kind: z.literal('pool') }),
]);
export type ExportSource = z.infer<typeof exportSourceSchema>;

export const exportRequestSchema = z.object({
  source: exportSourceSchema,
  /**
   * 'selection': k personas (the run's stored selection, or a fresh seeded draw when size or unique is given);
   * 'weights': every persona of the run's pool (or of the pool) with its weight and its count in the selection.
   */
  set: z.enum(['selection', 'weights']).default('selection'),
  /**
   * k; default the run's selection size (pool: every persona). Bounded by the service (lib/limits/sizes.ts): at most
   * POPULACE_MAX_SET_SIZE, the pool size for a unique set, 10 times the pool size for a draw with replacement.
   */
  size: z.number().int().min(1).optional(),
  /** Draw k distinct personas (weighted, without replacement) instead of with replacement (systematic). */
  unique: z.boolean().default(false),
  /** Seed of a fresh draw. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  format: z.enum(EXPORT_FORMATS).default('jsonl'),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;
export type ExportRequestInput = z.input<typeof exportRequestSchema>;

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
  /** Weight of the persona in its run (sums to 1 over the run's pool); uniform for a pool export. */
  weight: z.number(),
  /** How many times the persona is in the selection (multiplicity of a draw with replacement; 0 = not selected). */
  count: z.number().int().min(0),
  instrument: z.string().nullable(),
  /** The model that wrote the persona, when known. */
  model: z.string().nullable(),
  status: z.string(),
});
export type ExportRow = z.infer<typeof exportRowSchema>;

const sha = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex (64 characters 0-9a-f)');

export const manifestRowSchema = z.object({
  personaId: z.number().int().positive(),
  weight: z.number().min(0),
  count: z.number().int().min(0),
  /** sha256 of the row's canonical JSON (keys in column order). */
  sha256: sha,
});
export type ManifestRow = z.infer<typeof manifestRowSchema>;

export const MANIFEST_SCHEMA = 'populace-export-manifest/1';

export const manifestSchema = z.object({
  schema: z.literal(MANIFEST_SCHEMA),
  populaceVersion: z.string(),
  request: exportRequestSchema,
  source: z.object({
    kind: z.enum(['run', 'group', 'pool']),
    run: z
      .object({ id: z.number().int(), name: z.string(), seed: z.number().int(), status: z.string() })
      .nullable(),
    group: z.object({ id: z.number().int(), name: z.string(), definition: z.record(z.string(), z.unknown()) }).nullable(),
    target: z.object({ spec: z.record(z.string(), z.unknown()), description: z.string().nullable(), n: z.number().nullable() }).nullable(),
  }),
  engine: z.object({ config: z.record(z.string(), z.unknown()).nullable(), seed: z.number().int().nullable() }),
  reference: z
    .object({ id: z.string(), name: z.string(), sourceId: z.string(), licence: z.string(), citation: z.string() })
    .nullable(),
  personaSources: z.array(z.object({ id: z.string(), name: z.string(), licence: z.string(), citation: z.string(), personas: z.number().int() })),
  metrics: z.record(z.string(), z.unknown()).nullable(),
  diagnostics: z.record(z.string(), z.unknown()).nullable(),
  coverage: z.record(z.string(), z.unknown()).nullable(),
  review: z.object({
    byStatus: z.record(z.string(), z.number()),
    accepted: z.number().int(),
    rejected: z.number().int(),
    reviewers: z.number().int(),
    decisions: z.number().int(),
  }),
  selection: z.object({ k: z.number().int(), distinct: z.number().int(), unique: z.boolean(), seed: z.number().int().nullable(), method: z.string() }),
  columns: z.array(z.string()),
  rows: z.array(manifestRowSchema),
  /** sha256 of the row hashes joined by newlines, in row order. */
  rowsSha256: sha,
  /** sha256 and size of the file in each format (the bytes a re-export must reproduce). */
  files: z.record(z.enum(EXPORT_FORMATS), z.object({ sha256: sha, bytes: z.number().int() })),
});
export type ExportManifest = z.infer<typeof manifestSchema>;

export const exportDiffRequestSchema = z.object({ a: z.coerce.number().int().positive(), b: z.coerce.number().int().positive() });
