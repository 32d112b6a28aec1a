/**
 * The PostgreSQL twins of the sign-in, audit and LLM-cache queries (db/pg/queries/users, sessions, audit, llmCalls)
 * against a throw-away PostgreSQL 15+ cluster (tests/support/postgres.ts, one for the file): the same sequence of calls
 * on a fresh SQLite database and on PostgreSQL gives the same results (ids, order, flags, errors; timestamps in the
 * same text form), the call cache under concurrent writers on separate connections, and the append-only audit log.
 * Without the server binaries the suite is skipped, except under CI, where it fails (.ci/run installs PostgreSQL).
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { openPgDatabase, type PgDatabase, type PgDb } from '@/db/pg/client';
import * as pgAudit from '@/db/pg/queries/audit';
import * as pgLlmCalls from '@/db/pg/queries/llmCalls';
import * as pgSessions from '@/db/pg/queries/sessions';
import * as pgUsers from '@/db/pg/queries/users';
import * as pgSchema from '@/db/pg/schema';
import { auditLog, llmCalls } from '@/db/pg/schema';
import * as sqAudit from '@/db/queries/audit';
import * as sqLlmCalls from '@/db/queries/llmCalls';
import * as sqSessions from '@/db/queries/sessions';
import * as sqUsers from '@/db/queries/users';
import { describePostgres, useBothDatabases, type TestPostgres, comparable, maskTimestamps, SQLITE_TIMESTAMP } from '../../support/postgres';



/** The query modules as the PostgreSQL side types them; the SQLite modules are called through the same shape. */
interface Api {
  users: typeof pgUsers;
  sessions: typeof pgSessions;
  audit: typeof pgAudit;
  llm: typeof pgLlmCalls;
}
const pgApi: Api = { users: pgUsers, sessions: pgSessions, audit: pgAudit, llm: pgLlmCalls };
/** The SQLite functions return their results directly; awaiting a plain value gives it back. */
const sqliteApi = { users: sqUsers, sessions: sqSessions, audit: sqAudit, llm: sqLlmCalls } as unknown as Api;

/** The outcome of a call: its result with created_at replaced by a marker once its form is checked, or its error. */
async function outcome(p: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    return normalise(await (typeof p === 'function' ? p() : p));
  } catch {
    return { threw: true };
  }
}

function normalise(v: unknown): unknown {
  return comparable(v, { entry: maskTimestamps(['createdAt'], { nullable: false }) });
}

const T = '2025-06-01T12:00:00.000Z';
const plus = (ms: number) => new Date(Date.parse(T) + ms).toISOString();

function call(hash: string, over: Partial<sqLlmCalls.LlmCallRecord> = {}): sqLlmCalls.LlmCallRecord {
  return {
    requestHash: hash,
    role: 'persona',
    model: 'gpt-test',
    promptVersion: 'v1',
    params: { temperature: 0.7, seed: 1 },
    request: { messages: [{ role: 'user', content: `prompt ${hash}` }] },
    response: 'ok',
    error: null,
    tokensIn: 10,
    tokensOut: 20,
    latencyMs: 30,
    ...over,
  };
}

