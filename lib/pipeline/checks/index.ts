/** The registry of quality checks. Per-persona checks are keyed by name; set-level and measurement checks follow. */
import { criticCheck } from './critic';
import { privacyLlmCheck } from './privacyLlm';
import { privacyRulesCheck } from './privacyRules';
import type { PersonaCheck } from './types';

export const PERSONA_CHECKS: Record<string, PersonaCheck> = {
  [criticCheck.name]: criticCheck,
  [privacyRulesCheck.name]: privacyRulesCheck,
  [privacyLlmCheck.name]: privacyLlmCheck,
};

export { criticCheck, judgeCritique } from './critic';
export { privacyLlmCheck } from './privacyLlm';
export { detectPii, privacyRulesCheck, runPrivacyRules, type PiiMatch } from './privacyRules';
export { checkDuplicates, findExactDuplicates, flagDuplicateRows, normalisedText } from './duplicates';
export { checkConsistency, type ConsistencyItem } from './consistency';
export type { CheckResult, PersonaCheck, PersonaCheckInput } from './types';
