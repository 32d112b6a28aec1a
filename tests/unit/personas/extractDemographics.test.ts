/**
 * Demographics read from narratives: phrases that state a value, indirect evidence that implies one, and look-alikes
 * that must not count (a first-person story mentioning "she", a trip to a country, a French restaurant). The last
 * block runs on the real demo sources in db/seed-data.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractDemographics, mergeDemographics } from '@/lib/personas/extractDemographics';

describe('extractDemographics', () => {
  it('reads stated ages in their usual forms, and ignores numbers that are not ages', () => {
    expect(extractDemographics('Harriet Barnes is 56 years old and works as a hairdressing salon owner.')).toMatchObject({
      age: 56,
      ageBand: '50+',
      occupation: 'hairdressing salon owner',
      origin: { age: 'stated', occupation: 'stated' },
    });
    expect(extractDemographics('A 34-year-old nurse.').age).toBe(34);
    expect(extractDemographics('I am 19 and love hiking.').ageBand).toBe('18-24');
    expect(extractDemographics('I am 90 percent sure I have 12 cats.').age).toBeNull();
    expect(extractDemographics('I ran 42 miles in 3 days.').origin.age).toBe('unknown');
  });

  it('infers a band from a decade only when the decade fits one band', () => {
    expect(extractDemographics('She is in her forties.')).toMatchObject({ age: null, ageBand: '35-49', origin: { age: 'inferred' } });
    expect(extractDemographics('I am in my 60s.').ageBand).toBe('50+');
    expect(extractDemographics('I am in my twenties.').ageBand).toBe('unknown');
    expect(extractDemographics('I am retired and garden daily.').ageBand).toBe('50+');
    expect(extractDemographics('I remember when I was in high school.').ageBand).toBe('unknown');
  });

  it('reads gender from stated nouns and from third-person pronouns, never from pronouns in a first-person story', () => {
    expect(extractDemographics('I am a single mom of two.')).toMatchObject({ gender: 'female', origin: { gender: 'stated' } });
    expect(extractDemographics('I am an old man.')).toMatchObject({ gender: 'male', ageBand: '50+' });
    expect(extractDemographics('Dave is organised. He plays chess and his team respects him.')).toMatchObject({ gender: 'male', origin: { gender: 'inferred' } });
    expect(extractDemographics('Ana is kind; she paints and her friends visit.').gender).toBe('female');
    expect(extractDemographics('I met my friend Sarah. She told me her plans.').gender).toBe('unknown');
    expect(extractDemographics('He said she would come, and he waited.').gender).toBe('unknown');
    expect(extractDemographics('I am non-binary.').gender).toBe('other');
  });

  it('reads where a persona lives or comes from, not where it travels or what it eats', () => {
    expect(extractDemographics('I grew up in Canada and now teach.')).toMatchObject({ country: 'CA', origin: { country: 'stated' } });
    expect(extractDemographics('She lives in the United Kingdom.').country).toBe('GB');
    expect(extractDemographics('I moved to Texas last year.')).toMatchObject({ country: 'US', origin: { country: 'inferred' } });
    expect(extractDemographics('I am Canadian.')).toMatchObject({ country: 'CA', origin: { country: 'inferred' } });
    expect(extractDemographics('We took a trip to Italy.').country).toBe('unknown');
    expect(extractDemographics('I love a French restaurant downtown.').country).toBe('unknown');
    expect(extractDemographics('My friend lives in Georgia.').country).toBe('US');
  });

  it('keeps what the source gives and reads only the rest', () => {
    const m = mergeDemographics({ age: 40, gender: 'unknown', country: 'DE', occupation: 'unknown' }, 'He is 56 years old, lives in France and works as a baker.');
    expect(m).toMatchObject({ age: 40, ageBand: '35-49', country: 'DE', gender: 'male', occupation: 'baker' });
    expect(m.origin).toEqual({ age: 'given', gender: 'inferred', country: 'given', occupation: 'stated' });
    expect(m.evidence.age).toBeUndefined();
  });
});

describe('on the demo sources', () => {
  const bios = JSON.parse(readFileSync('db/seed-data/personas/gpt4-biographies/pop_census.json', 'utf8')) as { 'Full Name': string; Age: number; Occupation: string; 'Personality Facts': string[] }[];
  const stories = readFileSync('db/seed-data/personas/personallm/personallm_persona_stories.jsonl', 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { story: string }).story);

  it('biographies: the stated age and occupation of every record, gender where the facts use pronouns', () => {
    let male = 0;
    let female = 0;
    for (const b of bios) {
      const text = `${b['Full Name']} is ${b.Age} years old and works as a ${b.Occupation}. ${b['Personality Facts'].join(' ')}`;
      const d = extractDemographics(text);
      expect(d.age).toBe(b.Age);
      // The phrase ends at a conjunction or preposition: "diversity and equality manager" reads as "diversity".
      expect(b.Occupation.toLowerCase().startsWith(d.occupation)).toBe(true);
      if (d.gender === 'male') male++;
      if (d.gender === 'female') female++;
    }
    // Dave Thomas's facts say "him" and "his".
    expect(extractDemographics(`Dave Thomas is 46. ${bios.find((b) => b['Full Name'] === 'Dave Thomas')!['Personality Facts'].join(' ')}`).gender).toBe('male');
    expect(male + female).toBeGreaterThan(bios.length / 3);
  });

  it('first-person PersonaLLM stories: almost no gender from pronouns about other people', () => {
    const inferred = stories.map(extractDemographics).filter((d) => d.origin.gender === 'inferred');
    expect(inferred.length).toBeLessThan(stories.length * 0.05);
  });
});
