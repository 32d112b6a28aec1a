/**
 * The LLM's demographics reply (see llmDemographics.ts): its schema, the normalisation of each value to the product's
 * vocabularies (ages 13-100, genders female/male/other, ISO 3166-1 alpha-2 countries, occupations in lower case) and
 * the field-level reasons a reply is malformed. Pure: no database, no model.
 */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';
import { z } from 'zod';
import type { Gender } from './demographics';
import { DEMOGRAPHIC_FIELDS, type DemographicField } from './extractDemographics';

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
