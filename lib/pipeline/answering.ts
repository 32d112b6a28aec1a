/**
 * Asking questionnaire items, in character (a persona) or without a persona (the baseline), one item per call or
 * several per call. Answers are validated strictly as integers 1-5; items that a batch answer leaves out are asked
 * again one by one (never guessed).
 */
import type { Db } from '../../db/client';
import { callLlmObject } from '../llm';
import {
  BASELINE_BATCH_PROMPT_VERSION,
  BASELINE_PROMPT_VERSION,
  ITEM_PROMPT_VERSION,
  ITEM_SCHEMA_NAME,
  itemMessages,
  ITEMS_PROMPT_VERSION,
  ITEMS_SCHEMA_NAME,
  itemsMessages,
  type ItemText,
} from './prompts';
import { itemAnswerSchema, itemAnswersSchema } from './schema';

export interface ItemAnswer {
  itemId: string;
  value: number;
  llmCallId: number;
}

export interface AskOptions {
  persona: string | null;
  items: ItemText[];
  mode: 'single' | 'batch';
  batchSize: number;
  temperature: number;
  repetition: number;
  db: Db;
  signal: AbortSignal;
  /** Called after each answered item (or failure) so progress moves while a persona is being measured. */
  onAnswer?: (answers: ItemAnswer[]) => void;
  onFailure?: (itemIds: string[], err: unknown) => void;
}

export async function askItems(o: AskOptions): Promise<ItemAnswer[]> {
  const out: ItemAnswer[] = [];
  if (o.mode === 'single') {
    for (const item of o.items) {
      o.signal.throwIfAborted();
      try {
        const r = await callLlmObject({
          role: 'responder',
          promptVersion: o.persona === null ? BASELINE_PROMPT_VERSION : ITEM_PROMPT_VERSION,
          messages: itemMessages(o.persona, item),
          schema: itemAnswerSchema,
          schemaName: ITEM_SCHEMA_NAME,
          temperature: o.temperature,
          repetition: o.repetition,
          db: o.db,
          signal: o.signal,
        });
        const a = { itemId: item.itemId, value: r.value.answer, llmCallId: r.callId };
        out.push(a);
        o.onAnswer?.([a]);
      } catch (err) {
        if (o.signal.aborted) throw err;
        o.onFailure?.([item.itemId], err);
      }
    }
    return out;
  }
  for (let i = 0; i < o.items.length; i += o.batchSize) {
    o.signal.throwIfAborted();
    const chunk = o.items.slice(i, i + o.batchSize);
    try {
      const r = await callLlmObject({
        role: 'responder',
        promptVersion: o.persona === null ? BASELINE_BATCH_PROMPT_VERSION : ITEMS_PROMPT_VERSION,
        messages: itemsMessages(o.persona, chunk),
        schema: itemAnswersSchema,
        schemaName: ITEMS_SCHEMA_NAME,
        temperature: o.temperature,
        repetition: o.repetition,
        db: o.db,
        signal: o.signal,
      });
      const byId = new Map(r.value.answers.map((a) => [a.id, a.answer]));
      const got: ItemAnswer[] = [];
      const missing: string[] = [];
      for (const item of chunk) {
        const v = byId.get(item.itemId);
        if (v === undefined) missing.push(item.itemId);
        else got.push({ itemId: item.itemId, value: v, llmCallId: r.callId });
      }
      out.push(...got);
      if (got.length) o.onAnswer?.(got);
      // items the batch answer left out are asked one by one
      if (missing.length) out.push(...(await askItems({ ...o, mode: 'single', items: chunk.filter((c) => missing.includes(c.itemId)) })));
    } catch (err) {
      if (o.signal.aborted) throw err;
      o.onFailure?.(chunk.map((c) => c.itemId), err);
    }
  }
  return out;
}
