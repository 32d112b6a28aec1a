import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useSeededDatabase, type TestDatabase } from '../../support/db';
import { listPoolPersonas } from '@/db/queries/pool';
import { getWorkspaceOverview } from '@/lib/workspace/overview';
import { json, request } from './helpers';

let env: TestDatabase;
let decisions: typeof import('@/app/api/review/decisions/route');
let undoRoute: typeof import('@/app/api/review/undo/route');
let bulk: typeof import('@/app/api/review/bulk/route');

beforeAll(async () => {
  env = useSeededDatabase();
  decisions = await import('@/app/api/review/decisions/route');
  undoRoute = await import('@/app/api/review/undo/route');
  bulk = await import('@/app/api/review/bulk/route');
});
afterAll(() => env.cleanup());

const status = (id: number) => env.db.get<{ status: string }>(sql`SELECT status FROM personas WHERE id = ${id}`)!.status;
const rows = (id: number) =>
  env.db.all<{ id: number; reviewer: string; decision: string; undoes_id: number | null; status_before: string; status_after: string; created_at: string; reason_code: string | null; note: string | null }>(
    sql`SELECT * FROM review_decisions WHERE persona_id = ${id} ORDER BY id`,
  );
const decide = (reviewer: string | undefined, body: unknown) => json(decisions.POST(request('/api/review/decisions', { method: 'POST', body, reviewer }), undefined));
const undo = (reviewer: string, body: unknown = {}) => json(undoRoute.POST(request('/api/review/undo', { method: 'POST', body, reviewer }), undefined));
// Seeded ids: 1..640 PersonaLLM (measured), then GPT-4 biographies (measured), then 200 drafts, then 865 flagged duplicates.
const MEASURED = 1;
const firstWith = (where: string) => env.db.get<{ id: number }>(sql.raw(`SELECT id FROM personas WHERE ${where} ORDER BY id LIMIT 1`))!.id;

describe('review decisions', () => {
  it('refuses a decision without a reviewer cookie (401, with what to do)', async () => {
    const r = await decide(undefined, { personaId: MEASURED, decision: 'accept' });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('reviewer_required');
    expect(r.body.error.message).toMatch(/reviewer name on the Review screen/);
    expect(rows(MEASURED)).toHaveLength(0);
  });

  it('takes the reviewer from the cookie, not the body, and the status follows the latest decision', async () => {
    const a = await decide('Ada', { personaId: MEASURED, decision: 'accept', reviewer: 'Mallory' });
    expect(a.status).toBe(200);
    expect(a.body.status).toBe('accepted');
    expect(a.body.decision.reviewer).toBe('Ada');
    expect(status(MEASURED)).toBe('accepted');

    const b = await decide('Ben', { personaId: MEASURED, decision: 'reject', reasonCode: 'generic', note: 'template-like' });
    expect(b.body.status).toBe('rejected');
    expect(status(MEASURED)).toBe('rejected');
    const log = rows(MEASURED);
    expect(log.map((r) => [r.reviewer, r.decision, r.status_before, r.status_after])).toEqual([
      ['Ada', 'accept', 'measured', 'accepted'],
      ['Ben', 'reject', 'accepted', 'rejected'],
    ]);
    expect(log[1]!.reason_code).toBe('generic');
    expect(log[1]!.note).toBe('template-like');
    expect(log.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.created_at))).toBe(true);
  });

  it('rejects unknown reason codes and unknown personas without writing', async () => {
    expect((await decide('Ada', { personaId: 2, decision: 'reject', reasonCode: 'nope' })).status).toBe(400);
    expect((await decide('Ada', { personaId: 999_999, decision: 'reject', reasonCode: 'other' })).status).toBe(404);
    expect((await decide('Ada', { personaId: 2, decision: 'maybe' })).status).toBe(400);
    expect(rows(2)).toHaveLength(0);
  });

  it('undo appends a row and reverts to the status before the undone decision', async () => {
    const id = 3;
    await decide('Cleo', { personaId: id, decision: 'accept' });
    await decide('Cleo', { personaId: id, decision: 'reject', reasonCode: 'hallucinated' });
    const u1 = await undo('Cleo');
    expect(u1.status).toBe(200);
    expect(u1.body.status).toBe('accepted');
    expect(u1.body.undone.decision).toBe('reject');
    expect(status(id)).toBe('accepted');
    const u2 = await undo('Cleo');
    expect(u2.body.status).toBe('measured');
    expect(status(id)).toBe('measured');
    expect((await undo('Cleo')).status).toBe(409);
    const log = rows(id);
    expect(log.map((r) => r.decision)).toEqual(['accept', 'reject', 'undo', 'undo']);
    expect(log[2]!.undoes_id).toBe(log[1]!.id);
    expect(log[3]!.undoes_id).toBe(log[0]!.id);
    expect(log[2]!.status_after).toBe('accepted');
    expect(log[3]!.status_after).toBe('measured');
  });

  it('undo of a flagged or a draft persona returns it to flagged / draft', async () => {
    const flagged = firstWith("status = 'flagged'");
    const draft = firstWith("status = 'draft'");
    await decide('Dan', { personaId: flagged, decision: 'accept' });
    await decide('Dan', { personaId: draft, decision: 'reject', reasonCode: 'other' });
    expect(status(flagged)).toBe('accepted');
    expect(status(draft)).toBe('rejected');
    await undo('Dan');
    await undo('Dan');
    expect(status(flagged)).toBe('flagged');
    expect(status(draft)).toBe('draft');
  });

  it('undoing an older decision keeps the status of the newer one; only its author may undo; never twice', async () => {
    const id = 4;
    const first = await decide('Eve', { personaId: id, decision: 'reject', reasonCode: 'offensive' });
    await decide('Fay', { personaId: id, decision: 'accept' });
    expect((await undo('Fay', { decisionId: first.body.decision.id })).status).toBe(403);
    const u = await undo('Eve', { decisionId: first.body.decision.id });
    expect(u.body.status).toBe('accepted');
    expect(status(id)).toBe('accepted');
    expect((await undo('Eve', { decisionId: first.body.decision.id })).status).toBe(409);
    expect((await undo('Eve', { decisionId: u.body.undo.id })).status).toBe(400);
  });

  it('the table is append-only: the database refuses UPDATE and DELETE', () => {
    const n = env.db.$client.prepare('SELECT count(*) AS n FROM review_decisions').get();
    expect(() => env.db.$client.prepare("UPDATE review_decisions SET decision = 'accept'").run()).toThrow(/append-only/);
    expect(() => env.db.$client.prepare('DELETE FROM review_decisions').run()).toThrow(/append-only/);
    expect(env.db.$client.prepare('SELECT count(*) AS n FROM review_decisions').get()).toEqual(n);
  });

  it('rejected personas leave the alignment pool at once, and the overview counts follow', async () => {
    const id = 10;
    const before = listPoolPersonas({ db: env.db });
    expect(before.some((p) => p.id === id)).toBe(true);
    const rejectedBefore = getWorkspaceOverview(env.db).personas.byStatus.rejected;
    await decide('Gus', { personaId: id, decision: 'reject', reasonCode: 'inconsistent-answers' });
    const after = listPoolPersonas({ db: env.db });
    expect(after.some((p) => p.id === id)).toBe(false);
    expect(after).toHaveLength(before.length - 1);
    expect(getWorkspaceOverview(env.db).personas.byStatus.rejected).toBe(rejectedBefore + 1);
    await undo('Gus');
    expect(listPoolPersonas({ db: env.db }).some((p) => p.id === id)).toBe(true);
  });

  it('serves the audit trail per reviewer and per persona, newest first', async () => {
    const byReviewer = await json(decisions.GET(request('/api/review/decisions?reviewer=Cleo'), undefined));
    expect(byReviewer.body.decisions.map((d: { decision: string }) => d.decision)).toEqual(['undo', 'undo', 'reject', 'accept']);
    expect(byReviewer.body.decisions[2].reasonLabel).toBe('Hallucinated detail');
    expect(byReviewer.body.decisions[2].undoneById).toBe(byReviewer.body.decisions[1].id);
    expect(byReviewer.body.decisions[3].undoneById).toBe(byReviewer.body.decisions[0].id);
    const byPersona = await json(decisions.GET(request(`/api/review/decisions?personaId=${MEASURED}`), undefined));
    expect(byPersona.body.decisions.map((d: { reviewer: string }) => d.reviewer)).toEqual(['Ben', 'Ada']);
  });
});

