/**
 * Demographics read from a persona's narrative by rules, each value with how it was obtained:
 * - 'stated': the text says it outright ("is 56 years old", "I am a mother", "lives in Canada", "works as a nurse").
 * - 'inferred': it follows from indirect evidence (third-person pronouns "she/her" vs "he/him/his" with a clear
 *   majority, "in my 40s", a demonym such as "a Canadian teacher", a US state or a country's large city).
 * - 'unknown': nothing in the text.
 * Rules only (the LLM reading of lib/personas/llmDemographics.ts builds on them). Pure: text in, values out. Values use the product's vocabularies (ages 13-100, genders
 * female/male/other, ISO 3166-1 alpha-2 countries).
 */
import { ageBand, type AgeBand, type Gender } from './demographics';
import {
  AGE_PATTERNS,
  DECADE,
  DECADE_WORDS,
  FEMALE_NOUN,
  findCountry,
  FIRST_PERSON,
  HE,
  MALE_NOUN,
  NON_BINARY,
  OCCUPATION,
  RETIRED,
  SHE,
  TEEN,
} from './demographicRules';
import type { DemographicOrigins, ExtractedDemographics, PersonaDemographics } from './demographicsOrigin';

// The shapes live in demographicsOrigin.ts and the rules' patterns in demographicRules.ts; the shapes are re-exported
// here for the modules that read and store demographics.
export {
  DEMOGRAPHIC_FIELDS,
  DEMOGRAPHIC_ORIGINS,
  type DemographicField,
  type DemographicMethod,
  type DemographicOrigin,
  type DemographicOrigins,
  type DemographicsOriginRecord,
  type ExtractedDemographics,
  type LlmDemographicsRecord,
  type PersonaDemographics,
} from './demographicsOrigin';

/** Reads age, gender, country and occupation from a narrative; unknown where the text says nothing. */
export function extractDemographics(narrative: string): ExtractedDemographics {
  const text = narrative.replace(/\s+/g, ' ');
  const origin: DemographicOrigins = { age: 'unknown', gender: 'unknown', country: 'unknown', occupation: 'unknown' };
  const evidence: ExtractedDemographics['evidence'] = {};
  let age: number | null = null;
  let band: AgeBand = 'unknown';
  for (const re of AGE_PATTERNS) {
    const m = re.exec(text);
    const n = m ? Number(m[1]) : NaN;
    if (m && n >= 13 && n <= 100) {
      age = n;
      band = ageBand(n);
      origin.age = 'stated';
      evidence.age = m[0];
      break;
    }
  }
  if (age === null) {
    const d = DECADE.exec(text);
    const decade = d ? (d[1] ? Number(d[1]) : DECADE_WORDS[d[2]!.toLowerCase()]!) : null;
    // 40s lie in 35-49 and 50s and later in 50+; the 20s and 30s straddle two bands.
    if (d && decade !== null && decade >= 4) {
      band = decade === 4 ? '35-49' : '50+';
      origin.age = 'inferred';
      evidence.age = d[0];
    } else if (TEEN.test(text)) {
      band = '13-17';
      origin.age = 'inferred';
      evidence.age = TEEN.exec(text)![0];
    } else if (RETIRED.test(text)) {
      band = '50+';
      origin.age = 'inferred';
      evidence.age = RETIRED.exec(text)![0];
    }
  }
  const female = FEMALE_NOUN.exec(text);
  const male = MALE_NOUN.exec(text);
  const nb = NON_BINARY.exec(text);
  let gender: Gender = 'unknown';
  if (nb) {
    gender = 'other';
    origin.gender = 'stated';
    evidence.gender = nb[0];
  } else if (female && !male) {
    gender = 'female';
    origin.gender = 'stated';
    evidence.gender = female[0];
  } else if (male && !female) {
    gender = 'male';
    origin.gender = 'stated';
    evidence.gender = male[0];
  } else if (!female && !male) {
    const she = text.match(SHE)?.length ?? 0;
    const he = text.match(HE)?.length ?? 0;
    const me = text.match(FIRST_PERSON)?.length ?? 0;
    // Only a narrative written about the persona in the third person (in the first person, "she" is somebody else):
    // pronouns of one kind and none of the other, or at least twice and three times as many as the other kind.
    const third = me === 0;
    if (third && she >= 1 && (he === 0 || (she >= 2 && she >= 3 * he))) gender = 'female';
    else if (third && he >= 1 && (she === 0 || (he >= 2 && he >= 3 * she))) gender = 'male';
    if (gender !== 'unknown') {
      origin.gender = 'inferred';
      evidence.gender = `${gender === 'female' ? she : he} ${gender === 'female' ? 'she/her' : 'he/him/his'} against ${gender === 'female' ? he : she}`;
    }
  }
  const c = findCountry(text);
  if (c) {
    origin.country = c.origin;
    evidence.country = c.evidence;
  }
  const o = OCCUPATION.exec(text);
  let occupation = 'unknown';
  if (o) {
    occupation = o[1]!.trim().toLowerCase();
    origin.occupation = 'stated';
    evidence.occupation = o[0];
  }
  return { age, ageBand: band, gender, country: c?.code ?? 'unknown', occupation, origin, evidence };
}

/**
 * A persona's demographics from its source's structured fields where they are known ('given') and from its narrative
 * elsewhere: the given value always wins.
 */
export function mergeDemographics(
  given: { age: number | null; ageBand?: string; gender: string; country: string; occupation: string },
  narrative: string,
): ExtractedDemographics {
  const x = extractDemographics(narrative);
  const out: ExtractedDemographics = { ...x, origin: { ...x.origin }, evidence: { ...x.evidence } };
  if (given.age !== null) {
    out.age = given.age;
    out.ageBand = ageBand(given.age);
    out.origin.age = 'given';
    delete out.evidence.age;
  } else if (given.ageBand && given.ageBand !== 'unknown') {
    out.ageBand = given.ageBand as AgeBand;
    out.origin.age = 'given';
    delete out.evidence.age;
  }
  for (const f of ['gender', 'country', 'occupation'] as const) {
    if (given[f] && given[f] !== 'unknown') {
      if (f === 'gender') out.gender = given.gender as Gender;
      else out[f] = given[f];
      out.origin[f] = 'given';
      delete out.evidence[f];
    }
  }
  return out;
}

/** mergeDemographics in the shape persona rows store. */
export function personaDemographics(
  given: { age: number | null; ageBand?: string; gender: string; country: string; occupation: string },
  narrative: string,
): PersonaDemographics {
  const d = mergeDemographics(given, narrative);
  return {
    age: d.age,
    ageBand: d.ageBand,
    gender: d.gender,
    country: d.country,
    occupation: d.occupation,
    demographicsOrigin: { origin: d.origin, evidence: d.evidence },
  };
}
