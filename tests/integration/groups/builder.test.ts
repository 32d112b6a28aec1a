/**
 * The group builder's data routes on the seeded demo workspace: the compact reference decodes to the same counts as
 * the SQL target (so the client-side counts are the server's), the norms come keyed by alpha-2, and the persona
 * demographics cover every retrieval candidate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listGroupCandidates } from '@/db/queries/groups';
import { countRespondentsByCountry } from '@/db/queries/targets';
import { countByCountry, countPersonas, decodeReference, summarize, type BuilderSelection } from '@/lib/groups/builder';
import { personaCountryCode } from '@/lib/groups/builderData';
import { buildTarget } from '@/lib/targets/service';
import { useSeededDatabase } from '../../support/db';

let env: ReturnType<typeof useSeededDatabase>;
beforeAll(() => {
  env = useSeededDatabase();
});
afterAll(() => env.cleanup());

const get = async (url: string) => {
  const mod = url.startsWith('/api/reference') ? await import('@/app/api/reference/builder/route') : await import('@/app/api/groups/personas/route');
  const res = await mod.GET(new Request(`http://localhost${url}`), undefined);
  return { status: res.status, body: await res.json() };
};

describe('GET /api/reference/builder', () => {
  it('sends every respondent compactly, and decoded counts equal the SQL target for several selections', async () => {
    const { status, body } = await get('/api/reference/builder');
    expect(status).toBe(200);
    expect(body.n).toBe(19_718);
    expect(body.countries).toHaveLength(159);
    expect(body.names.DE).toBe('Germany');
    expect(body.names.unknown).toBe('Unknown country');
    expect(body.data.length).toBeLessThan(250_000);
    const ref = decodeReference(body);
    const sql = new Map(countRespondentsByCountry({ db: env.db, referenceSetId: 'big5' }).map((c) => [c.country, c.n]));
    const byCountry = countByCountry(ref);
    ref.countries.forEach((c, k) => expect(byCountry[k], c).toBe(sql.get(c)));
    const selections: BuilderSelection[] = [
      { countries: ['DE', 'NL'], genders: [] },
      { countries: ['DE', 'NL', 'GB'], ageMin: 50, genders: ['female'] },
      { countries: [], ageMin: 18, ageMax: 24, genders: [] },
      { countries: ['US'], ageMax: 30, genders: ['male', 'other'] },
    ];
    for (const s of selections) {
      const target = buildTarget({ filters: s }, env.db);
      const summary = summarize(ref, s);
      expect(summary.n, JSON.stringify(s)).toBe(target.n);
      // the means agree with the target's raw scores (bytes are exact for 0.02 steps)
      const meanE = Array.from({ length: target.n }, (_, i) => target.reference[i * 5]!).reduce((a, b) => a + b, 0) / target.n;
      expect(summary.mean.E).toBeCloseTo(meanE, 6);
    }
  });

  it('keys the McCrae & Terracciano norms by alpha-2 code', async () => {
    const { body } = await get('/api/reference/builder');
    expect(Object.keys(body.norms)).toEqual(expect.arrayContaining(['DE', 'JP', 'US', 'KR']));
    expect(Object.keys(body.norms.DE).sort()).toEqual(['A', 'C', 'E', 'N', 'O']);
    expect(body.norms.DE.E).toBeGreaterThan(30);
    expect(body.norms.DE.E).toBeLessThan(70);
  });

  it('answers 404 with a sentence for an unknown reference set, 400 for a malformed one', async () => {
    const r = await get('/api/reference/builder?set=nope');
    expect(r.status).toBe(404);
    expect(r.body.error.message).toBe('There is no reference set "nope".');
    expect((await get(`/api/reference/builder?set=${'x'.repeat(200)}`)).status).toBe(400);
  });
});

describe('GET /api/groups/personas', () => {
  it('lists the demographics of every retrieval candidate', async () => {
    const { status, body } = await get('/api/groups/personas');
    expect(status).toBe(200);
    const candidates = listGroupCandidates({ db: env.db, filters: {} });
    expect(body.rows).toHaveLength(candidates.length);
    const counts = countPersonas(body, { ageBands: [], genders: [], countries: [], sources: [] });
    expect(counts.matching).toBe(candidates.length);
    const withBand = listGroupCandidates({ db: env.db, filters: { ageBands: ['25-34'] } }).length;
    expect(countPersonas(body, { ageBands: ['25-34'], genders: [], countries: [], sources: [] }).matching).toBe(withBand);
  });

  it('reads persona countries stored as codes or names', () => {
    expect(personaCountryCode('de')).toBe('DE');
    expect(personaCountryCode('Germany')).toBe('DE');
    expect(personaCountryCode('unknown')).toBeNull();
    expect(personaCountryCode('Atlantis')).toBeNull();
    expect(personaCountryCode('XX')).toBeNull();
  });
});
