import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useSeededDatabase, type TestDatabase } from '../../support/db';
import { cohenKappa, fleissKappa } from '@/lib/stats/kappa';
import { json, request } from './helpers';

let env: TestDatabase;
let queue: typeof import('@/app/api/review/queue/route');
let decisions: typeof import('@/app/api/review/decisions/route');
let agreement: typeof import('@/app/api/review/agreement/route');
let undoRoute: typeof import('@/app/api/review/undo/route');

beforeAll(async () => {
  env = useSeededDatabase();
  queue = await import('@/app/api/review/queue/route');
  decisions = await import('@/app/api/review/decisions/route');
  agreement = await import('@/app/api/review/agreement/route');
  undoRoute = await import('@/app/api/review/undo/route');
  // Critic scores (1-10) on a few measured personas: 7 has the lowest score, then 5, then 6.
  const scores: Record<number, Record<string, { score: number; reason: string }>> = {
    5: { overall: { score: 6, reason: 'ok' }, hallucination: { score: 4, reason: 'invents a job' } },
    6: { overall: { score: 9, reason: 'good' }, hallucination: { score: 8, reason: 'grounded' } },
    7: { overall: { score: 2, reason: 'bad' }, hallucination: { score: 3, reason: 'many invented details' } },
  };
  for (const [id, q] of Object.entries(scores)) env.db.run(sql`UPDATE personas SET quality_scores = ${JSON.stringify(q)} WHERE id = ${Number(id)}`);
});
afterAll(() => env.cleanup());

const getQueue = (reviewer: string, qs = '') => json(queue.GET(request(`/api/review/queue${qs}`, { reviewer }), undefined));
const decide = (reviewer: string, body: Record<string, unknown>) => json(decisions.POST(request('/api/review/decisions', { method: 'POST', body, reviewer }), undefined));

describe('review queue', () => {
  it('needs a reviewer and orders by risk: flagged first, then lowest critic score, then id', async () => {
    expect((await json(queue.GET(request('/api/review/queue'), undefined))).status).toBe(401);
    const flagged = env.db.get<{ n: number }>(sql`SELECT count(*) n FROM personas WHERE status = 'flagged'`)!.n;
    const pending = env.db.get<{ n: number }>(sql`SELECT count(*) n FROM personas WHERE status NOT IN ('accepted','rejected')`)!.n;
    const first = await getQueue('Ada', '?queue=all&limit=200');
    expect(first.body.remaining).toBe(pending);
    expect(first.body.items.every((i: { status: string; flagCodes: string[] }) => i.status === 'flagged' || i.flagCodes.length > 0)).toBe(true);
    const ids = first.body.items.map((i: { id: number }) => i.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // Past the flagged ones: the critic-scored personas come first, lowest score first.
    const measured = await getQueue('Ada', '?status=measured&source=personallm&limit=5');
    expect(measured.body.items.map((i: { id: number }) => i.id)).toEqual([7, 5, 6, 1, 2]);
    expect(measured.body.items[0].minCriticScore).toBe(2);
    expect(measured.body.items[0].qualityScores.hallucination.reason).toBe('many invented details');
    expect(flagged).toBe(865);
  });

  it('pages with a cursor without gaps or repeats, and decided personas leave the pending queue', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = `?status=measured&source=personallm&limit=150${cursor ? `&after=${cursor}` : ''}`;
      const page = await getQueue('Ada', qs);
      seen.push(...page.body.items.map((i: { id: number }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const expected = env.db.all<{ id: number }>(sql`SELECT id FROM personas WHERE status = 'measured' AND source_id = 'personallm'`).map((r) => r.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(expected);

    await decide('Ada', { personaId: 7, decision: 'reject', reasonCode: 'hallucinated' });
    const after = await getQueue('Ada', '?status=measured&source=personallm&limit=2');
    expect(after.body.items.map((i: { id: number }) => i.id)).toEqual([5, 6]);
    // The decision can be undone and the persona comes back.
    await json(undoRoute.POST(request('/api/review/undo', { method: 'POST', body: {}, reviewer: 'Ada' }), undefined));
    expect((await getQueue('Ada', '?status=measured&source=personallm&limit=1')).body.items[0].id).toBe(7);
  });

  it('second-opinion scope lists what others judged and you did not', async () => {
    await decide('Ada', { personaId: 20, decision: 'accept' });
    const ben = await getQueue('Ben', '?scope=second-opinion');
    expect(ben.body.items.map((i: { id: number }) => i.id)).toEqual([20]);
    expect((await getQueue('Ada', '?scope=second-opinion')).body.items).toEqual([]);
  });
});

describe('agreement and conflicts', () => {
  it('computes Cohen’s kappa per pair and Fleiss’ kappa, lists conflicts and settles them', async () => {
    // Ada, Ben and Cy each judge personas 30..39.
    const plan: Record<string, ('accept' | 'reject')[]> = {
      Ada: ['accept', 'accept', 'reject', 'reject', 'accept', 'accept', 'reject', 'accept', 'accept', 'reject'],
      Ben: ['accept', 'reject', 'reject', 'reject', 'accept', 'accept', 'accept', 'accept', 'accept', 'reject'],
      Cy: ['accept', 'accept', 'reject', 'accept', 'accept', 'reject', 'reject', 'accept', 'accept', 'reject'],
    };
    for (const [reviewer, ds] of Object.entries(plan)) {
      for (let i = 0; i < ds.length; i++) await decide(reviewer, { personaId: 30 + i, decision: ds[i]!, reasonCode: ds[i] === 'reject' ? 'other' : null });
    }
    const r = await json(agreement.GET(request('/api/review/agreement'), undefined));
    expect(r.status).toBe(200);
    const pair = r.body.pairs.find((p: { a: string; b: string }) => p.a === 'Ada' && p.b === 'Ben');
    const expected = cohenKappa(plan.Ada!, plan.Ben!);
    expect(pair.n).toBe(10);
    expect(pair.kappa).toBeCloseTo(expected.kappa!, 12);
    // Persona 20 was judged by Ada only; it does not enter any pair.
    const counts = plan.Ada!.map((_, i) => ['accept', 'reject'].map((c) => Object.values(plan).filter((ds) => ds[i] === c).length));
    expect(r.body.fleiss.kappa).toBeCloseTo(fleissKappa(counts).kappa!, 12);
    expect(r.body.fleiss.subjects).toBe(10);

    const disagreements = plan.Ada!.map((_, i) => i).filter((i) => new Set(Object.values(plan).map((ds) => ds[i])).size > 1);
    expect(r.body.conflicts.map((c: { personaId: number }) => c.personaId)).toEqual(disagreements.map((i) => 30 + i));

    // Settling one conflict removes it from the list but not from the kappa figures.
    const settle = disagreements[0]! + 30;
    await decide('Dee', { personaId: settle, decision: 'reject', reasonCode: 'contradicts-source', settlement: true });
    const r2 = await json(agreement.GET(request('/api/review/agreement'), undefined));
    expect(r2.body.conflicts.map((c: { personaId: number }) => c.personaId)).not.toContain(settle);
    expect(r2.body.conflicts).toHaveLength(disagreements.length - 1);
    expect(r2.body.reviewers).not.toContain('Dee');
    expect(r2.body.fleiss.kappa).toBeCloseTo(r.body.fleiss.kappa, 12);
    expect(env.db.get<{ status: string }>(sql`SELECT status FROM personas WHERE id = ${settle}`)!.status).toBe('rejected');
  });
});