/** One sequence of calls over the four modules; the transcript of every outcome, in order. */
async function script(api: Api, db: never): Promise<Record<string, unknown>> {
  const { users, sessions, audit, llm } = api;
  const t: Record<string, unknown> = {};
  const step = async (name: string, p: () => Promise<unknown>) => {
    expect(t, `step ${name} twice`).not.toHaveProperty(name);
    t[name] = await outcome(p);
  };

  // accounts
  await step('create alice', () => users.createUser({ db, username: 'alice', passwordHash: 'h-alice', role: 'admin' }));
  await step('create bob', () => users.createUser({ db, username: 'bob', passwordHash: 'h-bob', role: 'viewer' }));
  await step('create Carol', () => users.createUser({ db, username: 'Carol', passwordHash: 'h-carol', role: 'reviewer' }));
  let duplicate = '';
  try {
    await users.createUser({ db, username: 'alice', passwordHash: 'other', role: 'viewer' });
  } catch (e) {
    duplicate = (e as Error).message;
  }
  t['duplicate alice'] = duplicate;
  await step('create ALICE (case matters)', () => users.createUser({ db, username: 'ALICE', passwordHash: 'h-ALICE', role: 'viewer' }));
  await step('create aaron (next id, no gap)', () => users.createUser({ db, username: 'aaron', passwordHash: 'h-aaron', role: 'reviewer' }));
  await step('by name alice', () => users.getUserByUsername({ db, username: 'alice' }));
  await step('by name Alice', () => users.getUserByUsername({ db, username: 'Alice' }));
  await step('by id 2', () => users.getUserById({ db, id: 2 }));
  await step('by id 99', () => users.getUserById({ db, id: 99 }));
  await step('list', () => users.listUsers({ db }));
  await step('disable bob', () => users.setUserDisabled({ db, username: 'bob', disabled: true }));
  await step('disable ghost', () => users.setUserDisabled({ db, username: 'ghost', disabled: true }));
  await step('disable Bob (case matters)', () => users.setUserDisabled({ db, username: 'Bob', disabled: true }));
  await step('password alice', () => users.setUserPasswordHash({ db, username: 'alice', passwordHash: 'h-alice-2' }));
  await step('password ghost', () => users.setUserPasswordHash({ db, username: 'ghost', passwordHash: 'x' }));
  await step('alice after', () => users.getUserByUsername({ db, username: 'alice' }));
  await step('list after', () => users.listUsers({ db }));

  // sessions
  const alice = 1;
  const bob = 2;
  const carol = 3;
  await step('session s1 (alice, live)', () => sessions.insertSession({ db, id: 's1', userId: alice, expiresAt: plus(3_600_000), csrfToken: 'c1' }));
  await step('session s2 (bob, disabled)', () => sessions.insertSession({ db, id: 's2', userId: bob, expiresAt: plus(3_600_000), csrfToken: 'c2' }));
  await step('session s3 (alice, expired)', () => sessions.insertSession({ db, id: 's3', userId: alice, expiresAt: plus(-1), csrfToken: 'c3' }));
  await step('session s4 (carol, expires now)', () => sessions.insertSession({ db, id: 's4', userId: carol, expiresAt: T, csrfToken: 'c4' }));
  await step('session s5 (carol, live)', () => sessions.insertSession({ db, id: 's5', userId: carol, expiresAt: plus(60_000), csrfToken: 'c5' }));
  await step('session s1 again', () => sessions.insertSession({ db, id: 's1', userId: bob, expiresAt: plus(1), csrfToken: 'x' }));
  await step('session of no user', () => sessions.insertSession({ db, id: 's9', userId: 99, expiresAt: plus(1), csrfToken: 'x' }));
  for (const id of ['s1', 's2', 's3', 's4', 's5', 'nope']) await step(`live ${id}`, () => sessions.getLiveSession({ db, id, now: T }));
  await step('live s1 at expiry', () => sessions.getLiveSession({ db, id: 's1', now: plus(3_600_000) }));
  await step('live s1 just before expiry', () => sessions.getLiveSession({ db, id: 's1', now: plus(3_599_999) }));
  await step('sign out s1', () => sessions.deleteSession({ db, id: 's1' }));
  await step('live s1 after sign-out', () => sessions.getLiveSession({ db, id: 's1', now: T }));
  await step('sign out s1 again', () => sessions.deleteSession({ db, id: 's1' }));
  await step('purge expired at T', () => sessions.deleteExpiredSessions({ db, now: T }));
  await step('purge expired at T again', () => sessions.deleteExpiredSessions({ db, now: T }));
  await step('end sessions of bob', () => sessions.deleteSessionsOfUser({ db, userId: bob }));
  await step('end sessions of bob again', () => sessions.deleteSessionsOfUser({ db, userId: bob }));
  await step('enable bob', () => users.setUserDisabled({ db, username: 'bob', disabled: false }));
  await step('session s6 (bob, enabled again)', () => sessions.insertSession({ db, id: 's6', userId: bob, expiresAt: plus(1), csrfToken: 'c6' }));
  await step('live s6', () => sessions.getLiveSession({ db, id: 's6', now: T }));
  await step('live s5 before purge', () => sessions.getLiveSession({ db, id: 's5', now: T }));
  await step('purge expired later', () => sessions.deleteExpiredSessions({ db, now: plus(60_000) }));
  await step('live s5 after purge', () => sessions.getLiveSession({ db, id: 's5', now: T }));

  // audit log
  await step('audit 1', () => audit.appendAuditEntry({ db, entry: { actor: 'alice', action: 'delete', entity: 'run', entityId: 7, details: { name: 'run seven', personas: 120, nested: { a: [1, 2], b: null } } } }));
  await step('audit 2', () => audit.appendAuditEntry({ db, entry: { actor: null, action: 'delete', entity: 'export', entityId: 'exp-1', details: {} } }));
  await step('audit 3', () => audit.appendAuditEntry({ db, entry: { actor: 'bob', action: 'delete', entity: 'run', entityId: '8', details: { reason: 'old', unicode: 'é 漢字' } } }));
  await step('audit 4', () => audit.appendAuditEntry({ db, entry: { actor: 'alice', action: 'delete', entity: 'run', entityId: 7, details: { again: true } } }));
  await step('audit all', () => audit.listAuditEntries({ db }));
  await step('audit runs', () => audit.listAuditEntries({ db, entity: 'run' }));
  await step('audit run 7 (number)', () => audit.listAuditEntries({ db, entity: 'run', entityId: 7 }));
  await step('audit run 8 (text)', () => audit.listAuditEntries({ db, entity: 'run', entityId: '8' }));
  await step('audit id 7 of any entity', () => audit.listAuditEntries({ db, entityId: 7 }));
  await step('audit of no entity', () => audit.listAuditEntries({ db, entity: 'nothing' }));

  // LLM call cache
  await step('count empty', () => llm.countLlmCalls({ db }));
  await step('save h1 (failed)', () => llm.saveLlmCall({ db, call: call('h1', { response: null, error: 'timeout', tokensIn: null, tokensOut: null, latencyMs: 9000 }) }));
  await step('save h2', () => llm.saveLlmCall({ db, call: call('h2') }));
  await step('save h3 (failed)', () => llm.saveLlmCall({ db, call: call('h3', { response: null, error: '429', tokensIn: null, tokensOut: null }) }));
  await step('count before retry', () => llm.countLlmCalls({ db }));
  await step('failed before retry', () => llm.listFailedLlmCalls({ db }));
  await step('save h1 (retried, same id)', () => llm.saveLlmCall({ db, call: call('h1', { model: 'not-updated', params: { temperature: 0.2 } }) }));
  await step('save h4 (next id: the retry used one up)', () => llm.saveLlmCall({ db, call: call('h4', { request: 'a plain string request' }) }));
  await step('get h1', () => llm.getLlmCallByHash({ db, requestHash: 'h1' }));
  await step('get h4', () => llm.getLlmCallByHash({ db, requestHash: 'h4' }));
  await step('get missing', () => llm.getLlmCallByHash({ db, requestHash: 'nope' }));
  await step('get id 2', () => llm.getLlmCallById({ db, id: 2 }));
  await step('get id 99', () => llm.getLlmCallById({ db, id: 99 }));
  await step('save h5 (failed)', () => llm.saveLlmCall({ db, call: call('h5', { response: null, error: 'bad json' }) }));
  await step('count', () => llm.countLlmCalls({ db }));
  await step('failed', () => llm.listFailedLlmCalls({ db }));
  await step('failed limit 1', () => llm.listFailedLlmCalls({ db, limit: 1 }));
  await step('failed limit 0', () => llm.listFailedLlmCalls({ db, limit: 0 }));
  await step('failed no limit', () => llm.listFailedLlmCalls({ db, limit: -1 }));
  return t;
}

