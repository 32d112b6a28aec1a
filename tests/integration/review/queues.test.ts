/**
 * The review queues on the seeded demo: the default queue is the alignment pool's undecided personas riskiest first,
 * other queues and a persona filter narrow it, the remaining count follows decisions, a reject needs a reason
 * (POPULACE_REVIEW_REASON_REQUIRED), and identical or near-identical measured biographies carry a duplicate flag.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useSeededDatabase, type TestDatabase } from '../../support/db';
import { listPoolPersonas } from '@/db/queries/pool';
import { normalisedText } from '@/lib/pipeline/checks';
import { json, request } from './helpers';

let env: TestDatabase;
let queue: typeof import('@/app/api/review/queue/route');
let remaining: typeof import('@/app/api/review/remaining/route');
let decisions: typeof import('@/app/api/review/decisions/route');
let bulk: typeof import('@/app/api/review/bulk/route');
let undoRoute: typeof import('@/app/api/review/undo/route');
let reasonCodes: typeof import('@/app/api/review/reason-codes/route');

beforeAll(async () => {
  env = useSeededDatabase();
  queue = await import('@/app/api/review/queue/route');
  remaining = await import('@/app/api/review/remaining/route');
  decisions = await import('@/app/api/review/decisions/route');
  bulk = await import('@/app/api/review/bulk/route');
  undoRoute = await import('@/app/api/review/undo/route');
  reasonCodes = await import('@/app/api/review/reason-codes/route');
});
afterAll(() => env.cleanup());
afterEach(() => {
  delete process.env.POPULACE_REVIEW_REASON_REQUIRED;
});

type Item = { id: number; status: string; flagCodes: string[]; minCriticScore: number | null; sourceId: string; ageBand: string };
const getQueue = (reviewer: string, qs = '') => json<{ items: Item[]; remaining: number; nextCursor: string | null; queue: string }>(queue.GET(request(`/api/review/queue${qs}`, { reviewer }), undefined));
const getRemaining = async (reviewer: string, qs = '') => (await json<{ remaining: number }>(remaining.GET(request(`/api/review/remaining${qs}`, { reviewer }), undefined))).body.remaining;
const decide = (reviewer: string, body: Record<string, unknown>) => json(decisions.POST(request('/api/review/decisions', { method: 'POST', body, reviewer }), undefined));
const undo = (reviewer: string) => json(undoRoute.POST(request('/api/review/undo', { method: 'POST', body: {}, reviewer }), undefined));

/** Every item of a queue, page by page. */
async function walk(reviewer: string, qs: string): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  do {
    const page = await getQueue(reviewer, `?${qs}&limit=200${cursor ? `&after=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

const riskOf = (i: Item) => [i.status === 'flagged' || i.flagCodes.length > 0 ? 0 : 1, i.minCriticScore ?? 1e9, i.id] as const;
const byRisk = (a: Item, b: Item) => {
  const x = riskOf(a);
  const y = riskOf(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

describe('the default queue', () => {
  it('holds exactly the undecided personas of the alignment pool, riskiest first', async () => {
    // Critic scores on two measured personas: 9 is riskier than 3.
    env.db.run(sql`UPDATE personas SET min_critic_score = 2 WHERE id = 9`);
    env.db.run(sql`UPDATE personas SET min_critic_score = 5 WHERE id = 3`);
    const items = await walk('Ada', 'x=1');
    const pool = listPoolPersonas({ db: env.db }).map((p) => p.id);
    expect(pool).toHaveLength(1263);
    expect(items.map((i) => i.id).sort((a, b) => a - b)).toEqual(pool);
    expect(items.some((i) => i.sourceId === 'synthetic-persona-chat')).toBe(false);
    expect(items).toEqual([...items].sort(byRisk));
    // Flagged duplicates first, then the critic-scored ones, lowest score first.
    const firstUnflagged = items.findIndex((i) => i.flagCodes.length === 0);
    expect(firstUnflagged).toBeGreaterThan(0);
    expect(items.slice(0, firstUnflagged).every((i) => i.flagCodes.includes('duplicate'))).toBe(true);
    expect(items.slice(firstUnflagged, firstUnflagged + 2).map((i) => i.id)).toEqual([9, 3]);
    expect((await getQueue('Ada', '?limit=1')).body).toMatchObject({ queue: 'pool', remaining: 1263 });
  });

  it('keeps drafts and every persona reachable as other queues', async () => {
    const drafts = await walk('Ada', 'queue=drafts');
    const unmeasured = env.db.all<{ id: number }>(sql`SELECT id FROM personas p WHERE NOT EXISTS (SELECT 1 FROM trait_scores t WHERE t.persona_id = p.id) ORDER BY id`).map((r) => r.id);
    expect(drafts.map((i) => i.id).sort((a, b) => a - b)).toEqual(unmeasured);
    expect(await getRemaining('Ada', '?queue=all')).toBe(2328);
    expect((await getQueue('Ada', '?queue=bogus')).status).toBe(400);
  });
});

describe('a filter queue', () => {
  it('holds exactly the pending personas the filter matches, riskiest first', async () => {
    const qs = 'queue=all&source=gpt4-biographies&ageBand=35-49';
    const items = await walk('Ada', qs);
    const expected = env.db.all<{ id: number }>(sql`SELECT id FROM personas WHERE source_id = 'gpt4-biographies' AND age_band = '35-49' ORDER BY id`).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(10);
    expect(items.map((i) => i.id).sort((a, b) => a - b)).toEqual(expected);
    expect(items).toEqual([...items].sort(byRisk));
    expect(await getRemaining('Ada', `?${qs}`)).toBe(expected.length);
  });
});

describe('the remaining count', () => {
  it('goes down with each decision in the queue and back up with an undo', async () => {
    const qs = '?source=gpt4-biographies';
    const before = await getRemaining('Ben', qs);
    const [a, b] = (await getQueue('Ben', `${qs}&limit=2`)).body.items;
    await decide('Ben', { personaId: a!.id, decision: 'accept' });
    expect(await getRemaining('Ben', qs)).toBe(before - 1);
    await decide('Ben', { personaId: b!.id, decision: 'reject', reasonCode: 'duplicate' });
    expect(await getRemaining('Ben', qs)).toBe(before - 2);
    // A rejected persona leaves the pool queue even for other scopes' counts.
    expect(await getRemaining('Ben', '?queue=pool&scope=pending')).toBe(1263 - 2);
    const undone = await undo('Ben');
    expect(await getRemaining('Ben', qs)).toBe(before - 1);
    // b is a measured biography with a duplicate flag: the undo returns it to its status before review.
    expect(b!.flagCodes).toEqual(['duplicate']);
    expect(undone.body.status).toBe('measured');
    expect((await getQueue('Ben', `${qs}&limit=1`)).body.items[0]!.id).toBe(b!.id);
  });
});

describe('a reject needs a reason', () => {
  it('is refused without one (422 naming reasonCode) while required, the default', async () => {
    const r = await decide('Cy', { personaId: 40, decision: 'reject' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('reason_required');
    expect(r.body.error.message).toMatch(/^reasonCode:/);
    expect(r.body.error.details).toEqual({ field: 'reasonCode' });
    const b = await json(bulk.POST(request('/api/review/bulk', { method: 'POST', reviewer: 'Cy', body: { filter: { q: 'quokka' }, decision: 'reject', expectedCount: 0 } }), undefined));
    expect(b.status).toBe(422);
    expect(env.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM review_decisions WHERE reviewer = 'Cy'`)!.n).toBe(0);
    // Accepting needs no reason; a reject with one is recorded.
    expect((await decide('Cy', { personaId: 40, decision: 'accept' })).status).toBe(200);
    expect((await decide('Cy', { personaId: 41, decision: 'reject', reasonCode: 'generic' })).status).toBe(200);
    expect((await json(reasonCodes.GET(request('/api/review/reason-codes'), undefined))).body.reasonRequired).toBe(true);
  });

  it('is accepted without one when POPULACE_REVIEW_REASON_REQUIRED=false', async () => {
    process.env.POPULACE_REVIEW_REASON_REQUIRED = 'false';
    const r = await decide('Cy', { personaId: 42, decision: 'reject' });
    expect(r.status).toBe(200);
    expect(r.body.decision.reasonCode).toBeNull();
    expect((await json(reasonCodes.GET(request('/api/review/reason-codes'), undefined))).body.reasonRequired).toBe(false);
  });
});

describe('duplicate flags on the seeded demo', () => {
  it('flags every measured persona whose text repeats an earlier one, pointing at the first, without changing status or scores', () => {
    const measured = env.db.all<{ id: number; sourceId: string; narrative: string; status: string; flags: string; duplicateOfId: number | null }>(sql`
      SELECT id, source_id AS sourceId, narrative, status, flags, duplicate_of_id AS duplicateOfId FROM personas p
      WHERE EXISTS (SELECT 1 FROM trait_scores t WHERE t.persona_id = p.id) ORDER BY id`);
    const first = new Map<string, number>();
    let identical = 0;
    for (const p of measured) {
      const key = `${p.sourceId}|${normalisedText(p.narrative)}`;
      const twin = first.get(key);
      if (twin === undefined) {
        first.set(key, p.id);
        continue;
      }
      identical++;
      const flags = JSON.parse(p.flags) as { code: string; reason: string; relatedPersonaId?: number }[];
      expect(flags).toContainEqual({ code: 'duplicate', reason: expect.stringMatching(/^identical text to profile /), relatedPersonaId: twin });
      expect(p.duplicateOfId).toBe(twin);
    }
    expect(identical).toBeGreaterThanOrEqual(10);
    // Two biographies that differ only in capitals, side by side.
    const [a, b] = env.db.all<{ narrative: string }>(sql`SELECT narrative FROM personas WHERE id IN (677, 1012) ORDER BY id`);
    expect(a!.narrative).not.toBe(b!.narrative);
    expect(a!.narrative.toLowerCase()).toBe(b!.narrative.toLowerCase());
    // A flag, not a status change: the flagged measured personas keep status and scores, and stay in the pool.
    const decided = new Set(env.db.all<{ id: number }>(sql`SELECT DISTINCT persona_id AS id FROM review_decisions`).map((r) => r.id));
    const flaggedMeasured = measured.filter((p) => JSON.parse(p.flags).length > 0 && !decided.has(p.id));
    expect(flaggedMeasured.length).toBeGreaterThanOrEqual(identical - decided.size);
    expect(new Set(flaggedMeasured.map((p) => p.status))).toEqual(new Set(['measured']));
    expect(new Set(flaggedMeasured.map((p) => p.sourceId))).toEqual(new Set(['gpt4-biographies']));
  });
});
