/**
 * The LLM's demographics reply: validation and normalisation to the product's vocabularies, field-level reasons for
 * malformed replies, verbatim quotes (stated / inferred / unknown) and how the reading combines with the rules.
 */
import { describe, expect, it } from 'vitest';
import { personaDemographics, type PersonaDemographics } from '@/lib/personas/extractDemographics';
import {
  classifyReply,
  demographicsReplySchema,
  describeReplyIssues,
  findQuote,
  givenDemographics,
  mergeLlmDemographics,
  normaliseCountry,
  normaliseGender,
  normaliseOccupation,
  quoteNamesValue,
  type DemographicsReply,
} from '@/lib/personas/llmDemographics';
import { DEMOGRAPHICS_PROMPT_VERSION, demographicsMessages } from '@/lib/pipeline/prompts';

const RECORD = { promptVersion: DEMOGRAPHICS_PROMPT_VERSION, model: 'm', llmCallId: 7, narrativeHash: 'h' };
const reply = (r: Partial<Record<'age' | 'gender' | 'country' | 'occupation', { value: unknown; quote: unknown }>>): DemographicsReply =>
  demographicsReplySchema.parse({
    age: { value: null, quote: null },
    gender: { value: null, quote: null },
    country: { value: null, quote: null },
    occupation: { value: null, quote: null },
    ...r,
  });

describe('the reply schema', () => {
  it('normalises values to the product vocabularies', () => {
    expect(normaliseCountry('ca')).toBe('CA');
    expect(normaliseCountry('Canada')).toBe('CA');
    expect(normaliseCountry('USA')).toBe('US');
    expect(normaliseCountry('United States of America')).toBe('US');
    expect(normaliseCountry('UK')).toBe('GB');
    expect(normaliseCountry('DEU')).toBe('DE');
    expect(normaliseCountry('unknown')).toBeNull();
    expect(normaliseCountry('EU')).toBeUndefined();
    expect(normaliseCountry('Atlantis')).toBeUndefined();
    expect(normaliseGender('Female')).toBe('female');
    expect(normaliseGender('man')).toBe('male');
    expect(normaliseGender('Non-binary')).toBe('other');
    expect(normaliseGender('unknown')).toBeNull();
    expect(normaliseGender('tall')).toBeUndefined();
    expect(normaliseOccupation('  A Registered   Nurse. ')).toBe('registered nurse');
    expect(normaliseOccupation('N/A')).toBeNull();
    expect(normaliseOccupation('x'.repeat(81))).toBeUndefined();
  });

  it('parses a reply: ages outside 13-100 are unknown, quotes lose their quotation marks', () => {
    const r = reply({ age: { value: 8, quote: 'eight' }, gender: { value: 'F', quote: '"a mother"' }, country: { value: 'de', quote: '' } });
    expect(r.age.value).toBeNull();
    expect(r.gender).toEqual({ value: 'female', quote: 'a mother' });
    expect(r.country).toEqual({ value: 'DE', quote: null });
  });

  it('names the field of a malformed reply', () => {
    const ok = { value: null, quote: null };
    const raw = (o: unknown) => JSON.stringify({ age: ok, gender: ok, country: ok, occupation: ok, ...(o as object) });
    expect(describeReplyIssues(raw({ country: { value: 'Atlantis', quote: 'lives in Atlantis' } }))).toEqual([
      { field: 'country', reason: '"Atlantis" is not a country (an ISO 3166-1 alpha-2 code such as "US")' },
    ]);
    const issues = describeReplyIssues(raw({ age: { value: 'forty', quote: null }, gender: { value: 'tall', quote: null } }));
    expect(issues.map((i) => i.field)).toEqual(['age', 'gender']);
    expect(issues[0]!.reason).toMatch(/number/);
    expect(describeReplyIssues(raw({ occupation: { value: 'nurse' } }))).toEqual([{ field: 'occupation', reason: expect.stringMatching(/^quote: /) }]);
    expect(describeReplyIssues('{"age": ')[0]).toMatchObject({ field: null, reason: expect.stringMatching(/not JSON/) });
    expect(describeReplyIssues(raw({}))).toEqual([]);
  });

  it('the prompt is versioned and carries the narrative', () => {
    expect(DEMOGRAPHICS_PROMPT_VERSION).toMatch(/^demographics-v\d+$/);
    const m = demographicsMessages('She is 41.');
    expect(m[0]!.role).toBe('system');
    expect(m[1]!.content).toBe('<narrative>\nShe is 41.\n</narrative>');
  });
});

