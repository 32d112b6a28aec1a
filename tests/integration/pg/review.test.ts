/**
 * The review vertical on PostgreSQL (db/pg/queries/review.ts, reviewLog.ts, reviewQueue.ts) against its SQLite
 * original (db/queries/...): the same small data set seeded into a fresh SQLite database and a throw-away PostgreSQL
 * cluster (tests/support/postgres.ts, one for the file), the same sequence of decisions, bulk decisions, undos,
 * settlements, queue reads and log reads run on both, and the results compared (timestamps by format). Then, on
 * PostgreSQL only: 20 concurrent decisions (one persona, and twenty personas) and concurrent undos from separate pool
 * connections, none lost and each persona's status following the status rule; and the append-only trigger. Without
 * the server binaries the suite is skipped, except under CI, where it fails (.ci/run installs PostgreSQL).
 */
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '@/db/client';
import type { PgDb } from '@/db/pg/client';
import * as pgSchema from '@/db/pg/schema';
import { listPersonaIds as pgListPersonaIds } from '@/db/pg/queries/personas';
import * as pgReview from '@/db/pg/queries/review';
import * as pgLog from '@/db/pg/queries/reviewLog';
import * as pgQueue from '@/db/pg/queries/reviewQueue';
import type { FilterExtras, PersonaQueryFilter } from '@/db/queries/personaFilter';
import { listPersonaIds } from '@/db/queries/personas';
import * as review from '@/db/queries/review';
import * as reviewLog from '@/db/queries/reviewLog';
import * as reviewQueue from '@/db/queries/reviewQueue';
import type { ReviewQueue } from '@/db/queries/reviewQueue';
import * as sqliteSchema from '@/db/schema';
import type { PersonaStatus } from '@/db/schema';
import { describePostgres, useBothDatabases, comparable, maskTimestamps } from '../../support/postgres';


// ---- the data set, seeded on both sides ----

const SOURCE = { id: 'demo', name: 'Demo personas', kind: 'personas' as const, licence: 'MIT', citation: 'test', origin: 'tests' };
const REASONS = [
  { code: 'implausible', label: 'Implausible biography', position: 1 },
  { code: 'duplicate', label: 'Duplicate', position: 2 },
  { code: 'other', label: 'Other', position: 3 },
];
const dup = [{ code: 'duplicate', reason: 'same biography', relatedPersonaId: 2 }];
const PERSONAS = [
  { id: 1, name: 'Ana', narrative: 'A teacher in Lyon who cycles to school every morning.', status: 'measured', flags: [], scores: true, critic: 7 },
  { id: 2, name: 'Ben', narrative: 'A nurse working night shifts in Leeds.', status: 'flagged', flags: dup, scores: true, critic: 4 },
  { id: 3, name: 'Cleo', narrative: 'A retired farmer from Porto, fond of long walks.', status: 'measured', flags: [], scores: true, critic: null },
  { id: 4, name: null, narrative: 'A student of teaching in Graz.', status: 'draft', flags: [], scores: false, critic: 6 },
  { id: 5, name: 'Dov', narrative: 'A baker in Haifa.', status: 'measured', flags: [], scores: true, critic: 5, revision: true },
  { id: 6, name: 'Eli', narrative: 'A software engineer in Oslo, teacher of chess on weekends.', status: 'measured', flags: [{ code: 'short', reason: 'short' }], scores: true, critic: 4 },
  { id: 7, name: 'Fay', narrative: 'A draft persona with flags but no scores.', status: 'flagged', flags: [{ code: 'short', reason: 'short' }], scores: false, critic: null },
] as const;
/** An alignment run whose weights and selection the queue filters read (the current run, passed as runId). */
const RUN = {
  id: 1,
  name: 'run',
  status: 'done' as const,
  seed: 1,
  config: {} as sqliteSchema.AlignmentRun['config'],
  personaIds: [1, 2, 3, 5, 6],
  weights: [0.5, 1.5, 2, 0.1, 1.25],
  selection: [2, 3, 6],
};
/** Personas only PostgreSQL gets, for the concurrency tests. */
const CONCURRENT_IDS = Array.from({ length: 21 }, (_, i) => 100 + i);