/** The error PostgreSQL raised for a failed query (drizzle wraps it as the cause). */
async function pgError(p: Promise<unknown>): Promise<{ message: string; code?: string }> {
  try {
    await p;
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause ?? e;
    return { message: (cause as Error).message, code: (cause as { code?: string }).code };
  }
  throw new Error('the query succeeded');
}

describePostgres('PostgreSQL sign-in, audit and LLM-cache queries', () => {
  let server: TestPostgres, pg: PgDatabase, db: PgDb, sqlite: Db;
  useBothDatabases({ pool: { max: 24 } }, (both) => ({ server, pg, db, lite: sqlite } = both));

  it('give the results SQLite gives for the same calls (ids, order, flags, errors, timestamp form)', async () => {
    const onSqlite = await script(sqliteApi, sqlite as never);
    const onPg = await script(pgApi, db as never);
    expect(onPg).toEqual(onSqlite);
    // the transcript holds what it should (a broken script would make both sides agree on nothing)
    expect(onSqlite['duplicate alice']).toBe('UNIQUE constraint failed: users.username');
    expect(onSqlite['create aaron (next id, no gap)']).toMatchObject({ id: 5, username: 'aaron' });
    expect((onSqlite['list'] as { username: string }[]).map((u) => u.username)).toEqual(['ALICE', 'Carol', 'aaron', 'alice', 'bob']);
    expect(onSqlite['live s1']).toEqual({ id: 's1', expiresAt: plus(3_600_000), csrfToken: 'c1', userId: 1, username: 'alice', role: 'admin' });
    expect(onSqlite['live s2']).toBeUndefined();
    expect(onSqlite['purge expired at T']).toBe(2);
    expect(onSqlite['session s1 again']).toEqual({ threw: true });
    expect((onSqlite['audit run 7 (number)'] as { id: number }[]).map((r) => r.id)).toEqual([1, 4]);
    expect(onSqlite['save h1 (retried, same id)']).toBe(1);
    expect(onSqlite['save h4 (next id: the retry used one up)']).toBe(5);
    expect(onSqlite['count']).toEqual({ total: 5, failed: 2, succeeded: 3 });
    expect((onSqlite['failed'] as { id: number }[]).map((r) => r.id)).toEqual([6, 3]);
    // the rows read back from PostgreSQL carry the same created_at form as SQLite's default
    const stamps = await db.execute<{ created_at: string }>(sql`SELECT created_at FROM users UNION ALL SELECT created_at FROM sessions UNION ALL SELECT created_at FROM audit_log UNION ALL SELECT created_at FROM llm_calls`);
    expect(stamps.rows.length).toBeGreaterThan(10);
    for (const r of stamps.rows) expect(r.created_at).toMatch(SQLITE_TIMESTAMP);
  });

  it('order usernames by bytes as SQLite does, on a database whose default collation is not C', async () => {
    const name = 'populace_icu';
    await db.execute(sql.raw(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`));
    const icu = await openPgDatabase(server.url.replace(/\/[^/]+$/, `/${name}`));
    try {
      for (const username of ['bob', 'Carol', 'alice', 'ALICE', 'aaron', 'Bob']) await pgUsers.createUser({ db: icu.db, username, passwordHash: 'h', role: 'viewer' });
      // the database's own order differs: the byte order is the point
      const natural = await icu.db.execute<{ username: string }>(sql`SELECT username FROM users ORDER BY username`);
      expect(natural.rows.map((r) => r.username)).not.toEqual(['ALICE', 'Bob', 'Carol', 'aaron', 'alice', 'bob']);
      expect((await pgUsers.listUsers({ db: icu.db })).map((u) => u.username)).toEqual(['ALICE', 'Bob', 'Carol', 'aaron', 'alice', 'bob']);
      expect((await pgUsers.getUserByUsername({ db: icu.db, username: 'Alice' }))).toBeUndefined();
    } finally {
      await icu.close();
    }
  });

  describe('the LLM call cache under concurrent writers on separate connections', () => {
    /** `n` connections checked out of the pool at once, each with its own drizzle handle. */
    async function connections<T>(n: number, use: (dbs: PgDb[]) => Promise<T>): Promise<T> {
      const clients = await Promise.all(Array.from({ length: n }, () => pg.pool.connect()));
      try {
        const pids = await Promise.all(clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
        expect(new Set(pids).size).toBe(n);
        return await use(clients.map((c) => drizzle(c, { schema: pgSchema }) as unknown as PgDb));
      } finally {
        for (const c of clients) c.release();
      }
    }

    it('store one row for 20 writes of the same key, every writer getting its id, none failing', async () => {
      const ids = await connections(20, (dbs) =>
        Promise.all(dbs.map((d, i) => pgLlmCalls.saveLlmCall({ db: d, call: call('race-same', { response: `answer ${i}`, latencyMs: i }) }))),
      );
      const rows = await db.select().from(llmCalls).where(sql`${llmCalls.requestHash} = 'race-same'`);
      expect(rows).toHaveLength(1);
      expect(new Set(ids)).toEqual(new Set([rows[0]!.id]));
      // the row holds one writer's call whole
      expect(rows[0]!.response).toBe(`answer ${rows[0]!.latencyMs}`);
      expect(await pgLlmCalls.getLlmCallByHash({ db, requestHash: 'race-same' })).toEqual(rows[0]);
    });

    it('store one row per key for 20 writes of different keys, and one per key when 20 writers share 4 keys', async () => {
      const ids = await connections(20, (dbs) => Promise.all(dbs.map((d, i) => pgLlmCalls.saveLlmCall({ db: d, call: call(`race-key-${i}`) }))));
      expect(new Set(ids).size).toBe(20);
      const stored = await db.execute<{ request_hash: string; n: number }>(
        sql`SELECT request_hash, count(*)::integer AS n FROM llm_calls WHERE request_hash LIKE 'race-key-%' GROUP BY request_hash`,
      );
      expect(stored.rows).toHaveLength(20);
      expect(stored.rows.every((r) => r.n === 1)).toBe(true);

      const shared = await connections(20, (dbs) => Promise.all(dbs.map((d, i) => pgLlmCalls.saveLlmCall({ db: d, call: call(`race-shared-${i % 4}`, { error: i % 2 ? 'x' : null }) }))));
      const byKey = await db.execute<{ request_hash: string; id: number }>(sql`SELECT request_hash, id FROM llm_calls WHERE request_hash LIKE 'race-shared-%' ORDER BY request_hash`);
      expect(byKey.rows).toHaveLength(4);
      shared.forEach((id, i) => expect(id).toBe(byKey.rows.find((r) => r.request_hash === `race-shared-${i % 4}`)!.id));
    });
  });

  describe('the audit log', () => {
    it('refuses UPDATE and DELETE of its entries and leaves them unchanged', async () => {
      const entry = await pgAudit.appendAuditEntry({ db, entry: { actor: 'alice', action: 'delete', entity: 'export', entityId: 'kept', details: { n: 1 } } });
      const update = await pgError(db.update(auditLog).set({ actor: 'mallory' }).where(sql`${auditLog.id} = ${entry.id}`));
      expect(update).toEqual({ message: 'audit_log is append-only: entries are never changed', code: '23001' });
      const del = await pgError(db.delete(auditLog).where(sql`${auditLog.id} = ${entry.id}`));
      expect(del).toEqual({ message: 'audit_log is append-only: entries are never removed', code: '23001' });
      expect((await pgError(db.execute(sql`DELETE FROM audit_log`))).code).toBe('23001');
      expect(await pgAudit.listAuditEntries({ db, entity: 'export', entityId: 'kept' })).toEqual([entry]);
    });

    it('writes an entry inside a transaction: stored with the change, or not at all when it rolls back', async () => {
      const before = (await pgAudit.listAuditEntries({ db })).length;
      await expect(
        db.transaction(async (tx) => {
          await pgAudit.appendAuditEntry({ db: tx, entry: { actor: null, action: 'delete', entity: 'run', entityId: 'rolled-back', details: {} } });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await pgAudit.listAuditEntries({ db, entityId: 'rolled-back' })).toEqual([]);
      const kept = await db.transaction((tx) => pgAudit.appendAuditEntry({ db: tx, entry: { actor: null, action: 'delete', entity: 'run', entityId: 'committed', details: {} } }));
      expect(await pgAudit.listAuditEntries({ db, entityId: 'committed' })).toEqual([kept]);
      expect((await pgAudit.listAuditEntries({ db })).length).toBe(before + 1);
    });
  });
});