describe('quotes', () => {
  const text = 'Maria  Lopez is a   nurse.\nShe’s 41 years old and grew up in Toronto; she now lives in Canada’s capital.';

  it('finds a quote case-insensitively with whitespace and typographic quotes normalised, as the narrative spells it', () => {
    expect(findQuote(text, 'maria lopez IS a nurse')).toBe('Maria Lopez is a nurse');
    expect(findQuote(text, "she's 41 years old")).toBe('She’s 41 years old');
    expect(findQuote(text, 'lives in Canada')).toBe('lives in Canada');
    expect(findQuote(text, 'lives in France')).toBeNull();
    expect(findQuote(text, null)).toBeNull();
  });

  it('a quote states a value only when it names it', () => {
    expect(quoteNamesValue('age', 41, 'She’s 41 years old')).toBe(true);
    expect(quoteNamesValue('age', 56, 'she is fifty-six')).toBe(true);
    expect(quoteNamesValue('age', 45, 'in her forties')).toBe(false);
    expect(quoteNamesValue('age', 41, 'she has 141 plants')).toBe(false);
    expect(quoteNamesValue('gender', 'female', 'I am a proud mother of two')).toBe(true);
    expect(quoteNamesValue('gender', 'female', 'her mother was a nurse')).toBe(false);
    expect(quoteNamesValue('gender', 'female', 'She')).toBe(false);
    expect(quoteNamesValue('gender', 'male', 'a woman')).toBe(false);
    expect(quoteNamesValue('country', 'CA', 'lives in Canada')).toBe(true);
    expect(quoteNamesValue('country', 'CA', 'grew up in Toronto')).toBe(false);
    expect(quoteNamesValue('country', 'US', 'let us go')).toBe(false);
    expect(quoteNamesValue('country', 'US', 'moved to the US')).toBe(true);
    expect(quoteNamesValue('occupation', 'registered nurse', 'works as a Registered Nurse')).toBe(true);
    expect(quoteNamesValue('occupation', 'teacher', 'teaches maths')).toBe(false);
  });

  it('classifies each value: stated (verbatim quote naming it), inferred (otherwise), unknown (null)', () => {
    const c = classifyReply(
      reply({
        age: { value: 41, quote: "she's 41 years old" },
        gender: { value: 'female', quote: 'She' },
        country: { value: 'CA', quote: 'grew up in Toronto' },
        occupation: { value: 'nurse', quote: 'works night shifts as a nurse' },
      }),
      text,
    );
    expect(c.age).toEqual({ value: 41, origin: 'stated', evidence: 'She’s 41 years old' });
    expect(c.gender).toEqual({ value: 'female', origin: 'inferred', evidence: 'She' });
    expect(c.country).toEqual({ value: 'CA', origin: 'inferred', evidence: 'grew up in Toronto' });
    // the quote names the value but is not in the narrative: inferred, no evidence kept
    expect(c.occupation).toEqual({ value: 'nurse', origin: 'inferred', evidence: null });
    expect(classifyReply(reply({}), text).age).toEqual({ value: null, origin: 'unknown', evidence: null });
  });
});