function personaRows() {
  return PERSONAS.map((p) => ({
    id: p.id,
    sourceId: SOURCE.id,
    externalId: `p${p.id}`,
    name: p.name,
    narrative: p.narrative,
    status: p.status as PersonaStatus,
    flags: [...p.flags],
    qualityScores: p.critic === null ? null : { realism: { score: p.critic, reason: 'ok' }, coherence: { score: p.critic + 1, reason: 'ok' } },
    metadata: 'revision' in p ? { groupRevision: { groupId: 1 } } : null,
  }));
}
function scoreRows() {
  return PERSONAS.filter((p) => p.scores).flatMap((p) => [
    { personaId: p.id, instrumentId: 'bfi44', E: 3, A: 3.5, C: 4, N: 2, O: 3.2 },
    { personaId: p.id, instrumentId: 'ipip50', E: 3.1, A: 3.6, C: 4.1, N: 2.1, O: 3.3 },
  ]);
}

function seedSqlite(db: Db) {
  db.insert(sqliteSchema.sources).values(SOURCE).run();
  db.insert(sqliteSchema.reasonCodes).values(REASONS).run();
  db.insert(sqliteSchema.personas).values(personaRows()).run();
  db.insert(sqliteSchema.traitScores).values(scoreRows()).run();
  db.insert(sqliteSchema.alignmentRuns).values(RUN).run();
}

async function seedPg(db: PgDb) {
  await db.insert(pgSchema.sources).values(SOURCE);
  await db.insert(pgSchema.reasonCodes).values(REASONS);
  await db.insert(pgSchema.personas).values(personaRows());
  await db.insert(pgSchema.traitScores).values(scoreRows());
  await db.insert(pgSchema.alignmentRuns).values(RUN);
}

/** The concurrency tests' personas (PostgreSQL only, added after the parity run). */
async function seedConcurrent(db: PgDb) {
  await db.insert(pgSchema.personas).values(
    CONCURRENT_IDS.map((id) => ({ id, sourceId: SOURCE.id, externalId: `c${id}`, name: `C${id}`, narrative: 'A concurrency persona.', status: 'measured' as const })),
  );
  await db.insert(pgSchema.traitScores).values(CONCURRENT_IDS.map((personaId) => ({ personaId, instrumentId: 'bfi44', E: 3, A: 3, C: 3, N: 3, O: 3 })));
}

// ---- one API over both sides (SQLite's synchronous functions wrapped in promises) ----

interface QueueArgs {
  queue: ReviewQueue;
  filter: PersonaQueryFilter;
  extras: FilterExtras;
  runId?: number;
}

interface Side {
  decide(personaId: number, input: review.DecisionInput): Promise<review.SaveResult>;
  bulk(filter: PersonaQueryFilter, input: review.DecisionInput & { expectedCount?: number; batchId: string }, extras?: FilterExtras): Promise<review.BulkResult>;
  undo(reviewer: string, decisionId?: number): Promise<review.UndoResult>;
  reasonCodes(): Promise<unknown>;
  decisions(args: { reviewer?: string; personaId?: number; limit?: number; offset?: number }): Promise<reviewLog.DecisionRow[]>;
  reviewers(): Promise<unknown>;
  ratings(): Promise<unknown>;
  settlements(): Promise<unknown>;
  latest(personaId: number): Promise<unknown>;
  queueIds(args: QueueArgs & { limit: number }): Promise<number[]>;
  count(args: QueueArgs): Promise<number>;
  statuses(): Promise<{ id: number; status: string; updated: boolean }[]>;
}

function sqliteSide(db: Db): Side {
  return {
    decide: async (personaId, input) => review.saveReviewDecision({ db, personaId, ...input }),
    bulk: async (filter, input, extras) => review.saveBulkDecisions({ db, ...input, selectIds: (tx) => listPersonaIds({ db: tx, filter, runId: RUN.id, extras }) }),
    undo: async (reviewer, decisionId) => review.undoReviewDecision({ db, reviewer, decisionId }),
    reasonCodes: async () => review.listReasonCodes({ db }),
    decisions: async (args) => reviewLog.listDecisions({ db, ...args }),
    reviewers: async () => reviewLog.listReviewers({ db }),
    ratings: async () => reviewLog.listCurrentRatings({ db }),
    settlements: async () => reviewLog.listLatestSettlements({ db }),
    latest: async (personaId) => reviewLog.getLatestDecision({ db, personaId }),
    queueIds: async (args) => reviewQueue.listQueueIds({ db, ...args, runId: args.runId ?? null }),
    count: async (args) => reviewQueue.countQueue({ db, ...args, runId: args.runId ?? null }),
    statuses: async () =>
      db
        .all<{ id: number; status: string; updated: number }>(sql`SELECT id, status, updated_at IS NOT NULL AS updated FROM personas WHERE id < 100 ORDER BY id`)
        .map((r) => ({ ...r, updated: r.updated === 1 })),
  };
}

