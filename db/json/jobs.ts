/** Jobs: params are the job kind's own (its handler parses them); the result is the handler's, plus the runner. */
import { z } from 'zod';

/** `jobs.params`. */
export const jobParamsSchema = z.record(z.string(), z.unknown());
export type JobParams = z.infer<typeof jobParamsSchema>;

/** The process running a job (kept in its result as `_runner` while it runs). */
export const jobRunnerSchema = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.string(), doneAtStart: z.number() });
export type JobRunner = z.infer<typeof jobRunnerSchema>;

/** `jobs.result`: the handler's result, or `{ _runner }` while the job runs. */
export const jobResultSchema = z.record(z.string(), z.unknown());
export type JobResult = z.infer<typeof jobResultSchema>;
