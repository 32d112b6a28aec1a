/** The LLM call log and cache: one row per distinct request (sha256 request hash). */
import { count, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../client';
import { llmCalls, type LlmCall } from '../schema';

export function getLlmCallByHash({ db, requestHash }: { db: Db; requestHash: string }): LlmCall | undefined {
  return db.select().from(llmCalls).where(eq(llmCalls.requestHash, requestHash)).get();
}

export function getLlmCallById({ db, id }: { db: Db; id: number }): LlmCall | undefined {
  return db.select().from(llmCalls).where(eq(llmCalls.id, id)).get();
}

export interface LlmCallRecord {
  requestHash: string;
  role: string;
  model: string;
  promptVersion: string;
  params: Record<string, unknown>;
  request: unknown;
  response: string | null;
  error: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  latencyMs: number | null;
}

/** Stores a call; a later attempt of the same request (after a failure) replaces the earlier record. Returns the id. */
export function saveLlmCall({ db, call }: { db: Db; call: LlmCallRecord }): number {
  const row = db
    .insert(llmCalls)
    .values(call)
    .onConflictDoUpdate({
      target: llmCalls.requestHash,
      set: {
        response: call.response,
        error: call.error,
        tokensIn: call.tokensIn,
        tokensOut: call.tokensOut,
        latencyMs: call.latencyMs,
        params: call.params,
      },
    })
    .returning({ id: llmCalls.id })
    .get();
  return row.id;
}

export function countLlmCalls({ db }: { db: Db }): { total: number; failed: number; succeeded: number } {
  const total = db.select({ n: count() }).from(llmCalls).get()?.n ?? 0;
  const failed = db.select({ n: count() }).from(llmCalls).where(isNotNull(llmCalls.error)).get()?.n ?? 0;
  return { total, failed, succeeded: total - failed };
}

export function listFailedLlmCalls({ db, limit = 20 }: { db: Db; limit?: number }): LlmCall[] {
  return db.select().from(llmCalls).where(isNotNull(llmCalls.error)).orderBy(desc(llmCalls.id)).limit(limit).all();
}