function pgSide(db: PgDb): Side {
  return {
    decide: (personaId, input) => pgReview.saveReviewDecision({ db, personaId, ...input }),
    bulk: (filter, input, extras) => pgReview.saveBulkDecisions({ db, ...input, selectIds: (tx) => pgListPersonaIds({ db: tx, filter, runId: RUN.id, extras }) }),
    undo: (reviewer, decisionId) => pgReview.undoReviewDecision({ db, reviewer, decisionId }),
    reasonCodes: () => pgReview.listReasonCodes({ db }),
    decisions: (args) => pgLog.listDecisions({ db, ...args }),
    reviewers: () => pgLog.listReviewers({ db }),
    ratings: () => pgLog.listCurrentRatings({ db }),
    settlements: () => pgLog.listLatestSettlements({ db }),
    latest: (personaId) => pgLog.getLatestDecision({ db, personaId }),
    queueIds: (args) => pgQueue.listQueueIds({ db, ...args, runId: args.runId ?? null }),
    count: (args) => pgQueue.countQueue({ db, ...args, runId: args.runId ?? null }),
    statuses: async () =>
      (await db.execute<{ id: number; status: string; updated: boolean }>(sql`SELECT id, status, updated_at IS NOT NULL AS updated FROM personas WHERE id < 100 ORDER BY id`)).rows,
  };
}

const TIME_KEYS = ['createdAt', 'updatedAt', 'first', 'last'];

/** A result with its timestamps checked for SQLite's format and replaced by a marker (values differ by side). */
function normalise(x: unknown): unknown {
  return comparable(x, { entry: maskTimestamps(TIME_KEYS) });
}

const QUEUES: QueueArgs[] = [
  { queue: 'pool', filter: {}, extras: {} },
  { queue: 'pool', filter: {}, extras: { pending: true } },
  { queue: 'pool', filter: {}, extras: { secondOpinionFor: 'bob' } },
  { queue: 'pool', filter: {}, extras: { riskAfter: [0, 4, 2] } },
  { queue: 'pool', filter: {}, extras: { riskAfter: [1, 1e9, 3] } },
  { queue: 'drafts', filter: {}, extras: {} },
  { queue: 'all', filter: { q: 'teach' }, extras: {} },
  { queue: 'all', filter: { flag: ['none'] }, extras: {} },
  { queue: 'all', filter: { flag: ['duplicate', 'short'], status: ['flagged', 'measured', 'accepted'] }, extras: {} },
  { queue: 'all', filter: { criticMin: 4.5, Emin: 3.05 }, extras: { ids: [1, 2, 3, 4, 5] } },
  { queue: 'all', filter: {}, extras: { ids: [] } },
  { queue: 'all', filter: { selected: 'yes' }, extras: {}, runId: RUN.id },
  { queue: 'all', filter: { selected: 'no', q: 'teacher' }, extras: {}, runId: RUN.id },
  { queue: 'pool', filter: { weightMin: 1, weightMax: 1.6 }, extras: { pending: true }, runId: RUN.id },
  { queue: 'pool', filter: { selected: 'yes' }, extras: {} },
];

