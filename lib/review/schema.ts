/** Review inputs: one zod schema per object (a decision, an undo, a bulk action, a queue page, a history page). */
import { z } from 'zod';
import { personaFilterSchema } from '../personas/schema';

const int = (min: number, max: number) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => (typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v)))
    .pipe(z.number().int().min(min).max(max));

export const VERDICTS = ['accept', 'reject'] as const;

/** POST /api/review/decisions. The reviewer comes from the cookie, never from the body. */
export const decisionInputSchema = z.object({
  personaId: z.number().int().positive(),
  decision: z.enum(VERDICTS),
  reasonCode: z.string().min(1).max(64).nullish(),
  note: z.string().trim().max(2000).nullish(),
  /** Settles a conflict between reviewers (not counted as a rating in agreement figures). */
  settlement: z.boolean().optional(),
});
export type DecisionInput = z.output<typeof decisionInputSchema>;

/** POST /api/review/undo: a decision id, or nothing for the reviewer's latest decision still in effect. */
export const undoInputSchema = z.object({ decisionId: z.number().int().positive().optional() });
export type UndoInput = z.output<typeof undoInputSchema>;

/** POST /api/review/bulk: the same decision for every persona a filter matches, confirmed with the count shown. */
export const bulkInputSchema = z.object({
  filter: personaFilterSchema,
  decision: z.enum(VERDICTS),
  reasonCode: z.string().min(1).max(64).nullish(),
  note: z.string().trim().max(2000).nullish(),
  /** The count the reviewer confirmed; the action is refused when the filter now matches a different number. */
  expectedCount: z.number().int().min(0),
});
export type BulkInput = z.output<typeof bulkInputSchema>;

/**
 * The review queues: 'pool' (default), the personas that can enter the alignment pool (measured, not rejected);
 * 'drafts', the personas without trait scores; 'all', every persona.
 */
export const REVIEW_QUEUES = ['pool', 'drafts', 'all'] as const;
export type ReviewQueueName = (typeof REVIEW_QUEUES)[number];
export const QUEUE_LABELS: Record<ReviewQueueName, string> = {
  pool: 'alignment pool (default)',
  drafts: 'drafts (not measured)',
  all: 'all personas',
};

/** GET /api/review/remaining: a filter, a queue and a scope. */
export const remainingQuerySchema = personaFilterSchema.extend({
  queue: z.enum(REVIEW_QUEUES).optional(),
  /** pending: not yet accepted or rejected; second-opinion: judged by someone else, not yet by you. */
  scope: z.enum(['pending', 'second-opinion']).optional(),
});
export type RemainingQuery = z.output<typeof remainingQuerySchema>;

/** GET /api/review/queue: a filter, a queue, a scope and a keyset cursor. */
export const queueQuerySchema = remainingQuerySchema.extend({
  /** The cursor returned as nextCursor by the previous page ("group:score:id"). */
  after: z
    .string()
    .regex(/^[01]:[0-9.e+-]+:[0-9]+$/)
    .optional(),
  limit: int(1, 200).optional(),
});
export type QueueQuery = z.output<typeof queueQuerySchema>;

/** GET /api/review/decisions: the audit trail for a reviewer or a persona. */
export const historyQuerySchema = z.object({
  reviewer: z.string().min(1).max(64).optional(),
  personaId: int(1, 1e12).optional(),
  limit: int(1, 1000).optional(),
  offset: int(0, 1e9).optional(),
});
export type HistoryQuery = z.output<typeof historyQuerySchema>;
