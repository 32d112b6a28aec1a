/**
 * The rules' vocabulary: age, gender and occupation patterns, demonyms, places inside countries and country names
 * (i18n-iso-countries, English), and the country finder. Pure: text in, values out.
 */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';

countries.registerLocale(en);

const WORD_NUMBERS: Record<string, number> = {
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};

export const AGE_PATTERNS: RegExp[] = [
  /\b(\d{2})[- ]years?[- ]old\b/i,
  /\b(?:aged?|age of)\s+(\d{2})\b/i,
  /\b(?:i am|i'm|im)\s+(\d{2})\b(?!\s*(?:%|percent|kg|lbs?|pounds|minutes|hours|days|times|cm|feet|ft|inches|children|kids|cats|dogs))/i,
  /\b(?:is|am|turned|turning)\s+(\d{2})\b(?=\s*(?:[.,;]|and\b|years|$))/i,
];
/** "in my 40s" / "in her fifties": a decade; only decades that fall in one age band give a band. */
export const DECADE = /\bin (?:my|his|her|their) (?:(\d)0'?s|(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b/i;
export const DECADE_WORDS: Record<string, number> = { twenties: 2, thirties: 3, forties: 4, fifties: 5, sixties: 6, seventies: 7, eighties: 8, nineties: 9 };
export const TEEN = /\b(?:i am|i'm|im) (?:a )?(?:teen(?:ager)?|high school student)\b|\b(?:i am|i'm|im) (?:still )?in high school\b/i;
export const RETIRED = /\b(?:i am|i'm|im) (?:an? )?(?:retired|retiree|grandmother|grandfather|grandma|grandpa|old (?:man|woman|lady))\b/i;

export const FEMALE_NOUN = /\b(?:i am|i'm|im|as) (?:a |an )?(?:(?:single|stay at home|proud|busy|working|young|old|new|divorced|widowed)\s+)*(?:woman|girl|lady|mother|mom|mum|wife|daughter|sister|grandmother|grandma|housewife|actress|waitress|girlfriend|female)\b/i;
export const MALE_NOUN = /\b(?:i am|i'm|im|as) (?:a |an )?(?:(?:single|stay at home|proud|busy|working|young|old|new|divorced|widowed)\s+)*(?:man|guy|boy|gentleman|father|dad|husband|son|brother|grandfather|grandpa|boyfriend|male)\b/i;
export const NON_BINARY = /\b(?:i am|i'm|im) (?:a )?(?:non[- ]?binary|genderqueer|genderfluid)\b|\bmy pronouns are they\b/i;

export const SHE = /\b(?:she|her|hers|herself)\b/gi;
export const HE = /\b(?:he|him|his|himself)\b/gi;
export const FIRST_PERSON = /\b(?:i|me|my|mine|myself)\b/gi;

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

export function findCountry(text: string): { code: string; origin: 'stated' | 'inferred'; evidence: string } | null {
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

export const OCCUPATION = /\b(?:works? as|working as|employed as|job as|career as|profession(?:al)? as)\s+(?:(?:a|an|the)\s+)?([a-z][a-z' -]{2,40}?)(?=[.,;!?]| and | at | in | for | who | with |$)/i;