/** The same sequence on either side; returns everything it read, in order. */
async function scenario(s: Side): Promise<unknown[]> {
  const out: unknown[] = [];
  const snapshot = async (label: string) => {
    out.push([label, 'statuses', await s.statuses()]);
    for (const q of QUEUES) {
      out.push([label, 'queue', q, await s.queueIds({ ...q, limit: 3 }), await s.queueIds({ ...q, limit: 50 }), await s.count(q)]);
    }
  };
  out.push(await s.reasonCodes());
  await snapshot('start');
  out.push(await s.decide(1, { reviewer: 'alice', decision: 'accept' }));
  out.push(await s.decide(2, { reviewer: 'alice', decision: 'reject', reasonCode: 'duplicate', note: 'same as 1' }));
  out.push(await s.decide(2, { reviewer: 'bob', decision: 'accept' }));
  out.push(await s.decide(3, { reviewer: 'bob', decision: 'reject', reasonCode: 'nope' }));
  out.push(await s.decide(999, { reviewer: 'bob', decision: 'reject' }));
  out.push(await s.decide(6, { reviewer: 'bob', decision: 'reject', reasonCode: 'implausible' }));
  await snapshot('decided');
  out.push(await s.bulk({ status: ['measured'] }, { reviewer: 'carol', decision: 'accept', batchId: 'b1', expectedCount: 99 }));
  out.push(await s.bulk({ status: ['measured'] }, { reviewer: 'carol', decision: 'accept', reasonCode: 'nope', batchId: 'b1' }));
  out.push(await s.bulk({ status: ['measured'] }, { reviewer: 'carol', decision: 'accept', batchId: 'b1', expectedCount: 2 }));
  out.push(await s.bulk({ selected: 'yes', weightMin: 1.4 }, { reviewer: 'erin', decision: 'reject', reasonCode: 'other', batchId: 'b0', expectedCount: 2 }));
  out.push(await s.bulk({ q: 'teacher' }, { reviewer: 'carol', decision: 'reject', reasonCode: 'other', batchId: 'b2' }, { pending: true }));
  await snapshot('bulk');
  out.push(await s.decide(2, { reviewer: 'dora', decision: 'reject', reasonCode: 'duplicate', settlement: true }));
  out.push(await s.decide(2, { reviewer: 'dora', decision: 'accept', settlement: true }));
  out.push(await s.decide(1, { reviewer: 'dora', decision: 'reject', settlement: true }));
  out.push(await s.undo('bob'));
  out.push(await s.undo('bob'));
  out.push(await s.undo('alice', 2));
  out.push(await s.undo('bob', 1));
  out.push(await s.undo('alice', 1));
  out.push(await s.undo('alice', 1));
  out.push(await s.undo('alice', 999));
  out.push(await s.undo('carol'));
  out.push(await s.undo('dora'));
  out.push(await s.undo('erin'));
  out.push(await s.undo('bob'));
  out.push(await s.undo('bob'));
  await snapshot('undone');
  out.push(await s.decisions({}));
  out.push(await s.decisions({ limit: 4 }), await s.decisions({ limit: 4, offset: 4 }), await s.decisions({ limit: 4, offset: 100 }));
  out.push(await s.decisions({ reviewer: 'bob' }), await s.decisions({ personaId: 2, limit: 2, offset: 1 }), await s.decisions({ reviewer: 'carol', personaId: 6 }));
  out.push(await s.reviewers(), await s.ratings(), await s.settlements());
  for (const id of [1, 2, 3, 4, 5, 6, 7, 999]) out.push(await s.latest(id));
  return out;
}

