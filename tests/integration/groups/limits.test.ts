/**
 * Size bounds of groups through their route handlers: the retrieval count of a saved group (create, update, and a
 * group stored before a lower limit), and the set size of a group alignment (bounded by the group set).
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groups } from '@/db/schema';
import { ensureDemoGroups } from '@/lib/groups/demo';
import { useSeededDatabase } from '../../support/db';

let env: ReturnType<typeof useSeededDatabase>;
beforeAll(() => {
  env = useSeededDatabase();
  ensureDemoGroups(env.db);
});
afterAll(() => {
  delete process.env.POPULACE_MAX_SET_SIZE;
  env.cleanup();
});

const ctx = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });
const req = (body: unknown, method = 'POST') => new Request('http://localhost/x', { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const answer = async (res: Response | Promise<Response>) => {
  const r = await res;
  return { status: r.status, body: await r.json() };
};
const definition = (retrieveCount: number) => ({
  reference: { filters: { countries: ['US'] } },
  personas: { description: 'teacher', filters: { sources: ['gpt4-biographies'] }, retrieveCount },
});

describe('group size bounds', () => {
  it('refuses a retrieval count over the limit on create and update, naming the field, the value and the limit', async () => {
    const { POST } = await import('@/app/api/groups/route');
    const before = env.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM groups`)[0]!.n;
    const huge = await answer(POST(req({ name: 'Huge retrieval', definition: definition(10_000_000) }), undefined));
    expect(huge.status).toBe(422);
    expect(huge.body.error).toMatchObject({ code: 'size_limit', details: { field: 'definition.personas.retrieveCount', value: 10_000_000, limit: 5_000 } });
    expect(huge.body.error.message).toBe('definition.personas.retrieveCount: 10,000,000 was asked for, but the limit is 5,000 (at most 5,000 hits per retrieval).');
    expect(env.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM groups`)[0]!.n).toBe(before);

    const made = await answer(POST(req({ name: 'Teachers', definition: definition(20) }), undefined));
    expect(made.status).toBe(200);
    const { PUT } = await import('@/app/api/groups/[id]/route');
    const updated = await answer(PUT(req({ name: 'Teachers', definition: definition(5_001) }, 'PUT'), ctx(made.body.id)));
    expect(updated.status).toBe(422);
    expect(updated.body.error.details).toEqual({ field: 'definition.personas.retrieveCount', value: 5_001, limit: 5_000 });

    process.env.POPULACE_MAX_SET_SIZE = '10';
    try {
      // a group stored with a count over a limit lowered later: retrieval refuses it by name
      const { POST: RETRIEVE } = await import('@/app/api/groups/[id]/retrieve/route');
      const r = await answer(RETRIEVE(req({}), ctx(made.body.id)));
      expect(r.status).toBe(422);
      expect(r.body.error.message).toBe('retrieveCount: 20 was asked for, but the limit is 10 (POPULACE_MAX_SET_SIZE).');
    } finally {
      delete process.env.POPULACE_MAX_SET_SIZE;
    }
  });

  it('bounds a group alignment by the ceiling and by its group set', async () => {
    const { POST: ALIGN } = await import('@/app/api/groups/[id]/align/route');
    const id = env.db.select().from(groups).where(eq(groups.name, 'North America')).get()!.id;
    const runsBefore = env.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM alignment_runs`)[0]!.n;
    const huge = await answer(ALIGN(req({ size: 10_000_000 }), ctx(id)));
    expect(huge.status).toBe(422);
    expect(huge.body.error.message).toBe('size: 10,000,000 was asked for, but the limit is 100,000 (POPULACE_MAX_SET_SIZE).');
    const distinct = await answer(ALIGN(req({ size: 5_000, selection: 'withoutReplacement' }), ctx(id)));
    expect(distinct.status).toBe(422);
    expect(distinct.body.error.message).toMatch(/^size: 5,000 was asked for, but the limit is \d+ \(a set of distinct personas holds at most the \d+ personas of the group set\)\.$/);
    expect(env.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM alignment_runs`)[0]!.n).toBe(runsBefore);
  });
});
