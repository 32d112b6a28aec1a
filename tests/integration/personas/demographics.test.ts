/**
 * Persona demographics on the seeded demo: read from the narratives at seeding with their origin, back-filled for rows
 * written before the origin was recorded (idempotent, in batches), counted per field, and facet counts that follow
 * the rest of the filter (through the API).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPersonas } from '@/db/queries/personas';
import { backfillDemographics, getFacets } from '@/lib/personas/service';
import { useSeededDatabase, type TestDatabase } from '../../support/db';

let env: TestDatabase;
beforeAll(() => {
  env = useSeededDatabase();
});
afterAll(() => env.cleanup());

describe('persona demographics', () => {
  it('the demo personas carry demographics read from their narratives, with how each was obtained', () => {
    const total = countPersonas({ db: env.db, filter: {} });
    const f = getFacets({}, env.db);
    for (const field of ['age', 'gender', 'country', 'occupation'] as const) {
      expect(Object.values(f.demographics[field]).reduce((a, n) => a + n, 0)).toBe(total);
      expect(f.demographics[field].unrecorded).toBeUndefined();
    }
    // The biographies give every age and occupation as fields; pronouns in their facts give many genders.
    expect(f.demographics.age.given).toBeGreaterThanOrEqual(310);
    expect(f.demographics.gender.inferred! + f.demographics.gender.stated!).toBeGreaterThan(200);
    expect(f.genders.find((g) => g.value === 'female')!.n).toBeGreaterThan(50);
    const harriet = env.db.get<{ gender: string; age: number; origin: string }>(
      sql`SELECT gender, age, demographics_origin AS origin FROM personas WHERE narrative LIKE 'Harriet Barnes is 56%'`,
    )!;
    expect(harriet.age).toBe(56);
    expect(JSON.parse(harriet.origin).origin.age).toBe('given');
  });

  it('back-fills rows without a recorded origin in batches, the same values as at seeding, and only once', () => {
    const before = env.db.all<{ id: number; gender: string; country: string; age: number | null; origin: string }>(
      sql`SELECT id, gender, country, age, demographics_origin AS origin FROM personas ORDER BY id LIMIT 1000`,
    );
    // Rows as an older version wrote them: no origin, demographics unknown where the source gave none.
    env.db.run(sql`UPDATE personas SET demographics_origin = NULL, gender = 'unknown', country = 'unknown'
      WHERE id IN (SELECT id FROM personas ORDER BY id LIMIT 1000) AND json_extract(demographics_origin, '$.origin.gender') <> 'given'`);
    env.db.run(sql`UPDATE personas SET demographics_origin = NULL WHERE id IN (SELECT id FROM personas ORDER BY id LIMIT 1000)`);
    expect(backfillDemographics(env.db)).toBe(1000);
    const after = env.db.all<{ id: number; gender: string; country: string; age: number | null; origin: string }>(
      sql`SELECT id, gender, country, age, demographics_origin AS origin FROM personas ORDER BY id LIMIT 1000`,
    );
    expect(after.map((r) => [r.id, r.gender, r.country, r.age])).toEqual(before.map((r) => [r.id, r.gender, r.country, r.age]));
    expect(backfillDemographics(env.db)).toBe(0);
  });

  it('facet counts follow the rest of the filter, as the API answers them', async () => {
    const { GET } = await import('@/app/api/personas/facets/route');
    const res = await GET(new Request('http://localhost/api/personas/facets?source=personallm'), undefined);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReturnType<typeof getFacets>;
    for (const band of body.ageBands) {
      expect(band.n).toBe(countPersonas({ db: env.db, filter: { source: ['personallm'], ageBand: [band.value] } }));
    }
    // The source facet does not filter itself: every source keeps its own count.
    const all = getFacets({}, env.db);
    expect(body.sources).toEqual(all.sources);
    // An age band chosen leaves the age facet whole but narrows the others.
    const banded = getFacets({ ageBand: ['35-49'] }, env.db);
    expect(banded.ageBands).toEqual(all.ageBands);
    expect(banded.sources.reduce((a, s) => a + s.n, 0)).toBe(countPersonas({ db: env.db, filter: { ageBand: ['35-49'] } }));
  });
});
