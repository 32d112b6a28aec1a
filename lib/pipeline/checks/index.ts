/** The registry of quality checks. Per-persona checks are keyed by name; set-level and measurement checks follow. */
import { criticCheck } from './critic';
import { privacyLlmCheck } from './privacy-llm';
import { privacyRulesCheck } from './privacy-rules';
import type { PersonaCheck } from './types';

export const PERSONA_CHECKS: Record<string, PersonaCheck> = {
  [criticCheck.name]: criticCheck,
  [privacyRulesCheck.name]: privacyRulesCheck,
  [privacyLlmCheck.name]: privacyLlmCheck,
};

export { criticCheck, judgeCritique } from './critic';
export { privacyLlmCheck } from './privacy-llm';
export { detectPii, privacyRulesCheck, runPrivacyRules, type PiiMatch } from './privacy-rules';
export { checkDuplicates, findExactDuplicates, flagDuplicateRows, normalisedText } from './duplicates';
export { checkConsistency, type ConsistencyItem } from './consistency';
export type { CheckResult, PersonaCheck, PersonaCheckInput } from './types';