describePostgres('PostgreSQL review', () => {
  let db: PgDb, lite: Db;
  useBothDatabases({ pool: { max: 25 }, seedPg, seedSqlite }, (both) => ({ db, lite } = both));

  it('gives the results SQLite gives for the same decisions, bulk decisions, undos, settlements, queue and log reads', async () => {
    const fromSqlite = await scenario(sqliteSide(lite));
    const fromPg = await scenario(pgSide(db));
    expect(normalise(fromPg)).toEqual(normalise(fromSqlite));
    // the scenario did something: decisions of every kind, refusals and a settlement in effect
    const log = await pgLog.listDecisions({ db });
    expect(new Set(log.map((d) => d.decision))).toEqual(new Set(['accept', 'reject', 'undo']));
    expect(log.some((d) => d.settlement && d.undoneById === null)).toBe(true);
    expect(log.some((d) => d.batchId === 'b1')).toBe(true);
  });

  /** The status rule (db/queries/review.ts), read from the stored log of a persona whose pre-review status was measured. */
  async function expectStatusFollowsLog(personaId: number) {
    const rows = (await pgLog.listDecisions({ db, personaId, limit: 1000 })).reverse();
    const undone = new Set(rows.filter((r) => r.decision === 'undo').map((r) => r.undoesId));
    const effective = rows.filter((r) => r.decision !== 'undo' && !undone.has(r.id));
    const last = effective.at(-1);
    const expected = last ? (last.decision === 'accept' ? 'accepted' : 'rejected') : 'measured';
    const [p] = await db.select({ status: pgSchema.personas.status }).from(pgSchema.personas).where(eq(pgSchema.personas.id, personaId));
    expect(p!.status).toBe(expected);
    expect(await pgReview.statusFromDecisions(db, personaId)).toBe(expected);
    // serialised: every row starts from the status the previous one left
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.statusBefore, `decision ${rows[i]!.id}`).toBe(rows[i - 1]!.statusAfter);
    return rows;
  }

  it('serialises 20 concurrent decisions on one persona: each stored once, none lost, the status follows the log', async () => {
    await seedConcurrent(db);
    const personaId = CONCURRENT_IDS[0]!;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pgReview.saveReviewDecision({ db, personaId, reviewer: `r${i % 4}`, decision: i % 3 === 0 ? 'reject' : 'accept', note: `n${i}` }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const rows = await expectStatusFollowsLog(personaId);
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r.note).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`).sort());
    const ids = results.map((r) => (r.ok ? r.decision.id : 0));
    expect(new Set(ids).size).toBe(20);
    expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  });

  it('runs 20 concurrent decisions on 20 personas: each stored once with its persona status', async () => {
    const targets = CONCURRENT_IDS.slice(1);
    const results = await Promise.all(
      targets.map((personaId, i) => pgReview.saveReviewDecision({ db, personaId, reviewer: 'wide', decision: i % 2 ? 'accept' : 'reject' })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    for (const [i, personaId] of targets.entries()) {
      const rows = await expectStatusFollowsLog(personaId);
      expect(rows.map((r) => [r.decision, r.statusBefore, r.statusAfter])).toEqual([[i % 2 ? 'accept' : 'reject', 'measured', i % 2 ? 'accepted' : 'rejected']]);
    }
  });

  it('serialises concurrent undos, decisions and a bulk decision: every undo takes a different decision', async () => {
    const personaId = CONCURRENT_IDS[0]!;
    const undos = await Promise.all([
      ...Array.from({ length: 6 }, () => pgReview.undoReviewDecision({ db, reviewer: 'r1' })),
      ...Array.from({ length: 6 }, (_, i) => pgReview.saveReviewDecision({ db, personaId, reviewer: 'r2', decision: i % 2 ? 'accept' : 'reject' })),
      pgReview.saveBulkDecisions({
        db,
        reviewer: 'bulk',
        decision: 'accept',
        batchId: 'cb',
        selectIds: (tx) => pgListPersonaIds({ db: tx, filter: {}, extras: { ids: CONCURRENT_IDS.slice(0, 5) } }),
      }),
    ]);
    // r1 has 5 decisions in effect (on the first persona): 5 undos take one each, the sixth finds nothing
    const undoResults = undos.slice(0, 6);
    expect(undoResults.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'nothing_to_undo' }]);
    const undone = undoResults.flatMap((r) => (r.ok && 'undone' in r ? [r.undone.id] : []));
    expect(new Set(undone).size).toBe(5);
    expect(undos.slice(6).every((r) => r.ok)).toBe(true);
    for (const id of CONCURRENT_IDS.slice(0, 5)) await expectStatusFollowsLog(id);
    const rows = await pgLog.listDecisions({ db, personaId, limit: 1000 });
    expect(rows).toHaveLength(20 + 5 + 6 + 1);
  });

  it('refuses to change or delete a decision (append-only)', async () => {
    const refused = async (p: Promise<unknown>) => {
      const e = await p.then(
        () => null,
        (err: unknown) => ((err as { cause?: unknown }).cause ?? err) as { message: string; code?: string },
      );
      expect(e).not.toBeNull();
      return e!;
    };
    const update = await refused(db.update(pgSchema.reviewDecisions).set({ note: 'changed' }).where(eq(pgSchema.reviewDecisions.personaId, 1)));
    expect(update.code).toBe('23001');
    expect(update.message).toContain('append-only');
    expect((await refused(db.execute(sql`DELETE FROM review_decisions WHERE persona_id = 1`))).code).toBe('23001');
    const notes = await db.select({ note: pgSchema.reviewDecisions.note }).from(pgSchema.reviewDecisions).where(eq(pgSchema.reviewDecisions.personaId, 1));
    expect(notes.some((n) => n.note === 'changed')).toBe(false);
  });
});
