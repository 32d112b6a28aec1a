/** What the steps of a generation job share: its progress and failure counters, the failure-tolerant step, the summary. */
import type { Db } from '../../db/client';
import { listSourcePersonas } from '../../db/queries/pipeline';
import { LlmCallError } from '../llm';
import type { GenerateParams } from './schema';

export interface Counters {
  done: number;
  total: number;
  failures: number;
  failureLog: string[];
}

function noteFailure(c: Counters, what: string, err: unknown): void {
  c.failures++;
  const e = err as Error;
  const raw = err instanceof LlmCallError && err.raw ? ` raw: ${err.raw.slice(0, 200)}` : '';
  if (c.failureLog.length < 50) c.failureLog.push(`${what}: ${e?.message ?? String(err)}${raw}`);
}

/** Runs `fn`; a failure is counted (not thrown) unless the job was cancelled. */
export async function attempt(c: Counters, signal: AbortSignal, what: string, fn: () => Promise<void>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    if (signal.aborted) throw err;
    noteFailure(c, what, err);
    return false;
  }
}

/** The job's database, parameters, signal, id, counters and progress report, as every step uses them. */
export interface GenerationStep {
  db: Db;
  p: GenerateParams;
  signal: AbortSignal;
  jobId: number;
  c: Counters;
  report: () => void;
}

export function summary(db: Db, p: GenerateParams, c: Counters, jobId: number): Record<string, unknown> {
  const personas = listSourcePersonas({ db, sourceId: p.sourceId });
  const flagged: Record<string, number> = {};
  for (const x of personas) for (const f of x.flags) flagged[f.code] = (flagged[f.code] ?? 0) + 1;
  return {
    jobId,
    sourceId: p.sourceId,
    personas: personas.length,
    rewrites: personas.filter((x) => x.parentId !== null).length,
    flagged,
    failures: c.failures,
    failureLog: c.failureLog,
  };
}
