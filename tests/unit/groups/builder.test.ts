/** The group builder's pure arithmetic: compact encoding, counting against a hand count, URL round trips, persona facets. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import atlas from 'world-atlas/countries-110m.json';
import {
  AGE_BANDS,
  bandsToAges,
  countByCountry,
  countPersonas,
  decodeReference,
  formatShift,
  fromBase64,
  GENDERS,
  meanShifts,
  packReference,
  selectionFromQuery,
  selectionMask,
  selectionToQuery,
  selectionWarnings,
  SMALL_SAMPLE,
  summarize,
  toBase64,
  type BuilderSelection,
  type PersonaDemographics,
} from '@/lib/groups/builder';
import { ISO_NUMERIC_TO_ALPHA2 } from '@/lib/groups/isoNumeric';

// country, age, gender, E (the other traits fixed)
const PEOPLE: [string, number | null, string, number][] = [
  ['JP', 19, 'female', 2.0],
  ['JP', 23, 'male', 3.0],
  ['JP', 55, 'female', 4.0],
  ['KR', 20, 'male', 1.0],
  ['DE', 51, 'female', 5.0],
  ['DE', 70, 'female', 3.5],
  ['DE', null, 'female', 3.0],
  ['NL', 60, 'other', 2.5],
  ['US', 40, 'unknown', 3.2],
];
const rows = PEOPLE.map(([country, age, gender, E]) => ({ country, age, gender, E, A: 3, C: 1, N: 5, O: 4.98 }));
const ref = (() => {
  const { countries, bytes } = packReference(rows);
  return decodeReference({ n: rows.length, countries, data: toBase64(bytes) });
})();
const sel = (s: Partial<BuilderSelection>): BuilderSelection => ({ countries: [], genders: [], ...s });

describe('compact reference', () => {
  it('round-trips through bytes and base64', () => {
    expect(ref.countries).toEqual(['JP', 'KR', 'DE', 'NL', 'US']);
    expect([...ref.country]).toEqual([0, 0, 0, 1, 2, 2, 2, 3, 4]);
    expect([...ref.age]).toEqual([19, 23, 55, 20, 51, 70, 0, 60, 40]);
    expect([...ref.gender].map((g) => GENDERS[g])).toEqual(PEOPLE.map((p) => p[2]));
    expect(ref.traits[4 * 5 + 0]).toBe(200); // E = 5
    expect(ref.traits[4]).toBe(199); // O = 4.98
  });

  it('base64 agrees with Buffer for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        expect([...fromBase64(toBase64(bytes))]).toEqual([...bytes]);
      }),
    );
  });

  it('refuses a trait outside 1-5 and a wrong byte count', () => {
    expect(() => packReference([{ ...rows[0]!, E: 5.5 }])).toThrow(/outside 1-5/);
    expect(() => decodeReference({ n: 3, countries: [], data: toBase64(new Uint8Array(9)) })).toThrow(/Expected 27 bytes/);
  });
});

describe('counting', () => {
  it('counts per country and matches the hand count for each selection', () => {
    expect([...countByCountry(ref)]).toEqual([3, 1, 3, 1, 1]);
    const count = (s: BuilderSelection) => [...selectionMask(ref, s)].reduce((a, b) => a + b, 0);
    expect(count(sel({}))).toBe(9);
    expect(count(sel({ countries: ['DE', 'NL'] }))).toBe(4);
    // an age bound drops the respondent whose age is unknown (as the SQL does)
    expect(count(sel({ countries: ['DE'], ageMin: 50 }))).toBe(2);
    expect(count(sel({ ageMin: 50, genders: ['female'] }))).toBe(3);
    expect(count(sel({ ageMax: 20 }))).toBe(2);
    expect(count(sel({ countries: ['FR'] }))).toBe(0);
  });

  it('summarizes in one pass: n, per-country counts, pyramid, histograms, means', () => {
    const s = summarize(ref, sel({ countries: ['DE', 'JP'], ageMin: 50, genders: ['female'] }));
    expect(s.n).toBe(3);
    // per country: the age/gender choice applied to every country
    expect([...s.perCountry]).toEqual([1, 0, 2, 0, 0]);
    expect(s.selectedCountries).toEqual([
      { code: 'DE', n: 2 },
      { code: 'JP', n: 1 },
    ]);
    const band = (label: string) => s.pyramid.find((r) => r.label === label)!;
    expect(band('18-24').all).toEqual([1, 1, 0, 0]);
    expect(band('18-24').selected).toEqual([0, 0, 0, 0]);
    expect(band('50-54').selected).toEqual([1, 0, 0, 0]);
    expect(band('70+').all).toEqual([1, 0, 0, 0]);
    expect(s.unknownAge).toBe(1);
    expect(s.mean.E).toBeCloseTo((4 + 5 + 3.5) / 3, 12);
    expect(s.mean.O).toBeCloseTo(4.98, 12);
    for (const t of ['E', 'A', 'C', 'N', 'O'] as const) expect([...s.hist[t]].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // E: 4.0, 5.0 and 3.5 -> bins 15, 19 (5 is in the last bin) and 12 (width 0.2 from 1)
    expect(s.hist.E[15]).toBeCloseTo(1 / 3, 12);
    expect(s.hist.E[19]).toBeCloseTo(1 / 3, 12);
    expect(s.hist.E[12]).toBeCloseTo(1 / 3, 12);
    const all = summarize(ref, sel({}));
    expect(meanShifts(s, all).E).toBeCloseTo((4 + 5 + 3.5) / 3 - (2 + 3 + 4 + 1 + 5 + 3.5 + 3 + 2.5 + 3.2) / 9, 12);
    expect(formatShift(0.1234)).toBe('+0.12');
    expect(formatShift(-0.05)).toBe('−0.05');
    expect(formatShift(0.001)).toBe('±0.00');
  });

  it('an empty selection has zero histograms and NaN means', () => {
    const s = summarize(ref, sel({ countries: ['FR'] }));
    expect(s.n).toBe(0);
    expect(Number.isNaN(s.mean.E)).toBe(true);
    expect(selectionWarnings(s, (c) => c)[0]).toMatch(/No respondent/);
  });

  it('warns about small samples and thin countries at the project threshold', () => {
    expect(SMALL_SAMPLE).toBe(100);
    const s = summarize(ref, sel({ countries: ['DE', 'JP'] }));
    const w = selectionWarnings(s, (c) => ({ DE: 'Germany', JP: 'Japan' })[c] ?? c);
    expect(w[0]).toMatch(/^Only 6 respondents/);
    expect(w[1]).toMatch(/Germany \(3\), Japan \(3\): every country is thinly represented/);
  });

  it('maps pyramid bands to age bounds (the whole range clears them)', () => {
    expect(bandsToAges(7, 11)).toEqual({ ageMin: 50, ageMax: undefined });
    expect(bandsToAges(3, 1)).toEqual({ ageMin: 18, ageMax: 34 });
    expect(bandsToAges(0, AGE_BANDS.length - 1)).toEqual({ ageMin: undefined, ageMax: undefined });
  });
});

describe('URL of a selection', () => {
  it('reads the documented example', () => {
    expect(selectionFromQuery(new URLSearchParams('countries=DE,NL&age=50-99&gender=female'))).toEqual({
      countries: ['DE', 'NL'],
      ageMin: 50,
      ageMax: 99,
      genders: ['female'],
    });
    expect(selectionToQuery({ countries: ['DE', 'NL'], ageMin: 50, ageMax: 99, genders: ['female'] })).toBe('countries=DE,NL&age=50-99&gender=female');
  });

  it('says null when the URL names no selection, and cleans what it gets', () => {
    expect(selectionFromQuery(new URLSearchParams('foo=1'))).toBeNull();
    expect(selectionFromQuery({ countries: 'de, xx1,<b>,unknown', age: '120-40', gender: 'female,robot' })).toEqual({
      countries: ['DE', 'unknown'],
      ageMin: 40,
      genders: ['female'],
    });
    expect(selectionFromQuery({ age: '-30' })).toEqual({ countries: [], ageMax: 30, genders: [] });
    expect(selectionFromQuery({ norms: 'mccrae:DEU' })?.preset).toEqual({ kind: 'mccrae', country: 'DEU' });
    expect(selectionFromQuery({ norms: 'johnson:Female 41-60' })?.preset).toEqual({ kind: 'johnson', sex: 'Female', ageGroup: '41-60' });
    expect(selectionFromQuery({ norms: 'mccrae:<script>' })?.preset).toBeUndefined();
  });

  it('round-trips any valid selection', () => {
    const code = fc.constantFrom('DE', 'NL', 'JP', 'US', 'GB', 'unknown');
    fc.assert(
      fc.property(
        fc.uniqueArray(code, { maxLength: 5 }),
        fc.option(fc.integer({ min: 14, max: 99 }), { nil: undefined }),
        fc.option(fc.integer({ min: 14, max: 99 }), { nil: undefined }),
        fc.subarray([...GENDERS]),
        fc.option(fc.constantFrom({ kind: 'mccrae' as const, country: 'DEU' }, { kind: 'johnson' as const, sex: 'Male' as const, ageGroup: '>60' as const }), { nil: undefined }),
        (countries, a, b, genders, preset) => {
          const [ageMin, ageMax] = a !== undefined && b !== undefined && a > b ? [b, a] : [a, b];
          const s = { countries, genders, ...(ageMin !== undefined ? { ageMin } : {}), ...(ageMax !== undefined ? { ageMax } : {}), ...(preset ? { preset } : {}) };
          const q = selectionToQuery(s);
          const back = selectionFromQuery(new URLSearchParams(q));
          if (q === '') expect(back).toBeNull();
          else expect(back).toEqual(s);
        },
      ),
    );
  });
});

describe('persona-side counts', () => {
  const demo: PersonaDemographics = {
    ageBands: ['18-24', '25-34', 'unknown'],
    genders: ['female', 'male', 'unknown'],
    countries: [
      { value: 'unknown', code: null },
      { value: 'DE', code: 'DE' },
    ],
    sources: ['reddit', 'synthetic'],
    rows: [
      { a: 0, g: 2, c: 0, s: 0, occupation: 'teacher' },
      { a: 1, g: 2, c: 1, s: 0, occupation: 'unknown' },
      { a: 2, g: 2, c: 1, s: 1, occupation: 'nurse' },
    ],
  };
  const none = { ageBands: [], genders: [], countries: [], sources: [] };

  it('says how many personas each choice leaves, the others kept', () => {
    const c = countPersonas(demo, { ...none, countries: ['de'] });
    expect(c.matching).toBe(2);
    expect(c.ageBands).toEqual({ '18-24': 0, '25-34': 1, unknown: 1 });
    expect(c.countries).toEqual({ unknown: 1, DE: 2 });
    expect(c.sources).toEqual({ reddit: 1, synthetic: 1 });
    expect(c.pyramid['25-34']).toEqual({ female: 0, male: 0, unknown: 1 });
    expect(c.perCode).toEqual({ DE: 2 });
    expect(c.emptyReason).toBeNull();
  });

  it('explains an empty result in words', () => {
    expect(countPersonas(demo, { ...none, genders: ['female'] }).emptyReason).toBe("0 personas: every persona's gender is unknown.");
    expect(countPersonas(demo, { ...none, ageBands: ['50+'] }).emptyReason).toMatch(/^0 personas: no persona has age band 50\+ \(present: 18-24, 25-34, unknown\)/);
    expect(countPersonas(demo, { ...none, occupationContains: 'pilot' }).emptyReason).toBe('0 personas: no persona\'s occupation contains "pilot".');
    expect(countPersonas(demo, { ...none, ageBands: ['18-24'], sources: ['synthetic'] }).emptyReason).toMatch(/no persona matches all of them together/);
    expect(countPersonas({ ...demo, rows: [] }, none).emptyReason).toMatch(/pool is empty/);
  });
});

describe('world-atlas ids to alpha-2', () => {
  it('maps every shape with an ISO id, and known ones right', () => {
    const geometries = (atlas as unknown as { objects: { countries: { geometries: { id?: string; properties: { name: string } }[] } } }).objects.countries.geometries;
    const withId = geometries.filter((g) => g.id);
    expect(withId.length).toBeGreaterThan(170);
    for (const g of withId) expect(ISO_NUMERIC_TO_ALPHA2[g.id!], g.properties.name).toMatch(/^[A-Z]{2}$/);
    expect(ISO_NUMERIC_TO_ALPHA2['276']).toBe('DE');
    expect(ISO_NUMERIC_TO_ALPHA2['528']).toBe('NL');
    expect(ISO_NUMERIC_TO_ALPHA2['840']).toBe('US');
    expect(ISO_NUMERIC_TO_ALPHA2['392']).toBe('JP');
    expect(ISO_NUMERIC_TO_ALPHA2['036']).toBe('AU');
    expect(new Set(Object.values(ISO_NUMERIC_TO_ALPHA2)).size).toBe(Object.keys(ISO_NUMERIC_TO_ALPHA2).length);
  });
});
