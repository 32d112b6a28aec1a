/** What a generation job reports: its progress and failure counters and its summary. */
import type { Db } from '../../db/client';
import { listSourcePersonas } from '../../db/queries/pipeline';
import type { GenerateParams } from './schema';

export interface Counters {
  done: number;
  total: number;
  failures: number;
  failureLog: string[];
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
