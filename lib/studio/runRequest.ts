/** What a full alignment run is asked for: the request's schema, the scope of a group run and the bound on its set size. */
import { z } from 'zod';
import { ESTIMATOR_CHOICES, selectionMethods, UNIQUE_SELECTION_METHODS, type SelectionMethod } from '../align';
import { DEFAULT_SELECTION } from '../core/defaults';
import { checkSetSize } from '../limits/sizes';
import { targetSpecSchema } from '../targets/schema';

/** The selection methods a run may name (the engine's registry). */
export const selectionSchema = z.enum(Object.keys(selectionMethods) as [SelectionMethod, ...SelectionMethod[]]);

export const runRequestSchema = z.object({
  name: z.string().trim().min(1).max(120).default('Alignment run'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /**
   * Size k of the selected set; default min(1000, pool size). Bounded when the run starts (checkRunSize): at most
   * POPULACE_MAX_SET_SIZE, the pool size for a set of distinct personas, 10 times the pool size for draws with repeats.
   */
  size: z.number().int().min(1).optional(),
  spec: targetSpecSchema,
  config: z
    .object({
      variant: z.enum(['balanced', 'semiRelaxed', 'unbalanced']).optional(),
      estimator: z.enum(ESTIMATOR_CHOICES).optional(),
      selection: selectionSchema.optional(),
      epsilonFactor: z.number().positive().max(10).optional(),
      maxIterations: z.number().int().min(1).max(10_000).optional(),
      bandwidth: z.union([z.number().positive().max(5), z.enum(['scott', 'silverman'])]).optional(),
    })
    .default({}),
});
export type RunRequest = z.infer<typeof runRequestSchema>;

/** What a run aligns when it is not the whole pool: a group's set (persona ids) and the group it belongs to. */
export interface RunScope {
  groupId?: number;
  /** Only these personas (still measured and not rejected) form the pool. */
  personaIds?: number[];
  /** Extra facts stored in the run's config (e.g. the group definition). */
  configExtras?: Record<string, unknown>;
}

/**
 * Refuses (422, naming the field, the value and the limit) a set size over POPULACE_MAX_SET_SIZE or over what the
 * pool allows for the run's selection method (lib/limits/sizes.ts).
 */
export function checkRunSize(request: RunRequest, poolSize: number, poolLabel = 'the pool'): void {
  if (request.size === undefined) return;
  const selection = request.config.selection ?? DEFAULT_SELECTION;
  checkSetSize({ field: 'size', value: request.size, poolSize, distinct: UNIQUE_SELECTION_METHODS.has(selection), poolLabel });
}