describe('combining the LLM reading with the rules', () => {
  const merge = (given: Parameters<typeof personaDemographics>[0], narrative: string, r: Parameters<typeof reply>[0]) =>
    mergeLlmDemographics(personaDemographics(given, narrative), classifyReply(reply(r), narrative), RECORD);
  const none = { age: null, gender: 'unknown', country: 'unknown', occupation: 'unknown' };

  it('never changes a given value', () => {
    const narrative = 'Tom is 30 years old and lives in France.';
    const m = merge({ ...none, age: 52, country: 'DE' }, narrative, { age: { value: 30, quote: 'is 30 years old' }, country: { value: 'FR', quote: 'lives in France' } });
    expect(m.demographics).toMatchObject({ age: 52, ageBand: '50+', country: 'DE' });
    expect(m.demographics.demographicsOrigin.origin).toMatchObject({ age: 'given', country: 'given' });
    expect(m.demographics.demographicsOrigin.method).toEqual({});
    expect(m.changed).toEqual([]);
  });

  it('fills unknown fields, stated or inferred, with the evidence and the method', () => {
    const narrative = 'I grew up in north dakota. I got a job working in advertising last year.';
    const m = merge(none, narrative, {
      country: { value: 'US', quote: 'grew up in north dakota' },
      occupation: { value: 'advertising professional', quote: 'I got a job working in advertising' },
      age: { value: 29, quote: 'I am 29' },
    });
    expect(m.demographics).toMatchObject({ country: 'US', occupation: 'advertising professional', age: 29, ageBand: '25-34' });
    const o = m.demographics.demographicsOrigin;
    expect(o.origin).toEqual({ age: 'inferred', gender: 'unknown', country: 'inferred', occupation: 'inferred' });
    expect(o.evidence).toEqual({ country: 'grew up in north dakota', occupation: 'I got a job working in advertising' });
    expect(o.method).toEqual({ age: 'llm', country: 'llm', occupation: 'llm' });
    expect(o.llm).toEqual(RECORD);
    expect(m.changed).toEqual(['age', 'country', 'occupation']);
  });

  it('upgrades an inferred rule value only with a stated LLM value', () => {
    const narrative = 'She likes tea. She is a mother of three and lives in her forties in Ohio.';
    const rules = personaDemographics(none, narrative);
    expect(rules.demographicsOrigin.origin).toMatchObject({ gender: 'inferred', age: 'inferred' });
    const up = merge(none, narrative, { gender: { value: 'female', quote: 'She is a mother of three' }, age: { value: 45, quote: 'in her forties' } });
    expect(up.demographics.demographicsOrigin.origin).toMatchObject({ gender: 'stated', age: 'inferred' });
    expect(up.demographics.demographicsOrigin.evidence.gender).toBe('She is a mother of three');
    expect(up.demographics.demographicsOrigin.method).toMatchObject({ gender: 'llm', age: 'rules' });
    // an inferred LLM age does not replace the rules' inferred band
    expect(up.demographics).toMatchObject({ age: null, ageBand: '35-49' });
    expect(up.changed).toEqual(['gender']);
  });

  it('keeps a stated rule value; the same statement read in full replaces it, another statement is a conflict', () => {
    const narrative = 'Ana works as a nurse practitioner at the clinic. Before that she worked as a cashier.';
    const rules = personaDemographics(none, narrative);
    expect(rules).toMatchObject({ occupation: 'nurse practitioner' });
    // a pattern that stops early: the rules read "nurse" from "works as a nurse in training"
    const text2 = 'Ana works as a nurse in training.';
    expect(personaDemographics(none, text2).occupation).toBe('nurse');
    const same = merge(none, text2, { occupation: { value: 'nurse in training', quote: 'Ana works as a nurse in training' } });
    expect(same.demographics.occupation).toBe('nurse in training');
    expect(same.demographics.demographicsOrigin.evidence.occupation).toBe('Ana works as a nurse in training');
    expect(same.demographics.demographicsOrigin.method?.occupation).toBe('llm');
    const other = merge(none, narrative, { occupation: { value: 'cashier', quote: 'she worked as a cashier' } });
    expect(other.demographics.occupation).toBe('nurse practitioner');
    expect(other.demographics.demographicsOrigin.origin.occupation).toBe('stated');
    expect(other.demographics.demographicsOrigin.method?.occupation).toBe('rules');
    expect(other.demographics.demographicsOrigin.llm?.conflicts).toEqual({ occupation: { value: 'cashier', evidence: 'she worked as a cashier' } });
    expect(other.changed).toEqual([]);
    // agreeing is no conflict, and an inferred disagreement is not either
    const agree = merge(none, narrative, { occupation: { value: 'Nurse Practitioner', quote: 'works as a nurse practitioner' } });
    expect(agree.demographics.demographicsOrigin.llm?.conflicts).toBeUndefined();
  });

  it('given values are read back from a stored row; a row without a recorded origin counts as given', () => {
    const stored: PersonaDemographics = personaDemographics({ ...none, country: 'GB' }, 'She is 44 years old.');
    expect(givenDemographics(stored)).toEqual({ age: null, ageBand: undefined, gender: 'unknown', country: 'GB', occupation: 'unknown' });
    expect(givenDemographics({ ...stored, demographicsOrigin: null })).toMatchObject({ age: 44, gender: 'female', country: 'GB' });
  });
});
