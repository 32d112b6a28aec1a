/**
 * Demographics read from a persona's narrative by an LLM (prompt: lib/pipeline/prompts/demographics.ts; the job:
 * lib/pipeline/demographics.ts), checked against the text and combined with the rules of extractDemographics.ts.
 *
 * The reply: per field a value and the verbatim quote it was read from, or null. Values are normalised to the
 * product's vocabularies (ages 13-100, genders female/male/other, ISO 3166-1 alpha-2 countries, occupations in lower
 * case); a value that cannot be normalised (a gender "tall", a country "Atlantis", an age -3) makes the reply
 * malformed, with the field named.
 *
 * How each value was obtained:
 * - 'stated': the quote occurs verbatim in the narrative (case-insensitive, whitespace and typographic quotes
 *   normalised) and names the value itself: the age as a number ("56", "fifty-six"), a gendered word about the
 *   person ("a mother", not "her mother" nor a pronoun), the country's name, the occupation's words. The same bar as
 *   the rules: "lives in Toronto", "a Canadian", "she" or "teaches maths" only suggest the value.
 * - 'inferred': any other value (the quote only suggests it, or is not in the text: then no evidence is kept).
 * - 'unknown': null.
 *
 * Combination with the rules (`mergeLlmDemographics`), field by field:
 * - 'given' always wins: the LLM never changes a value the source gave.
 * - rules 'unknown': the LLM's value fills it, stated or inferred.
 * - rules 'inferred': a 'stated' LLM value replaces it (an upgrade, even when the values differ: the LLM found the
 *   statement the rules missed); an inferred LLM value does not (the rules' inference is reproducible).
 * - rules 'stated': kept, unless the LLM states a different value from a quote that contains the rules' phrase:
 *   the same statement read in full ("works as a nurse practitioner" where the pattern stopped at "nurse"). A
 *   different value stated elsewhere in the text is not applied: it is kept under `llm.conflicts` for review.
 * Pure: no database, no model.
 */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';
import { z } from 'zod';
import { ageBand, type Gender } from './demographics';
import {
  DEMOGRAPHIC_FIELDS,
  type DemographicField,
  type DemographicsOriginRecord,
  type LlmDemographicsRecord,
  type PersonaDemographics,
} from './extractDemographics';

countries.registerLocale(en);

/** The longest occupation accepted (longer answers are descriptions, not occupations). */
export const MAX_OCCUPATION_LENGTH = 80;

const NONE = new Set(['', 'unknown', 'none', 'null', 'n/a', 'na', 'not stated', 'not mentioned', 'not specified', 'unspecified', 'unclear']);

const GENDER_WORDS: Record<string, Exclude<Gender, 'unknown'>> = {
  female: 'female', f: 'female', woman: 'female', girl: 'female',
  male: 'male', m: 'male', man: 'male', boy: 'male',
  other: 'other', 'non-binary': 'other', nonbinary: 'other', 'non binary': 'other', genderqueer: 'other',
  genderfluid: 'other', agender: 'other',
};

/** A gender answer in the product's vocabulary; null for none; undefined when it is not a gender. */
export function normaliseGender(value: string | null): Exclude<Gender, 'unknown'> | null | undefined {
  if (value === null) return null;
  const v = value.trim().toLowerCase();
  if (NONE.has(v)) return null;
  return GENDER_WORDS[v];
}

/** A country answer as an ISO 3166-1 alpha-2 code (from a code, an alpha-3 code or a name); undefined when none fits. */
export function normaliseCountry(value: string | null): string | null | undefined {
  if (value === null) return null;
  const v = value.trim();
  if (NONE.has(v.toLowerCase())) return null;
  if (/^uk$/i.test(v)) return 'GB';
  if (/^[a-z]{2}$/i.test(v)) return countries.isValid(v.toUpperCase()) ? v.toUpperCase() : undefined;
  if (/^[a-z]{3}$/i.test(v)) {
    const code = countries.alpha3ToAlpha2(v.toUpperCase());
    if (code) return code;
  }
  return countries.getAlpha2Code(v, 'en') ?? undefined;
}