describe('bulk decisions', () => {
  it('counts a filter, refuses a stale count, and records one decision per persona', async () => {
    const count = await json(bulk.GET(request('/api/review/bulk?source=synthetic-persona-chat&status=draft'), undefined));
    const drafts = env.db.get<{ n: number }>(sql`SELECT count(*) n FROM personas WHERE source_id = 'synthetic-persona-chat' AND status = 'draft'`)!.n;
    expect(count.body.count).toBe(drafts);
    expect(drafts).toBeGreaterThan(150);

    const filter = { source: ['synthetic-persona-chat'], status: ['draft'] };
    const stale = await json(
      bulk.POST(request('/api/review/bulk', { method: 'POST', reviewer: 'Hal', body: { filter, decision: 'reject', reasonCode: 'generic', expectedCount: drafts + 1 } }), undefined),
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.matched).toBe(drafts);
    expect(env.db.get<{ n: number }>(sql`SELECT count(*) n FROM review_decisions WHERE reviewer = 'Hal'`)!.n).toBe(0);

    expect((await json(bulk.POST(request('/api/review/bulk', { method: 'POST', body: { filter, decision: 'reject', expectedCount: drafts } }), undefined))).status).toBe(401);

    const ok = await json(
      bulk.POST(request('/api/review/bulk', { method: 'POST', reviewer: 'Hal', body: { filter, decision: 'reject', reasonCode: 'generic', note: 'bulk', expectedCount: drafts } }), undefined),
    );
    expect(ok.status).toBe(200);
    expect(ok.body.saved).toBe(drafts);
    const written = env.db.all<{ n: number; batches: number; personas: number }>(
      sql`SELECT count(*) n, count(DISTINCT batch_id) batches, count(DISTINCT persona_id) personas FROM review_decisions WHERE reviewer = 'Hal'`,
    )[0]!;
    expect(written).toEqual({ n: drafts, batches: 1, personas: drafts });
    expect(env.db.get<{ n: number }>(sql`SELECT count(*) n FROM personas WHERE source_id = 'synthetic-persona-chat' AND status = 'draft'`)!.n).toBe(0);
    // Each one can still be undone on its own.
    const one = await undo('Hal');
    expect(one.body.status).toBe('draft');
  });
});
