import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useSeededDatabase, type TestDatabase } from '../../support/db';
import { filterFromSearchParams, filterToSearchParams, personaListQuerySchema } from '@/lib/personas/schema';
import { personaStatuses } from '@/db/schema';
import { PERSONA_STATUSES } from '@/lib/personas/schema';

let env: TestDatabase;
let list: typeof import('@/app/api/personas/route');
let detail: typeof import('@/app/api/personas/[id]/route');

beforeAll(async () => {
  env = useSeededDatabase();
  list = await import('@/app/api/personas/route');
  detail = await import('@/app/api/personas/[id]/route');
});
afterAll(() => env.cleanup());

async function get(qs: string) {
  const res = await list.GET(new Request(`http://localhost/api/personas?${qs}`), undefined);
  return { status: res.status, body: await res.json() };
}
const count = (where: string) => env.db.get<{ n: number }>(sql.raw(`SELECT count(*) n FROM personas p WHERE ${where}`))!.n;

describe('GET /api/personas', () => {
  it('lists every persona by default, paged by offset without overlap', async () => {
    const first = await get('limit=500');
    expect(first.body.total).toBe(2328);
    const ids: number[] = first.body.rows.map((r: { id: number }) => r.id);
    let next = first.body.nextOffset;
    while (next !== null) {
      const page = await get(`limit=500&offset=${next}`);
      expect(page.body.total).toBeNull();
      ids.push(...page.body.rows.map((r: { id: number }) => r.id));
      next = page.body.nextOffset;
    }
    expect(ids).toHaveLength(2328);
    expect(new Set(ids).size).toBe(2328);
  });

  it('filters by status, source, flags and demographics, matching SQL counts', async () => {
    expect((await get('status=flagged')).body.total).toBe(865);
    // The 865 flagged Persona-Chat variants, and measured personas with an identical or near-identical twin in their
    // source (flagged, but kept measured and in the pool).
    const duplicates = count("EXISTS (SELECT 1 FROM json_each(flags) f WHERE json_extract(f.value, '$.code') = 'duplicate')");
    expect(duplicates).toBeGreaterThan(865);
    expect((await get('flag=duplicate')).body.total).toBe(duplicates);
    expect((await get('flag=none')).body.total).toBe(count('json_array_length(flags) = 0'));
    expect((await get('source=personallm,gpt4-biographies')).body.total).toBe(1263);
    expect((await get('status=draft,measured&source=synthetic-persona-chat')).body.total).toBe(200);
    expect((await get('ageBand=35-49')).body.total).toBe(count("age_band = '35-49'"));
    const dup = (await get('flag=duplicate&limit=3')).body.rows[0];
    expect(dup.flagCodes).toEqual(['duplicate']);
    expect(dup.duplicateOfId).toBeGreaterThan(0);
  });

  it('searches narratives, names and occupations with FTS5 (prefix words, all must occur)', async () => {
    const r = await get('q=teach biology');
    const expected = env.db
      .all<{ id: number; narrative: string }>(sql`SELECT id, narrative FROM personas`)
      .filter((p) => /\bteach/i.test(p.narrative) && /\bbiology/i.test(p.narrative));
    expect(r.body.total).toBe(expected.length);
    expect(r.body.total).toBeGreaterThan(0);
    expect(r.body.sort).toBe('relevance');
    expect(new Set(r.body.rows.map((x: { id: number }) => x.id))).toEqual(new Set(expected.map((p) => p.id)));
    // Occupation and name are indexed too; FTS syntax in the input is treated as text.
    expect((await get('q=school%20teacher')).body.total).toBeGreaterThan(0);
    expect((await get('q=%22%20OR%20*%20NEAR(')).status).toBe(200);
  });

  it('keeps the index in step with edits (update trigger)', async () => {
    env.db.run(sql`UPDATE personas SET narrative = 'A zyzzogeton enthusiast who collects rare beetles.' WHERE id = 11`);
    expect((await get('q=zyzzogeton')).body.rows.map((r: { id: number }) => r.id)).toEqual([11]);
    env.db.run(sql`UPDATE personas SET narrative = 'Plain text again.' WHERE id = 11`);
    expect((await get('q=zyzzogeton')).body.total).toBe(0);
  });

  it('filters trait ranges and sorts by a trait (preferred instrument scores)', async () => {
    const r = await get('Emin=4&Nmax=2.5&sort=E&dir=desc&limit=500');
    const expected = env.db.all<{ id: number; E: number }>(sql`
      SELECT persona_id id, E FROM trait_scores WHERE E >= 4 AND N <= 2.5`);
    expect(r.body.total).toBe(expected.length);
    const Es = r.body.rows.map((x: { E: number }) => x.E);
    expect(Es).toEqual([...Es].sort((a: number, b: number) => b - a));
    expect(Math.min(...Es)).toBeGreaterThanOrEqual(4);
  });

  it('filters by critic score and by weight and selection in the latest alignment run', async () => {
    env.db.run(sql`UPDATE personas SET quality_scores = '{"overall":{"score":3,"reason":"x"}}' WHERE id IN (1, 2)`);
    env.db.run(sql`UPDATE personas SET quality_scores = '{"overall":{"score":9,"reason":"y"}}' WHERE id = 3`);
    expect((await get('criticMax=5')).body.rows.map((r: { id: number }) => r.id)).toEqual([1, 2]);
    expect((await get('criticMin=5&sort=critic')).body.rows.map((r: { id: number }) => r.id)).toEqual([3]);
    env.db.run(sql`INSERT INTO alignment_runs (name, status, seed, config, persona_ids, weights, selection)
      VALUES ('test run', 'done', 1, '{}', '[1,2,3,4]', '[0.1,0.4,0.3,0.2]', '[2,3]')`);
    const w = await get('weightMin=0.25&sort=weight&dir=desc');
    expect(w.body.run.name).toBe('test run');
    expect(w.body.rows.map((r: { id: number; weight: number }) => [r.id, r.weight])).toEqual([
      [2, 0.4],
      [3, 0.3],
    ]);
    expect((await get('selected=yes')).body.rows.map((r: { id: number }) => r.id)).toEqual([2, 3]);
    expect((await get('selected=no')).body.total).toBe(2326);

    // A newer run becomes the default; the older one stays choosable by id, and the facets list both.
    const older = w.body.run.id as number;
    env.db.run(sql`INSERT INTO alignment_runs (name, status, seed, config, persona_ids, weights, selection)
      VALUES ('newer run', 'done', 2, '{}', '[1,2,3,4]', '[0.7,0.1,0.1,0.1]', '[1]')`);
    expect((await get('selected=yes')).body.run.name).toBe('newer run');
    expect((await get('selected=yes')).body.rows.map((r: { id: number }) => r.id)).toEqual([1]);
    const chosen = await get(`run=${older}&selected=yes`);
    expect(chosen.body.run.name).toBe('test run');
    expect(chosen.body.rows.map((r: { id: number; weight: number }) => [r.id, r.weight])).toEqual([
      [2, 0.4],
      [3, 0.3],
    ]);
    const { getFacets } = await import('@/lib/personas/service');
    expect(getFacets().runs.map((r) => r.name).slice(0, 2)).toEqual(['newer run', 'test run']);
    const missing = await get('run=999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/Run 999999 is not a finished alignment run/);
  });

  it('answers 400 for invalid filters', async () => {
    expect((await get('status=bogus')).status).toBe(400);
    expect((await get('Emin=9')).status).toBe(400);
    expect((await get('limit=100000')).status).toBe(400);
  });

  it('round-trips a filter through the URL', () => {
    const q = personaListQuerySchema.parse({ q: 'teacher', status: 'flagged,draft', Emin: '2.5', sort: 'E', dir: 'desc' });
    const sp = filterToSearchParams(q);
    expect(sp.toString()).toBe('q=teacher&status=flagged%2Cdraft&Emin=2.5&sort=E&dir=desc');
    expect(filterFromSearchParams(sp)).toEqual(q);
    expect(PERSONA_STATUSES).toEqual(personaStatuses);
  });
});

describe('GET /api/personas/:id', () => {
  const open = async (id: number | string) => {
    const res = await detail.GET(new Request(`http://localhost/api/personas/${id}`), { params: Promise.resolve({ id: String(id) }) });
    return { status: res.status, body: await res.json() };
  };

  it('shows item answers, scores and percentiles against the reference', async () => {
    const r = await open(5);
    expect(r.status).toBe(200);
    expect(r.body.itemAnswers).toHaveLength(44);
    expect(r.body.itemAnswers[0].text).toBeTruthy();
    const s = r.body.traitScores[0];
    const ref = env.db.all<{ E: number }>(sql`SELECT E FROM reference_respondents`);
    const below = ref.filter((x) => x.E < s.E).length;
    const equal = ref.filter((x) => x.E === s.E).length;
    expect(r.body.profile.reference.n).toBe(19_718);
    expect(r.body.profile.percentiles.E).toBeCloseTo((100 * (below + equal / 2)) / ref.length, 10);
  });

  it('shows duplicate flags with the twin, and revisions with a diff against the parent', async () => {
    const dupId = env.db.get<{ id: number; d: number }>(sql`SELECT id, duplicate_of_id d FROM personas WHERE duplicate_of_id IS NOT NULL LIMIT 1`)!;
    const dup = await open(dupId.id);
    expect(dup.body.persona.flags[0].code).toBe('duplicate');
    expect(dup.body.twins.map((t: { id: number }) => t.id)).toEqual([dupId.d]);

    env.db.run(sql`INSERT INTO personas (source_id, external_id, parent_id, narrative, status)
      VALUES ('personallm', 'rev-1', 12, (SELECT replace(narrative, 'I', 'We') || ' Revised ending.' FROM personas WHERE id = 12), 'draft')`);
    const child = env.db.get<{ id: number }>(sql`SELECT id FROM personas WHERE external_id = 'rev-1'`)!.id;
    const parent = await open(12);
    expect(parent.body.revisions.derived.map((d: { id: number }) => d.id)).toEqual([child]);
    const c = await open(child);
    expect(c.body.revisions.chain.map((d: { id: number }) => d.id)).toEqual([12, child]);
    const diff = c.body.revisions.chain[1].diff as { kind: string; text: string }[];
    expect(diff.some((d) => d.kind === 'added' && d.text.includes('Revised'))).toBe(true);
    expect(diff.filter((d) => d.kind !== 'added').map((d) => d.text).join('')).toBe(
      env.db.get<{ n: string }>(sql`SELECT narrative n FROM personas WHERE id = 12`)!.n,
    );
  });

  it('answers 404 for an unknown persona and 400 for a bad id', async () => {
    expect((await open(999_999)).status).toBe(404);
    expect((await open('abc')).status).toBe(400);
  });
});