/** An occupation in lower case without a leading article; null for none; undefined when it is too long. */
export function normaliseOccupation(value: string | null): string | null | undefined {
  if (value === null) return null;
  const v = value
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^(?:a|an|the)\s+/, '')
    .replace(/[.,;:!?]+$/, '')
    .trim();
  if (NONE.has(v)) return null;
  if (v.length > MAX_OCCUPATION_LENGTH) return undefined;
  return v;
}

/** A quote without surrounding quotation marks and ellipses; null when empty. */
export function cleanQuote(quote: string | null): string | null {
  if (quote === null) return null;
  const q = quote
    .trim()
    .replace(/^(?:\.\.\.|…)\s*/, '')
    .replace(/\s*(?:\.\.\.|…)$/, '')
    .replace(/^["'“”‘’«»]+|["'“”‘’«»]+$/g, '')
    .trim();
  return q === '' ? null : q;
}

const quoteSchema = z
  .string()
  .nullable()
  .describe('The shortest passage of the description, copied exactly, that says or suggests the value; null when the value is null.')
  .transform(cleanQuote);

function field<T extends z.ZodTypeAny>(value: T) {
  return z.object({ value, quote: quoteSchema });
}

/** The LLM's reply: validated and normalised (a value that cannot be normalised is an issue at `<field>.value`). */
export const demographicsReplySchema = z.object({
  age: field(
    z
      .number()
      .int()
      .min(0)
      .max(150)
      .nullable()
      .describe('The current age in whole years, or null.')
      // outside the product's ages (13-100) the value is unknown, not an error: a narrative may describe a child
      .transform((n) => (n !== null && n >= 13 && n <= 100 ? n : null)),
  ),
  gender: field(
    z
      .string()
      .nullable()
      .describe('"female", "male" or "other", or null.')
      .transform((v, ctx) => {
        const g = normaliseGender(v);
        if (g === undefined) {
          ctx.addIssue({ code: 'custom', message: `"${String(v).slice(0, 40)}" is not a gender (female, male or other)` });
          return z.NEVER;
        }
        return g;
      }),
  ),
  country: field(
    z
      .string()
      .nullable()
      .describe('Where the person lives, as an ISO 3166-1 alpha-2 code such as "US", or null.')
      .transform((v, ctx) => {
        const c = normaliseCountry(v);
        if (c === undefined) {
          ctx.addIssue({ code: 'custom', message: `"${String(v).slice(0, 40)}" is not a country (an ISO 3166-1 alpha-2 code such as "US")` });
          return z.NEVER;
        }
        return c;
      }),
  ),
  occupation: field(
    z
      .string()
      .nullable()
      .describe('The job in a few lower-case words, or null.')
      .transform((v, ctx) => {
        const o = normaliseOccupation(v);
        if (o === undefined) {
          ctx.addIssue({ code: 'custom', message: `the occupation is longer than ${MAX_OCCUPATION_LENGTH} characters` });
          return z.NEVER;
        }
        return o;
      }),
  ),
});
export type DemographicsReply = z.output<typeof demographicsReplySchema>;

export interface ReplyIssue {
  /** The demographic field the issue is about; null when the reply as a whole is wrong (not JSON, not an object). */
  field: DemographicField | null;
  reason: string;
}

/** "country: "Atlantis" is not a country ..." */
export function formatReplyIssue(i: ReplyIssue): string {
  return i.field ? `${i.field}: ${i.reason}` : i.reason;
}

/** Why a raw reply does not pass `demographicsReplySchema`, field by field; empty when it passes. */
export function describeReplyIssues(raw: string | null): ReplyIssue[] {
  if (raw === null || raw.trim() === '') return [{ field: null, reason: 'the reply is empty' }];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return [{ field: null, reason: `the reply is not JSON (${(e as Error).message})` }];
  }
  const r = demographicsReplySchema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.map((i) => {
    const f = (DEMOGRAPHIC_FIELDS as readonly unknown[]).includes(i.path[0]) ? (i.path[0] as DemographicField) : null;
    // "age: ..." for the value, "age.quote: ..." for the quote, the whole path when no field is named
    const rest = f ? i.path.slice(1).filter((k) => k !== 'value') : i.path;
    return { field: f, reason: `${rest.length ? `${rest.join('.')}: ` : ''}${i.message}` };
  });
}

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

// ---------- classification and combination ----------

export interface LlmDemographicValue {
  value: string | number | null;
  origin: 'stated' | 'inferred' | 'unknown';
  /** The narrative's own passage the value was read from; null when the quote is not in the narrative. */
  evidence: string | null;
}
export type LlmDemographics = Record<DemographicField, LlmDemographicValue>;

/** Each value of a reply with how it was obtained (stated / inferred / unknown) and its verified evidence. */
export function classifyReply(reply: DemographicsReply, narrative: string): LlmDemographics {
  const out = {} as LlmDemographics;
  for (const f of DEMOGRAPHIC_FIELDS) {
    const { value, quote } = reply[f];
    if (value === null) {
      out[f] = { value: null, origin: 'unknown', evidence: null };
      continue;
    }
    const evidence = findQuote(narrative, quote);
    out[f] = { value, origin: evidence !== null && quoteNamesValue(f, value, evidence) ? 'stated' : 'inferred', evidence };
  }
  return out;
}

function sameValue(f: DemographicField, d: PersonaDemographics, value: string | number): boolean {
  if (f === 'age') return d.age === value;
  if (f === 'occupation') return d.occupation.trim().toLowerCase() === String(value);
  return d[f] === value;
}

export interface MergedDemographics {
  demographics: PersonaDemographics;
  /** Fields whose value or origin the LLM changed. */
  changed: DemographicField[];
}

/**
 * Combines the rules' demographics of a persona (`base`: personaDemographics of its given values and narrative) with
 * the LLM's reading (see the rules at the top of this file) and records the reading in `demographicsOrigin.llm`.
 */
export function mergeLlmDemographics(base: PersonaDemographics, llm: LlmDemographics, record: Omit<LlmDemographicsRecord, 'conflicts'>): MergedDemographics {
  const d: PersonaDemographics = { ...base };
  const o: DemographicsOriginRecord = {
    origin: { ...base.demographicsOrigin.origin },
    evidence: { ...base.demographicsOrigin.evidence },
    method: {},
  };
  const conflicts: NonNullable<LlmDemographicsRecord['conflicts']> = {};
  const changed: DemographicField[] = [];
  for (const f of DEMOGRAPHIC_FIELDS) {
    const was = o.origin[f];
    if (was === 'given') continue;
    if (was === 'stated' || was === 'inferred') o.method![f] = 'rules';
    const l = llm[f];
    if (l.origin === 'unknown' || l.value === null) continue;
    const same = was !== 'unknown' && sameValue(f, base, l.value);
    let take = false;
    if (was === 'unknown') take = true;
    else if (was === 'inferred') take = l.origin === 'stated';
    else if (l.origin === 'stated' && !same) {
      const phrase = o.evidence[f];
      if (phrase && l.evidence && normaliseForMatch(l.evidence).includes(normaliseForMatch(phrase))) take = true;
      else conflicts[f] = { value: l.value, evidence: l.evidence };
    }
    if (!take) continue;
    if (f === 'age') {
      d.age = l.value as number;
      d.ageBand = ageBand(d.age);
    } else if (f === 'gender') d.gender = l.value as Gender;
    else d[f] = String(l.value);
    o.origin[f] = l.origin;
    if (l.evidence !== null) o.evidence[f] = l.evidence;
    else delete o.evidence[f];
    o.method![f] = 'llm';
    changed.push(f);
  }
  o.llm = { ...record, ...(Object.keys(conflicts).length ? { conflicts } : {}) };
  d.demographicsOrigin = o;
  return { demographics: d, changed };
}

/**
 * The values of a stored persona that its source gave (origin 'given'), as `personaDemographics` takes them; a row
 * whose origin was never recorded counts as given throughout (as `prepare` back-fills it).
 */
export function givenDemographics(p: {
  age: number | null;
  ageBand: string;
  gender: string;
  country: string;
  occupation: string;
  demographicsOrigin: { origin: Record<DemographicField, string> } | null;
}): { age: number | null; ageBand?: string; gender: string; country: string; occupation: string } {
  const given = (f: DemographicField) => p.demographicsOrigin === null || p.demographicsOrigin.origin[f] === 'given';
  return {
    age: given('age') ? p.age : null,
    ageBand: given('age') ? p.ageBand : undefined,
    gender: given('gender') ? p.gender : 'unknown',
    country: given('country') ? p.country : 'unknown',
    occupation: given('occupation') ? p.occupation : 'unknown',
  };
}
