/**
 * The quotes of an LLM demographics reply checked against the narrative (see llmDemographics.ts): where the narrative
 * contains a quote, and whether a quote names the value itself (stated) rather than suggesting it (inferred). Pure:
 * no database, no model.
 */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';
import type { Gender } from './demographics';
import type { DemographicField } from './extractDemographics';

countries.registerLocale(en);

// ---------- quotes ----------

/** Lower case, typographic quotes and dashes as ASCII, whitespace runs as one space. */
function normChar(c: string): string {
  if (/[‘’ʼ`]/.test(c)) return "'";
  if (/[“”«»]/.test(c)) return '"';
  if (/[‐‑‒–—]/.test(c)) return '-';
  return c.toLowerCase();
}

export function normaliseForMatch(s: string): string {
  let out = '';
  for (const c of s) {
    if (/\s/.test(c)) {
      if (out !== '' && !out.endsWith(' ')) out += ' ';
    } else out += normChar(c);
  }
  return out.trimEnd();
}

/**
 * The passage of `narrative` that `quote` copies (case-insensitive, whitespace and typographic quotes normalised),
 * with its whitespace collapsed; null when the narrative does not contain it.
 */
export function findQuote(narrative: string, quote: string | null): string | null {
  if (quote === null) return null;
  const q = normaliseForMatch(quote);
  if (q === '') return null;
  // the normalised narrative with, for each of its characters, where it starts in the original
  let norm = '';
  const at: number[] = [];
  let i = 0;
  for (const c of narrative) {
    if (/\s/.test(c)) {
      if (norm !== '' && !norm.endsWith(' ')) {
        norm += ' ';
        at.push(i);
      }
    } else {
      const n = normChar(c);
      norm += n;
      for (let k = 0; k < n.length; k++) at.push(i);
    }
    i += c.length;
  }
  const start = norm.indexOf(q);
  if (start < 0) return null;
  const from = at[start]!;
  const lastChar = at[start + q.length - 1]!;
  const to = lastChar + (narrative.codePointAt(lastChar)! > 0xffff ? 2 : 1);
  return narrative.slice(from, to).replace(/\s+/g, ' ');
}

// ---------- does a quote name the value? ----------

const ONES = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** An age in words: "fifty-six" (also "fifty six"), "a hundred". */
function ageWords(n: number): RegExp {
  if (n === 100) return /\b(?:a|one) hundred\b/i;
  if (n < 20) return new RegExp(`\\b${ONES[n]}\\b`, 'i');
  const t = TENS[Math.floor(n / 10)]!;
  return n % 10 === 0 ? new RegExp(`\\b${t}\\b`, 'i') : new RegExp(`\\b${t}[- ]${ONES[n % 10]}\\b`, 'i');
}

const GENDERED: Record<Exclude<Gender, 'unknown'>, string[]> = {
  female: ['woman', 'girl', 'lady', 'mother', 'mom', 'mum', 'wife', 'daughter', 'sister', 'grandmother', 'grandma', 'granny', 'female', 'actress', 'waitress', 'girlfriend', 'housewife', 'aunt', 'niece', 'businesswoman', 'widow'],
  male: ['man', 'guy', 'boy', 'gentleman', 'father', 'dad', 'husband', 'son', 'brother', 'grandfather', 'grandpa', 'male', 'boyfriend', 'uncle', 'nephew', 'businessman', 'widower'],
  other: ['non-binary', 'nonbinary', 'non binary', 'genderqueer', 'genderfluid', 'agender', 'enby'],
};
/** "her mother", "my late wife", "John's brother": a word about somebody else. */
const POSSESSIVE = /(?:\b(?:my|his|her|their|your|our|its|whose)|'s)\s+(?:[a-z-]+\s+){0,2}$/i;

function namesGender(gender: Exclude<Gender, 'unknown'>, quote: string): boolean {
  for (const w of GENDERED[gender]) {
    for (const m of quote.matchAll(new RegExp(`\\b${w}\\b`, 'gi'))) {
      if (!POSSESSIVE.test(quote.slice(0, m.index))) return true;
    }
  }
  return false;
}

function namesCountry(code: string, quote: string): boolean {
  const names = (countries.getNames('en', { select: 'all' }) as Record<string, string[]>)[code] ?? [];
  const alpha3 = countries.alpha2ToAlpha3(code);
  for (const name of [...names, ...(alpha3 ? [alpha3] : []), ...(code === 'GB' ? ['UK', 'Britain'] : [])]) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // abbreviations ("US", "UK", "USA") only in capitals: "us" is a pronoun
    const re = name.replace(/\./g, '').length <= 3 ? new RegExp(`(?<![\\w.])${escaped}(?![\\w])`) : new RegExp(`\\b${escaped}\\b`, 'i');
    if (re.test(quote)) return true;
  }
  return false;
}

/** Whether a quote names the value itself (rather than suggesting it). */
export function quoteNamesValue(f: DemographicField, value: string | number, quote: string): boolean {
  switch (f) {
    case 'age':
      return new RegExp(`(?<!\\d)${value}(?!\\d)`).test(quote) || ageWords(Number(value)).test(quote);
    case 'gender':
      return namesGender(value as Exclude<Gender, 'unknown'>, quote);
    case 'country':
      return namesCountry(String(value), quote);
    case 'occupation': {
      const words = String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
      return new RegExp(`\\b${words}\\b`, 'i').test(quote);
    }
  }
}
