/** GPT-4 character biographies with their Mini-Markers self-ratings. */
import { scoreCommon, type InstrumentKey } from '../instruments/score';
import { ageBand } from '../personas/demographics';
import { DemoDataError, intField, readCsv, readJson } from './files';
import type { DemoPersona } from './types';

interface CensusBio {
  'Full Name': string;
  Age: number;
  Occupation: string;
  'Hobbies/Interests': string[];
  'Personality Facts': string[];
}

interface ProfessionalBio {
  'Full Name': string;
  Age: number;
  Profession: string;
  OC: number;
  'Hobbies/Interests': string[] | string;
  'Personality Facts': Record<string, string>;
}

function biographyKey(fullName: string): string {
  return fullName.replace(/\s+/g, '').split('.')[0] ?? '';
}

/** The GPT-4 biographies joined to their adjective self-ratings, scored with the Mini-Markers key. */
export function loadBiographies(key: InstrumentKey): DemoPersona[] {
  const out: DemoPersona[] = [];
  const sets: { bios: string; ratings: string; kind: 'census' | 'professional' }[] = [
    { bios: 'personas/gpt4-biographies/pop_census.json', ratings: 'personas/gpt4-biographies/popc_results.csv', kind: 'census' },
    {
      bios: 'personas/gpt4-biographies/pop_professional.json',
      ratings: 'personas/gpt4-biographies/popp_results.csv',
      kind: 'professional',
    },
  ];
  for (const set of sets) {
    const bios = readJson<(CensusBio | ProfessionalBio)[]>(set.bios);
    const ratings = readCsv(set.ratings);
    if (ratings.length !== bios.length) {
      throw new DemoDataError(set.ratings, undefined, `has ${ratings.length} rows but ${set.bios} has ${bios.length}`);
    }
    bios.forEach((bio, i) => {
      const rec = ratings[i]!;
      const line = i + 2;
      const expected = biographyKey(bio['Full Name']);
      if (rec[''] !== expected) {
        throw new DemoDataError(set.ratings, line, `persona key "${rec[''] ?? ''}" does not match biography "${expected}"`);
      }
      const answers = new Map<string, number>();
      for (const it of key.items) {
        // The ratings spell "extroverted" where Saucier wrote "extraverted".
        const column = it.itemId === 'extraverted' && rec.extraverted === undefined ? 'extroverted' : it.itemId;
        answers.set(it.itemId, intField(rec, column, set.ratings, line));
      }
      const occupation = 'Occupation' in bio ? bio.Occupation : bio.Profession;
      const hobbies = bio['Hobbies/Interests'];
      const hobbyText = Array.isArray(hobbies) ? hobbies.join(', ') : hobbies;
      const facts = Array.isArray(bio['Personality Facts'])
        ? bio['Personality Facts']
        : Object.values(bio['Personality Facts']);
      const narrative =
        `${bio['Full Name']} is ${bio.Age} years old and works as ${/^[aeiou]/i.test(occupation) ? 'an' : 'a'} ${occupation}. ` +
        `Hobbies and interests: ${hobbyText}. ` +
        facts.join(' ');
      out.push({
        sourceId: 'gpt4-biographies',
        externalId: `${set.kind}/${i + 1}/${expected}`,
        name: bio['Full Name'],
        narrative,
        age: bio.Age,
        ageBand: ageBand(bio.Age),
        gender: 'unknown',
        country: 'unknown',
        occupation,
        model: 'gpt-4',
        status: 'measured',
        flags: [],
        metadata: { population: set.kind, hobbies: hobbyText, ...('OC' in bio ? { occupationCode: bio.OC } : {}) },
        responses: { instrumentId: 'mini-markers-40', model: 'gpt-4', temperature: null, answers },
        scores: { instrumentId: 'mini-markers-40', values: scoreCommon(key, answers) },
      });
    });
  }
  return out;
}
