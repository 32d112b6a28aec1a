/** Input schemas of the job API. */
import { z } from 'zod';

export const jobIdSchema = z.coerce.number().int().positive();

export const listJobsQuerySchema = z.object({
  kind: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
