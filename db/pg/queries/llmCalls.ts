/**
 * The LLM call log and cache on PostgreSQL: the twin of db/queries/llmCalls.ts (same functions, arguments and
 * results, async). One row per distinct request (sha256 request hash, unique index llm_calls_hash); processes share
 * the cache through the database.
 */
import { count, desc, eq, isNotNull } from 'drizzle-orm';
import type { LlmCallRecord } from '../../queries/llmCalls';
import type { LlmCall } from '../../schema';
import type { PgSession } from '../client';
import { llmCalls } from '../schema';

export type { LlmCallRecord };

export async function getLlmCallByHash({ db, requestHash }: { db: PgSession; requestHash: string }): Promise<LlmCall | undefined> {
  const [row] = await db.select().from(llmCalls).where(eq(llmCalls.requestHash, requestHash)).limit(1);
  return row;
}

export async function getLlmCallById({ db, id }: { db: PgSession; id: number }): Promise<LlmCall | undefined> {
  const [row] = await db.select().from(llmCalls).where(eq(llmCalls.id, id)).limit(1);
  return row;
}

/**
 * Stores a call; a later attempt of the same request (after a failure) replaces the earlier record. Returns the id.
 *
 * INSERT ... ON CONFLICT (request_hash) DO UPDATE, as on SQLite: the stored request keeps its id and gets the new
 * outcome. Connections saving the same new request at once all succeed with one row stored (the later ones update
 * it). An upsert that meets the conflict still uses up an id, as it does under SQLite's AUTOINCREMENT.
 */
export async function saveLlmCall({ db, call }: { db: PgSession; call: LlmCallRecord }): Promise<number> {
  const [row] = await db
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
    .returning({ id: llmCalls.id });
  return row!.id;
}

export async function countLlmCalls({ db }: { db: PgSession }): Promise<{ total: number; failed: number; succeeded: number }> {
  const [totals] = await db.select({ total: count(), failed: count(llmCalls.error) }).from(llmCalls);
  const total = totals?.total ?? 0;
  const failed = totals?.failed ?? 0;
  return { total, failed, succeeded: total - failed };
}

/** The latest failed calls, newest first; a negative limit means no limit (as SQLite reads LIMIT -1). */
export async function listFailedLlmCalls({ db, limit = 20 }: { db: PgSession; limit?: number }): Promise<LlmCall[]> {
  const q = db.select().from(llmCalls).where(isNotNull(llmCalls.error)).orderBy(desc(llmCalls.id));
  return limit < 0 ? q : q.limit(limit);
}
