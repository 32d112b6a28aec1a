/**
 * The rule-based post filter of stage 1: a post is kept for the LLM steps when it has at least `minTokens` word
 * tokens and uses first-person language. Tokens are runs of letters, digits and apostrophes (a simple word count,
 * close to what a tokenizer-free reading of "30 tokens" means; LLM tokenizers give somewhat more).
 */

const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’]*/gu;
const FIRST_PERSON = /(^|[^\p{L}'’])(i|i'm|i’m|im|i've|i’ve|ive|i'd|i’d|i'll|i’ll|me|my|mine|myself|we|we're|our|ours|ourselves)(?![\p{L}'’])/iu;

export function countTokens(text: string): number {
  return text.match(TOKEN)?.length ?? 0;
}

/** Whether the text uses first-person pronouns (singular or plural). */
export function hasFirstPerson(text: string): boolean {
  return FIRST_PERSON.test(text);
}

export const RULE_REASONS = ['too_short', 'no_first_person'] as const;
export type RuleReason = (typeof RULE_REASONS)[number];

export function ruleFilter(text: string, opts: { minTokens: number; requireFirstPerson: boolean }): { pass: boolean; reason: RuleReason | null } {
  if (countTokens(text) < opts.minTokens) return { pass: false, reason: 'too_short' };
  if (opts.requireFirstPerson && !hasFirstPerson(text)) return { pass: false, reason: 'no_first_person' };
  return { pass: true, reason: null };
}
