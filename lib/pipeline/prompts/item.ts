/**
 * Stage 2: a persona (or no persona, for the baseline) answers questionnaire items in character on a 1-5 scale.
 * Single mode asks one item per call, as the paper does; batch mode asks several items in one call.
 */
import type { LlmMessage } from '../../llm';

export const ITEM_PROMPT_VERSION = 'item-v1';
export const ITEM_SCHEMA_NAME = 'item_answer';
export const ITEMS_PROMPT_VERSION = 'items-batch-v1';
export const ITEMS_SCHEMA_NAME = 'item_answers';
export const BASELINE_PROMPT_VERSION = 'baseline-item-v1';
export const BASELINE_BATCH_PROMPT_VERSION = 'baseline-items-batch-v1';

const SCALE =
  '1 = Very inaccurate, 2 = Moderately inaccurate, 3 = Neither accurate nor inaccurate, 4 = Moderately accurate, 5 = Very accurate';

function system(persona: string | null, batch: boolean): string {
  const who = persona
    ? 'You are the person described below. Stay in character and answer as this person would, based on the description.'
    : 'Answer as yourself.';
  const what = batch
    ? `Rate how accurately each statement describes you on this scale: ${SCALE}. Answer with JSON {"answers": [{"id": "...", "answer": n}, ...]} with one entry per item, using the item ids given.`
    : `Rate how accurately the statement describes you on this scale: ${SCALE}. Answer with JSON {"answer": n} where n is an integer from 1 to 5.`;
  return `${who}\n${what}`;
}

export interface ItemText {
  itemId: string;
  text: string;
}

export function itemMessages(persona: string | null, item: ItemText): LlmMessage[] {
  const p = persona ? `<persona>\n${persona}\n</persona>\n` : '';
  return [
    { role: 'system', content: system(persona, false) },
    { role: 'user', content: `${p}<item id="${item.itemId}">${item.text}</item>` },
  ];
}

export function itemsMessages(persona: string | null, items: ItemText[]): LlmMessage[] {
  const p = persona ? `<persona>\n${persona}\n</persona>\n` : '';
  return [
    { role: 'system', content: system(persona, true) },
    { role: 'user', content: `${p}${items.map((i) => `<item id="${i.itemId}">${i.text}</item>`).join('\n')}` },
  ];
}
