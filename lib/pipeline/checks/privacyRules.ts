/**
 * Rule-based personal-information detection: e-mail addresses, phone numbers, URLs, social media handles and street
 * addresses. Passed when nothing is found; score = the number of matches.
 */
import type { CheckResult, PersonaCheck } from './types';

export const PII_PATTERNS: { kind: string; pattern: RegExp }[] = [
  { kind: 'email', pattern: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu },
  { kind: 'url', pattern: /\b(?:https?:\/\/|www\.)[^\s<>"']+|\b[a-z0-9-]+\.(?:com|org|net|io|co|me|info|biz|ly)(?:\/[^\s<>"']*)?\b/gi },
  {
    kind: 'phone',
    pattern: /(?<![\w/.-])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{2,4}[\s.-])\d{3,4}[\s.-]?\d{3,4}(?![\w/.-])/g,
  },
  { kind: 'handle', pattern: /(?<![\p{L}\p{N}._%+-])@[A-Za-z0-9_]{2,30}\b(?!\.\p{L})/gu },
  {
    kind: 'street address',
    pattern:
      /\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Court|Ct\.?|Place|Pl\.?|Way|Terrace|Close)\b/g,
  },
];

export interface PiiMatch {
  kind: string;
  text: string;
}

export function detectPii(text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  const seen = new Set<string>();
  for (const { kind, pattern } of PII_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const t = m[0].trim();
      // an e-mail's domain is not also a URL, an e-mail's local part is not a handle
      if (kind !== 'email' && out.some((o) => o.kind === 'email' && o.text.includes(t.replace(/^@/, '')))) continue;
      const key = `${kind}:${t}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ kind, text: t });
      }
    }
  }
  return out;
}

export function runPrivacyRules(text: string): CheckResult {
  const found = detectPii(text);
  return {
    passed: found.length === 0,
    score: found.length,
    reasons: found.map((f) => `${f.kind}: ${f.text}`),
    details: { matches: found },
  };
}

export const privacyRulesCheck: PersonaCheck = {
  name: 'privacy-rules',
  kind: 'rule',
  description: 'Rule-based detection of e-mails, phone numbers, URLs, handles and street addresses',
  async run({ narrative }) {
    return runPrivacyRules(narrative);
  },
};
