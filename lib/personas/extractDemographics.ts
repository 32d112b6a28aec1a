/**
 * Demographics read from a persona's narrative by rules, each value with how it was obtained:
 * - 'stated': the text says it outright ("is 56 years old", "I am a mother", "lives in Canada", "works as a nurse").
 * - 'inferred': it follows from indirect evidence (third-person pronouns "she/her" vs "he/him/his" with a clear
 *   majority, "in my 40s", a demonym such as "a Canadian teacher", a US state or a country's large city).
 * - 'unknown': nothing in the text.
 * Rules only (the LLM reading of lib/personas/llmDemographics.ts builds on them). Pure: text in, values out. Values use the product's vocabularies (ages 13-100, genders
 * female/male/other, ISO 3166-1 alpha-2 countries).
 */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';
import { ageBand, type AgeBand, type Gender } from './demographics';

countries.registerLocale(en);

export const DEMOGRAPHIC_FIELDS = ['age', 'gender', 'country', 'occupation'] as const;
export type DemographicField = (typeof DEMOGRAPHIC_FIELDS)[number];
export const DEMOGRAPHIC_ORIGINS = ['given', 'stated', 'inferred', 'unknown'] as const;
/** 'given': the source's structured data (an import's demographics, a dataset's field); the others: read from text. */
export type DemographicOrigin = (typeof DEMOGRAPHIC_ORIGINS)[number];
export type DemographicOrigins = Record<DemographicField, DemographicOrigin>;

export interface ExtractedDemographics {
  age: number | null;
  ageBand: AgeBand;
  gender: Gender;
  country: string;
  occupation: string;
  origin: DemographicOrigins;
  /** The phrase each value was read from (for the persona page). */
  evidence: Partial<Record<DemographicField, string>>;
}

const WORD_NUMBERS: Record<string, number> = {
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};

