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
 *
 * The reply's schema and normalisers are in demographicsReply.ts, the quote checks in demographicsQuote.ts (both
 * re-exported here); this module classifies a reply's values and combines them with the rules.
 * Pure: no database, no model.
 */
import { ageBand, type Gender } from './demographics';
import { findQuote, normaliseForMatch, quoteNamesValue } from './demographicsQuote';
import type { DemographicsReply } from './demographicsReply';
import {
  DEMOGRAPHIC_FIELDS,
  type DemographicField,
  type DemographicsOriginRecord,
  type LlmDemographicsRecord,
  type PersonaDemographics,
} from './extractDemographics';

export { findQuote, normaliseForMatch, quoteNamesValue } from './demographicsQuote';
export {
  cleanQuote,
  demographicsReplySchema,
  describeReplyIssues,
  formatReplyIssue,
  MAX_OCCUPATION_LENGTH,
  normaliseCountry,
  normaliseGender,
  normaliseOccupation,
  type DemographicsReply,
  type ReplyIssue,
} from './demographicsReply';

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
