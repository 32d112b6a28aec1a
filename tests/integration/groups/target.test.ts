/**
 * Group target construction against hand-counted respondents: a fresh database with a dozen respondents written by
 * hand, and the counts, warnings and norms fallback a group definition gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { norms, referenceRespondents, referenceSets, sources } from '@/db/schema';
import { useFreshDatabase } from '../../support/db';

let env: ReturnType<typeof useFreshDatabase>;

// country, age, gender: 12 respondents
const PEOPLE: [string, number | null, 'female' | 'male' | 'other' | 'unknown'][] = [
  ['JP', 19, 'female'],
  ['JP', 23, 'male'],
  ['JP', 45, 'female'],
  ['KR', 20, 'male'],
  ['KR', 31, 'female'],
  ['CN', 24, 'female'],
  ['HK', 18, 'other'],
  ['US', 22, 'female'],
  ['US', 40, 'male'],
  ['US', null, 'male'],
  ['DE', 24, 'male'],
  ['GB', 60, 'female'],
];

beforeAll(() => {
  env = useFreshDatabase();
  const db = env.db;
  db.insert(sources).values({ id: 'hand', name: 'hand-made', kind: 'reference', licence: 'CC0', citation: 'test', origin: 'test' }).run();
  db.insert(sources).values({ id: 'mccrae-terracciano-2005', name: 'McCrae', kind: 'norms', licence: 'cite', citation: 'McCrae 2005', origin: 'test' }).run();
  db.insert(referenceSets).values({ id: 'big5', name: 'hand', sourceId: 'hand', instrumentId: 'ipip50', description: 'hand' }).run();
  db.insert(referenceRespondents)
    .values(PEOPLE.map(([country, age, gender], i) => ({ referenceSetId: 'big5', row: i, country, age, gender, E: 2 + (i % 5) * 0.5, A: 3, C: 2 + (i % 3), N: 3 - (i % 2), O: 4, answers: '' })))
    .run();
  db.insert(norms)
    .values(['E', 'A', 'C', 'N', 'O'].map((t) => ({ sourceId: 'mccrae-terracciano-2005', table: 'mccrae-terracciano-2005', groupType: 'country', group: 'JPN', scale: t, level: 'domain', unit: 'T', mean: t === 'E' ? 40 : 50 })))
    .run();
});
afterAll(() => env.cleanup());

async function preview(spec: unknown) {
  const { POST } = await import('@/app/api/groups/preview/route');
  const res = await POST(new Request('http://localhost/api/groups/preview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spec }) }), undefined);
  return { status: res.status, body: await res.json() };
}

describe('group targets from hand-counted respondents', () => {
  it('counts the East Asia region (JP, KR, CN, HK of the 12) and warns under 100', async () => {
    const r = await preview({ filters: { countries: ['CN', 'JP', 'KR', 'HK', 'MN', 'TW', 'MO'] } });
    expect(r.status).toBe(200);
    expect(r.body.n).toBe(7); // JP 3 + KR 2 + CN 1 + HK 1
    expect(r.body.description).toMatch(/^East Asia · 7 respondents/);
    expect(r.body.perCountry).toEqual(
      expect.arrayContaining([
        { code: 'JP', name: 'Japan', n: 3 },
        { code: 'KR', name: 'South Korea', n: 2 },
        { code: 'MN', name: 'Mongolia', n: 0 },
      ]),
    );
    expect(r.body.warnings.join(' ')).toMatch(/Only 7 respondents match/);
    expect(r.body.warnings.join(' ')).toMatch(/McCrae & Terracciano country norms preset/);
  });

  it('applies age band and gender: 18-24 year-olds, women only', async () => {
    // 18-24: JP19 f, JP23 m, KR20 m, CN24 f, HK18 o, US22 f, DE24 m = 7; women among them: JP19, CN24, US22 = 3
    expect((await preview({ filters: { ageMin: 18, ageMax: 24 } })).body.n).toBe(7);
    expect((await preview({ filters: { ageMin: 18, ageMax: 24, genders: ['female'] } })).body.n).toBe(3);
    // the respondent with no age is never in an age band
    expect((await preview({ filters: { countries: ['US'], ageMin: 13, ageMax: 100 } })).body.n).toBe(2);
    expect((await preview({ filters: { countries: ['US'] } })).body.n).toBe(3);
  });

  it('falls back to published country norms when the user picks them (McCrae: Japan E at T = 40 is one SD lower)', async () => {
    const { buildTarget } = await import('@/lib/targets/service');
    const plain = buildTarget({ filters: { countries: ['JP'] } });
    const normed = buildTarget({ filters: { countries: ['JP'] }, preset: { kind: 'mccrae', country: 'JPN' } });
    expect(normed.n).toBe(3);
    const mean = (d: Float64Array, k: number) => (d[k]! + d[5 + k]! + d[10 + k]!) / 3;
    const sdE = Math.sqrt([0, 1, 2].reduce((a, i) => a + (plain.data[i * 5]! - mean(plain.data, 0)) ** 2, 0) / 2);
    expect(sdE).toBeCloseTo(0.5, 9);
    expect(mean(normed.data, 0)).toBeCloseTo(mean(plain.data, 0) - sdE, 9); // 2.5 - 0.5
    const r = await preview({ filters: { countries: ['JP'] }, preset: { kind: 'mccrae', country: 'JPN' } });
    expect(r.body.description).toMatch(/McCrae/);
  });

  it('refuses a group whose target matches nobody, naming the filters', async () => {
    const { POST } = await import('@/app/api/groups/route');
    const res = await POST(
      new Request('http://localhost/api/groups', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Nobody', definition: { reference: { filters: { countries: ['MN'] } } } }) }),
      undefined,
    );
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toMatch(/No respondent matches Mongolia/);
    const ok = await POST(
      new Request('http://localhost/api/groups', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Korea and Japan', definition: { reference: { filters: { countries: ['KR', 'JP'] } }, region: { name: 'KJ', countries: ['KR', 'JP'] } } }),
      }),
      undefined,
    );
    expect(ok.status).toBe(200);
    const { GET } = await import('@/app/api/groups/route');
    const list = await (await GET(new Request('http://localhost/api/groups'), undefined)).json();
    expect(list.groups.map((g: { name: string; target: { n: number } }) => [g.name, g.target.n])).toEqual([['Korea and Japan', 5]]);
    expect(list.customRegions).toEqual([{ name: 'KJ', countries: ['KR', 'JP'] }]);
  });
});