const AGE_PATTERNS: RegExp[] = [
  /\b(\d{2})[- ]years?[- ]old\b/i,
  /\b(?:aged?|age of)\s+(\d{2})\b/i,
  /\b(?:i am|i'm|im)\s+(\d{2})\b(?!\s*(?:%|percent|kg|lbs?|pounds|minutes|hours|days|times|cm|feet|ft|inches|children|kids|cats|dogs))/i,
  /\b(?:is|am|turned|turning)\s+(\d{2})\b(?=\s*(?:[.,;]|and\b|years|$))/i,
];
/** "in my 40s" / "in her fifties": a decade; only decades that fall in one age band give a band. */
const DECADE = /\bin (?:my|his|her|their) (?:(\d)0'?s|(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b/i;
const DECADE_WORDS: Record<string, number> = { twenties: 2, thirties: 3, forties: 4, fifties: 5, sixties: 6, seventies: 7, eighties: 8, nineties: 9 };
const TEEN = /\b(?:i am|i'm|im) (?:a )?(?:teen(?:ager)?|high school student)\b|\b(?:i am|i'm|im) (?:still )?in high school\b/i;
const RETIRED = /\b(?:i am|i'm|im) (?:an? )?(?:retired|retiree|grandmother|grandfather|grandma|grandpa|old (?:man|woman|lady))\b/i;

const FEMALE_NOUN = /\b(?:i am|i'm|im|as) (?:a |an )?(?:(?:single|stay at home|proud|busy|working|young|old|new|divorced|widowed)\s+)*(?:woman|girl|lady|mother|mom|mum|wife|daughter|sister|grandmother|grandma|housewife|actress|waitress|girlfriend|female)\b/i;
const MALE_NOUN = /\b(?:i am|i'm|im|as) (?:a |an )?(?:(?:single|stay at home|proud|busy|working|young|old|new|divorced|widowed)\s+)*(?:man|guy|boy|gentleman|father|dad|husband|son|brother|grandfather|grandpa|boyfriend|male)\b/i;
const NON_BINARY = /\b(?:i am|i'm|im) (?:a )?(?:non[- ]?binary|genderqueer|genderfluid)\b|\bmy pronouns are they\b/i;

const SHE = /\b(?:she|her|hers|herself)\b/gi;
const HE = /\b(?:he|him|his|himself)\b/gi;
const FIRST_PERSON = /\b(?:i|me|my|mine|myself)\b/gi;

/** A few demonyms (nationality words) for the countries most personas mention. */
const DEMONYMS: Record<string, string> = {
  american: 'US', canadian: 'CA', mexican: 'MX', british: 'GB', english: 'GB', scottish: 'GB', welsh: 'GB', irish: 'IE',
  french: 'FR', german: 'DE', dutch: 'NL', belgian: 'BE', swiss: 'CH', austrian: 'AT', italian: 'IT', spanish: 'ES',
  portuguese: 'PT', swedish: 'SE', norwegian: 'NO', danish: 'DK', finnish: 'FI', polish: 'PL', greek: 'GR',
  russian: 'RU', ukrainian: 'UA', turkish: 'TR', indian: 'IN', pakistani: 'PK', chinese: 'CN', japanese: 'JP',
  korean: 'KR', filipino: 'PH', vietnamese: 'VN', thai: 'TH', indonesian: 'ID', malaysian: 'MY', australian: 'AU',
  brazilian: 'BR', argentinian: 'AR', nigerian: 'NG', kenyan: 'KE', egyptian: 'EG', israeli: 'IL', singaporean: 'SG',
};
/** Places inside a country that personas name instead of the country. */
const PLACES: Record<string, string> = {
  texas: 'US', california: 'US', florida: 'US', 'new york': 'US', ohio: 'US', alaska: 'US', hawaii: 'US', chicago: 'US',
  boston: 'US', seattle: 'US', 'los angeles': 'US', 'san francisco': 'US', colorado: 'US', oregon: 'US', georgia: 'US',
  michigan: 'US', arizona: 'US', tennessee: 'US', kentucky: 'US', 'north carolina': 'US', 'south carolina': 'US',
  virginia: 'US', montana: 'US', nebraska: 'US', iowa: 'US', kansas: 'US', oklahoma: 'US', nevada: 'US', utah: 'US',
  toronto: 'CA', vancouver: 'CA', montreal: 'CA', ontario: 'CA', quebec: 'CA', alberta: 'CA', london: 'GB',
  manchester: 'GB', scotland: 'GB', england: 'GB', wales: 'GB', paris: 'FR', berlin: 'DE', munich: 'DE', tokyo: 'JP',
  sydney: 'AU', melbourne: 'AU', mumbai: 'IN', delhi: 'IN', beijing: 'CN', shanghai: 'CN', seoul: 'KR',
};
/** Georgia and Jersey are also US states / islands: they never count as the country by name alone. */
const AMBIGUOUS_COUNTRY = new Set(['GE', 'JE']);

let countryNames: [RegExp, string][] | null = null;
function countryPatterns(): [RegExp, string][] {
  if (countryNames) return countryNames;
  const all = countries.getNames('en', { select: 'all' }) as Record<string, string[]>;
  const out: [RegExp, string][] = [];
  for (const [code, names] of Object.entries(all)) {
    if (AMBIGUOUS_COUNTRY.has(code)) continue;
    for (const name of names) {
      // Two-letter abbreviations ("US", "UK") only in capitals; other names case-insensitively as whole words.
      if (name.replace(/\./g, '').length <= 3) out.push([new RegExp(`(?<![\\w.])${name.replace(/\./g, '\\.')}(?![\\w])`), code]);
      else out.push([new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i'), code]);
    }
  }
  out.sort((a, b) => b[0].source.length - a[0].source.length);
  countryNames = out;
  return out;
}

/** Where the persona lives or comes from (a trip "to Italy" or an event "in Paris" says neither). */
const LOCATION_CUE = /\b(?:(?:i am|i'm|im|is|am|are|comes?|originally) from|lives? in|living in|grew up in|born in|moved to|based in|native of|citizen of|resident of|home in)\s+(?:the\s+)?([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})/g;

function findCountry(text: string): { code: string; origin: 'stated' | 'inferred'; evidence: string } | null {
  // Stated: a location cue followed by a country name or a place inside a country.
  for (const m of text.matchAll(LOCATION_CUE)) {
    const phrase = m[1]!;
    for (const [re, code] of countryPatterns()) {
      const hit = re.exec(phrase);
      if (hit && hit.index === 0) return { code, origin: 'stated', evidence: m[0] };
    }
    const place = Object.keys(PLACES).find((p) => phrase.toLowerCase().startsWith(p) && (phrase.length === p.length || /\W/.test(phrase[p.length]!)));
    if (place) return { code: PLACES[place]!, origin: 'inferred', evidence: m[0] };
  }
  // Inferred: a demonym before a noun ("a Canadian teacher", "I am American").
  const dem = /\b(?:i am|i'm|im|is|am) (?:an? )?([A-Z][a-z]+)\b/g;
  for (const m of text.matchAll(dem)) {
    const code = DEMONYMS[m[1]!.toLowerCase()];
    if (code) return { code, origin: 'inferred', evidence: m[0] };
  }
  return null;
}

const OCCUPATION = /\b(?:works? as|working as|employed as|job as|career as|profession(?:al)? as)\s+(?:(?:a|an|the)\s+)?([a-z][a-z' -]{2,40}?)(?=[.,;!?]| and | at | in | for | who | with |$)/i;

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
      (out as unknown as Record<string, string>)[f] = given[f];
      out.origin[f] = 'given';
      delete out.evidence[f];
    }
  }
  return out;
}

/** Which extractor read a 'stated' or 'inferred' value: these rules or the LLM (lib/personas/llmDemographics.ts). */
export type DemographicMethod = 'rules' | 'llm';

/** The last LLM reading of a persona's narrative (lib/pipeline/demographics.ts). */
export interface LlmDemographicsRecord {
  /** The prompt version (DEMOGRAPHICS_PROMPT_VERSION) and the model that read the narrative. */
  promptVersion: string;
  model: string;
  llmCallId: number | null;
  /** Hash of the narrative read: a persona whose narrative changed is read again. */
  narrativeHash: string;
  /** Values the LLM stated that disagree with a value the rules found stated elsewhere in the text (kept, not applied). */
  conflicts?: Partial<Record<DemographicField, { value: string | number; evidence: string | null }>>;
}

/**
 * How a persona's demographics were obtained: per field the origin and the phrase it was read from; `method` says
 * which extractor read each stated or inferred value (absent: the rules, as rows written before the LLM reading);
 * `llm` is present once the LLM has read the narrative.
 */
export interface DemographicsOriginRecord {
  origin: DemographicOrigins;
  evidence: ExtractedDemographics['evidence'];
  method?: Partial<Record<DemographicField, DemographicMethod>>;
  llm?: LlmDemographicsRecord;
}

/** The stored form of a persona's demographics: the values and, in demographicsOrigin, how each was obtained. */
export interface PersonaDemographics {
  age: number | null;
  ageBand: string;
  gender: Gender;
  country: string;
  occupation: string;
  demographicsOrigin: DemographicsOriginRecord;
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
