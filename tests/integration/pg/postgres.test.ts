/**
 * The PostgreSQL side of the data model against a real throw-away PostgreSQL 15+ cluster (tests/support/postgres.ts,
 * one for the file): migrations (fresh, again, twice at once), the live schema against the SQLite schema, the
 * min_critic_score trigger, full-text search over demo personas, the append-only tables, and the job-unit claim (claimJobUnits) with
 * FOR UPDATE SKIP LOCKED under concurrent claimers. Without the server binaries the suite is skipped, except under CI,
 * where it fails (.ci/run installs PostgreSQL).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { asc, eq, getTableName, is, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJobUnits, type ClaimedUnit } from '@/db/pg/queries/jobUnits';
import { openPgDatabase, pgMigrationsFolder, type PgDatabase, type PgDb } from '@/db/pg/client';
import * as pgSchema from '@/db/pg/schema';
import { auditLog, jobs, jobUnits, personas, reasonCodes, reviewDecisions, sources } from '@/db/pg/schema';
import { searchPersonasPg } from '@/db/pg/search';
import * as sqliteSchema from '@/db/schema';
import { describePostgres, SQLITE_TIMESTAMP, startPostgres, type TestPostgres } from '../../support/postgres';


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

const journal = JSON.parse(readFileSync(path.join(pgMigrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };

describePostgres('PostgreSQL', () => {
  let server: TestPostgres;
  let pg: PgDatabase;
  let db: PgDb;

  beforeAll(async () => {
    server = await startPostgres();
    pg = await openPgDatabase(server.url);
    db = pg.db;
    await db.insert(sources).values({ id: 'demo', name: 'Demo personas', kind: 'personas', licence: 'MIT', citation: 'test', origin: 'db/seed-data' });
  }, 60_000);

  afterAll(async () => {
    await pg?.close();
    await server?.stop();
  }, 60_000);

  describe('migrations', () => {
    const applied = async (d: PgDb) => (await d.execute<{ n: number }>(sql`SELECT count(*)::integer AS n FROM drizzle.__drizzle_migrations`)).rows[0]!.n;

    it('apply on an empty database (PostgreSQL 15 or later), and a second open is a no-op', async () => {
      expect(Number(server.version.split('.')[0])).toBeGreaterThanOrEqual(15);
      expect(journal.entries.length).toBeGreaterThanOrEqual(2);
      expect(await applied(db)).toBe(journal.entries.length);
      const again = await openPgDatabase(server.url);
      try {
        expect(await applied(again.db)).toBe(journal.entries.length);
      } finally {
        await again.close();
      }
      expect(await applied(db)).toBe(journal.entries.length);
    });

    it('apply once when two pools (as two processes would) open a new database at the same time', async () => {
      await db.execute(sql`CREATE DATABASE populace_twice`);
      const url = server.url.replace(/\/[^/]+$/, '/populace_twice');
      const both = await Promise.all([openPgDatabase(url), openPgDatabase(url)]);
      try {
        expect(await applied(both[0].db)).toBe(journal.entries.length);
        const tables = await both[1].db.execute<{ n: number }>(sql`SELECT count(*)::integer AS n FROM information_schema.tables WHERE table_schema = 'public'`);
        expect(tables.rows[0]!.n).toBe(27);
      } finally {
        await Promise.all(both.map((b) => b.close()));
      }
    });

    it('create every table and column of the SQLite schema with a compatible type and the same nullability', async () => {
      const live = await db.execute<{ table_name: string; column_name: string; data_type: string; is_nullable: 'YES' | 'NO'; is_generated: string }>(sql`
        SELECT table_name, column_name, data_type, is_nullable, is_generated FROM information_schema.columns WHERE table_schema = 'public'`);
      const byTable = new Map<string, Map<string, (typeof live.rows)[number]>>();
      for (const r of live.rows) byTable.set(r.table_name, (byTable.get(r.table_name) ?? new Map()).set(r.column_name, r));
      const compatible: Record<string, string[]> = {
        SQLiteInteger: ['integer', 'bigint'],
        SQLiteBoolean: ['boolean'],
        SQLiteReal: ['double precision'],
        SQLiteText: ['text'],
        SQLiteTextJson: ['jsonb', 'json'],
        SQLiteBlobBuffer: ['bytea'],
      };
      const tables = (Object.values(sqliteSchema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable));
      expect([...byTable.keys()].sort()).toEqual(tables.map((t) => getTableName(t)).sort());
      for (const table of tables) {
        const cfg = sqliteTableConfig(table);
        const cols = byTable.get(cfg.name)!;
        const extra = cfg.name === 'personas' ? ['search'] : [];
        expect([...cols.keys()].sort(), cfg.name).toEqual([...cfg.columns.map((c) => c.name), ...extra].sort());
        for (const c of cfg.columns) {
          const l = cols.get(c.name)!;
          expect(compatible[c.columnType], `${cfg.name}.${c.name}`).toContain(l.data_type);
          expect(l.is_nullable === 'NO', `${cfg.name}.${c.name} not null`).toBe(c.notNull);
        }
      }
      expect(byTable.get('personas')!.get('search')).toMatchObject({ data_type: 'tsvector', is_generated: 'ALWAYS' });
      // the SQLite indexes, with the same uniqueness
      const idx = await db.execute<{ indexname: string; indexdef: string }>(sql`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`);
      const defs = new Map(idx.rows.map((r) => [r.indexname, r.indexdef]));
      for (const table of tables) {
        for (const i of sqliteTableConfig(table).indexes) {
          expect(defs.has(i.config.name), i.config.name).toBe(true);
          expect(defs.get(i.config.name)!.startsWith('CREATE UNIQUE'), `${i.config.name} unique`).toBe(i.config.unique);
        }
      }
      expect(defs.get('personas_search')).toMatch(/USING gin \(search\)/);
      const triggers = await db.execute<{ tgname: string }>(sql`SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname`);
      expect(triggers.rows.map((r) => r.tgname)).toEqual([
        'audit_log_no_delete',
        'audit_log_no_truncate',
        'audit_log_no_update',
        'personas_min_critic_ai',
        'personas_min_critic_au',
        'review_decisions_no_delete',
        'review_decisions_no_truncate',
        'review_decisions_no_update',
      ]);
    });

    it('default created_at to the SQLite form (UTC ISO 8601 with milliseconds) and bigint columns to numbers', async () => {
      const [job] = await db.insert(jobs).values({ kind: 'test', params: {}, total: 2 ** 40 }).returning();
      expect(job!.createdAt).toMatch(SQLITE_TIMESTAMP);
      expect(Math.abs(Date.parse(job!.createdAt) - Date.now())).toBeLessThan(60_000);
      expect(job!.total).toBe(2 ** 40);
      expect(job!.status).toBe('queued');
      await db.delete(jobs).where(eq(jobs.id, job!.id));
    });
  });

  it('keeps min_critic_score at the lowest critic score, as the SQLite triggers do', async () => {
    const scores = { clarity: { score: 7, reason: 'clear' }, privacy: { score: 4.5, reason: 'a street name' } };
    const [p] = await db.insert(personas).values({ sourceId: 'demo', externalId: 'critic/1', narrative: 'A critic test.', qualityScores: scores }).returning();
    expect(p!.minCriticScore).toBe(4.5);
    const [q] = await db.update(personas).set({ qualityScores: { clarity: { score: 9, reason: 'better' } } }).where(eq(personas.id, p!.id)).returning();
    expect(q!.minCriticScore).toBe(9);
    // a change to other columns leaves it alone; clearing the scores clears it
    const [r] = await db.update(personas).set({ status: 'measured' }).where(eq(personas.id, p!.id)).returning();
    expect(r!.minCriticScore).toBe(9);
    const [s] = await db.update(personas).set({ qualityScores: null }).where(eq(personas.id, p!.id)).returning();
    expect(s!.minCriticScore).toBeNull();
    const [t] = await db.insert(personas).values({ sourceId: 'demo', externalId: 'critic/2', narrative: 'Unscored.' }).returning();
    expect(t!.minCriticScore).toBeNull();
    await db.delete(personas).where(sql`${personas.externalId} LIKE 'critic/%'`);
    // scores read as SQLite's CAST(json_extract(value, '$.score') AS REAL) reads them
    const lowest = async (json: string) =>
      (await db.execute<{ v: number | null }>(sql`SELECT personas_min_critic_score(${json}::jsonb) AS v`)).rows[0]!.v;
    expect(await lowest('{"a": {"score": 8}, "b": {"score": "6.5"}}')).toBe(6.5);
    expect(await lowest('{"a": {"score": 8}, "b": {"score": "n/a"}}')).toBe(0);
    expect(await lowest('{"a": {"score": 8}, "b": {"reason": "no score"}}')).toBe(8);
    expect(await lowest('{}')).toBeNull();
  });

  describe('full-text search over demo personas', () => {
    interface Row {
      id: number;
      name: string | null;
      narrative: string;
      occupation: string;
    }
    let rows: Row[] = [];

    beforeAll(async () => {
      // GPT-4 character biographies (narrative built as lib/demo/biographies.ts builds it) and PersonaLLM stories (no name)
      interface Bio {
        'Full Name': string;
        Age: number;
        Profession?: string;
        Occupation?: string;
        'Hobbies/Interests': string[] | string;
        'Personality Facts': string[] | Record<string, string>;
      }
      const bios = (file: string) => JSON.parse(readFileSync(path.join('db/seed-data/personas/gpt4-biographies', file), 'utf8')) as Bio[];
      const professional = bios('pop_professional.json');
      const census = bios('pop_census.json');
      const picked = [...professional.slice(0, 30), professional[40]!, professional[73]!, ...census.slice(0, 20), census[178]!, census[187]!, census[225]!];
      const stories = readFileSync('db/seed-data/personas/personallm/personallm_persona_stories.jsonl', 'utf8')
        .split('\n')
        .filter(Boolean)
        .slice(0, 10)
        .map((l) => (JSON.parse(l) as { story: string }).story);
      const values = [
        ...picked.map((b, i) => {
          const occupation = b.Profession ?? b.Occupation ?? 'unknown';
          const hobbies = Array.isArray(b['Hobbies/Interests']) ? b['Hobbies/Interests'].join(', ') : b['Hobbies/Interests'];
          const facts = Array.isArray(b['Personality Facts']) ? b['Personality Facts'] : Object.values(b['Personality Facts']);
          const narrative =
            `${b['Full Name']} is ${b.Age} years old and works as ${/^[aeiou]/i.test(occupation) ? 'an' : 'a'} ${occupation}. ` +
            `Hobbies and interests: ${hobbies}. ${facts.join(' ')}`;
          return { sourceId: 'demo', externalId: `bio/${i}`, name: b['Full Name'], narrative, occupation };
        }),
        ...stories.map((narrative, i) => ({ sourceId: 'demo', externalId: `story/${i}`, name: null, narrative })),
      ];
      rows = await db.insert(personas).values(values).returning({ id: personas.id, name: personas.name, narrative: personas.narrative, occupation: personas.occupation });
    });

    const hasWord = (text: string | null, word: string) => new RegExp(`(^|[^\\p{L}\\p{N}])${word}($|[^\\p{L}\\p{N}])`, 'iu').test(text ?? '');
    const ids = (xs: { id: number }[]) => xs.map((x) => x.id).sort((a, b) => a - b);

    it.each(['architect', 'photography', 'gardening', 'teacher', 'hiking', 'chess', 'yoga', 'woodworking', 'journalist', 'coffee', 'grace', 'wood', 'patel', 'elena'])(
      'finds exactly the personas whose name, narrative or occupation has the word "%s"',
      async (word) => {
        const expected = rows.filter((r) => hasWord(r.name, word) || hasWord(r.narrative, word) || hasWord(r.occupation, word));
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(rows.length);
        const hits = await searchPersonasPg(db, word, 1000);
        expect(ids(hits)).toEqual(ids(expected));
        // best first, ties by id
        for (let i = 1; i < hits.length; i++) {
          const [a, b] = [hits[i - 1]!, hits[i]!];
          expect(a.rank > b.rank || (a.rank === b.rank && a.id < b.id), `${a.id} before ${b.id}`).toBe(true);
        }
      },
    );

    it('ranks name matches first', async () => {
      for (const word of ['grace', 'wood']) {
        const hits = await searchPersonasPg(db, word, 1000);
        const named = rows.filter((r) => hasWord(r.name, word));
        expect(named.length, word).toBeGreaterThan(0);
        expect(hits.length, word).toBeGreaterThan(named.length);
        expect(ids(hits.slice(0, named.length)), word).toEqual(ids(named));
      }
    });

    it('reads the query as a search box: stems, all words, phrases, exclusions, limit', async () => {
      // english stemming: "architects" finds "architect"
      expect(ids(await searchPersonasPg(db, 'architects', 1000))).toEqual(ids(await searchPersonasPg(db, 'architect', 1000)));
      const both = rows.filter((r) => hasWord(r.narrative, 'hiking') && hasWord(r.narrative, 'photography'));
      expect(ids(await searchPersonasPg(db, 'hiking photography', 1000))).toEqual(ids(both));
      const hikingNotPhoto = rows.filter((r) => hasWord(r.narrative, 'hiking') && !hasWord(r.narrative, 'photography'));
      expect(ids(await searchPersonasPg(db, 'hiking -photography', 1000))).toEqual(ids(hikingNotPhoto));
      expect(await searchPersonasPg(db, 'hiking', 1)).toHaveLength(1);
      expect(await searchPersonasPg(db, '   ', 10)).toEqual([]);
      expect(await searchPersonasPg(db, 'the and of', 10)).toEqual([]);
      expect(await searchPersonasPg(db, 'zzzyzzx', 10)).toEqual([]);
      // the index follows updates of the narrative
      const target = rows.find((r) => r.name !== null)!;
      await db.update(personas).set({ narrative: `${target.narrative} Keeps bees called zzzyzzx.` }).where(eq(personas.id, target.id));
      expect(ids(await searchPersonasPg(db, 'zzzyzzx', 10))).toEqual([target.id]);
      await db.update(personas).set({ narrative: target.narrative }).where(eq(personas.id, target.id));
      expect(await searchPersonasPg(db, 'zzzyzzx', 10)).toEqual([]);
    });
  });

  describe('append-only tables', () => {
    it('refuse UPDATE, DELETE and TRUNCATE of review decisions and leave them unchanged', async () => {
      const [persona] = await db.insert(personas).values({ sourceId: 'demo', externalId: 'review/1', narrative: 'Reviewed.' }).returning();
      await db.insert(reasonCodes).values({ code: 'off-topic', label: 'Off topic', position: 1 });
      await db.insert(reviewDecisions).values([
        { personaId: persona!.id, reviewer: 'ada', decision: 'reject', reasonCode: 'off-topic', statusBefore: 'measured', statusAfter: 'rejected' },
        { personaId: persona!.id, reviewer: 'ada', decision: 'undo', undoesId: 1, statusBefore: 'rejected', statusAfter: 'measured' },
      ]);
      const before = await db.select().from(reviewDecisions).orderBy(asc(reviewDecisions.id));
      expect(before).toHaveLength(2);
      const update = await pgError(db.update(reviewDecisions).set({ note: 'changed' }).where(eq(reviewDecisions.id, before[0]!.id)));
      expect(update).toEqual({ message: 'review_decisions is append-only: decisions are never changed', code: '23001' });
      const del = await pgError(db.delete(reviewDecisions).where(eq(reviewDecisions.id, before[1]!.id)));
      expect(del).toEqual({ message: 'review_decisions is append-only: decisions are never deleted', code: '23001' });
      expect((await pgError(db.execute(sql`TRUNCATE review_decisions`))).message).toBe('review_decisions is append-only: decisions are never deleted');
      // deleting the persona is refused by the foreign key before any decision is touched
      expect((await pgError(db.delete(personas).where(eq(personas.id, persona!.id)))).code).toBe('23503');
      expect(await db.select().from(reviewDecisions).orderBy(asc(reviewDecisions.id))).toEqual(before);
      // appending still works
      await db.insert(reviewDecisions).values({ personaId: persona!.id, reviewer: 'bo', decision: 'accept' });
      expect(await db.$count(reviewDecisions)).toBe(3);
    });

    it('refuse UPDATE, DELETE and TRUNCATE of audit log entries and leave them unchanged', async () => {
      await db.insert(auditLog).values([
        { actor: 'ada', action: 'delete', entity: 'run', entityId: '7', details: { name: 'pilot' } },
        { actor: null, action: 'delete', entity: 'export', entityId: '3', details: {} },
      ]);
      const before = await db.select().from(auditLog).orderBy(asc(auditLog.id));
      const update = await pgError(db.update(auditLog).set({ actor: 'mallory' }));
      expect(update).toEqual({ message: 'audit_log is append-only: entries are never changed', code: '23001' });
      const del = await pgError(db.delete(auditLog).where(eq(auditLog.entity, 'run')));
      expect(del).toEqual({ message: 'audit_log is append-only: entries are never removed', code: '23001' });
      expect((await pgError(db.execute(sql`TRUNCATE audit_log`))).message).toBe('audit_log is append-only: entries are never removed');
      // a refused statement changes nothing, even inside a transaction that went on before it
      await expect(
        db.transaction(async (tx) => {
          await tx.insert(auditLog).values({ actor: 'ada', action: 'delete', entity: 'run', entityId: '8', details: {} });
          await tx.delete(auditLog);
        }),
      ).rejects.toThrow();
      expect(await db.select().from(auditLog).orderBy(asc(auditLog.id))).toEqual(before);
    });
  });

  describe('job-unit claim (FOR UPDATE SKIP LOCKED)', () => {
    const T = 1_800_000_000_000; // epoch ms past 2^31: stored as bigint
    /** The workers' default attempts and a runner, for the claims that do not test them. */
    const RUN = { maxAttempts: 3, runner: { pid: 1, host: 'test', startedAt: 'now' } };
    async function makeJob(units: number, status: 'queued' | 'running' | 'cancelled' = 'queued'): Promise<number> {
      const [job] = await db.insert(jobs).values({ kind: 'pipeline.measure', params: {}, status }).returning({ id: jobs.id });
      if (units) await db.insert(jobUnits).values(Array.from({ length: units }, (_, i) => ({ jobId: job!.id, key: `persona:${i + 1}`, stage: 'measure', weight: 2 })));
      return job!.id;
    }
    const unitsOf = (jobId: number) => db.select().from(jobUnits).where(eq(jobUnits.jobId, jobId)).orderBy(asc(jobUnits.id));

    it('gives each of 50 units to exactly one of 4 concurrent claimers on separate connections', async () => {
      const jobId = await makeJob(50);
      const clients = await Promise.all([1, 2, 3, 4].map(() => pg.pool.connect()));
      try {
        const pids = await Promise.all(clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
        expect(new Set(pids).size).toBe(4);
        const claimer = async (client: (typeof clients)[number], workerId: string) => {
          const cdb = drizzle(client, { schema: pgSchema });
          const got: ClaimedUnit[] = [];
          let rounds = 0;
          for (;;) {
            const { units } = await claimJobUnits({ ...RUN, db: cdb, jobId, workerId, limit: 5, leaseMs: 30_000, now: T, runner: { pid: 1, host: 'test', startedAt: 'now' } });
            if (units.length === 0) break;
            expect(units.length).toBeLessThanOrEqual(5);
            got.push(...units);
            rounds++;
          }
          return { workerId, got, rounds };
        };
        const results = await Promise.all(clients.map((c, i) => claimer(c, `w${i + 1}`)));
        const claimed = results.flatMap((r) => r.got.map((u) => u.id));
        expect(claimed).toHaveLength(50);
        expect(new Set(claimed).size).toBe(50);
        const stored = await unitsOf(jobId);
        expect(stored.map((u) => u.id).sort((a, b) => a - b)).toEqual([...claimed].sort((a, b) => a - b));
        for (const r of results) {
          for (const u of r.got) {
            expect(u).toMatchObject({ jobId, stage: 'measure', weight: 2, attempts: 1 });
            expect(stored.find((s) => s.id === u.id)).toMatchObject({ status: 'claimed', workerId: r.workerId, leaseExpiresAt: T + 30_000, heartbeatAt: T, attempts: 1, progress: 0 });
          }
        }
        const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
        expect(job).toMatchObject({ status: 'running', error: null, finishedAt: null });
        expect(job!.result).toEqual({ _runner: { pid: 1, host: 'test', startedAt: 'now', doneAtStart: 0 } });
        expect(job!.startedAt).toBe(new Date(T).toISOString());
      } finally {
        for (const c of clients) c.release();
      }
    });

    it('skips the units an open transaction holds, without waiting for it', async () => {
      const jobId = await makeJob(10, 'running');
      const [a, b] = await Promise.all([pg.pool.connect(), pg.pool.connect()]);
      try {
        // were the claim to wait for the open transaction's row locks, this would fail instead of hanging
        await b.query("SET statement_timeout = '5s'");
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        let signal!: (units: ClaimedUnit[]) => void;
        const inTx = new Promise<ClaimedUnit[]>((r) => (signal = r));
        const tx = drizzle(a, { schema: pgSchema }).transaction(async (t) => {
          signal((await claimJobUnits({ ...RUN, db: t, jobId, workerId: 'slow', limit: 4, leaseMs: 30_000, now: T })).units);
          await held;
        });
        const first = await inTx;
        expect(first).toHaveLength(4);
        const second = await claimJobUnits({ ...RUN, db: drizzle(b, { schema: pgSchema }), jobId, workerId: 'fast', limit: 10, leaseMs: 30_000, now: T });
        expect(second.units).toHaveLength(6);
        expect(second.units.filter((u) => first.some((f) => f.id === u.id))).toEqual([]);
        release();
        await tx;
        // once committed, the slow claim's units are live leases: nothing is left
        expect((await claimJobUnits({ ...RUN, db, jobId, workerId: 'late', limit: 10, leaseMs: 30_000, now: T + 1 })).units).toEqual([]);
        const stored = await unitsOf(jobId);
        expect(stored.filter((u) => u.workerId === 'slow').map((u) => u.id)).toEqual(first.map((u) => u.id));
        expect(stored.filter((u) => u.workerId === 'fast')).toHaveLength(6);
      } finally {
        a.release();
        b.release();
      }
    });

    it('lets another worker take a unit whose lease has expired, never one whose lease is live', async () => {
      const jobId = await makeJob(3);
      const early = await claimJobUnits({ ...RUN, db, jobId, workerId: 'w1', limit: 2, leaseMs: 1_000, now: T });
      const late = await claimJobUnits({ ...RUN, db, jobId, workerId: 'w1', limit: 2, leaseMs: 1_000, now: T + 500 });
      expect(early.units.map((u) => u.key)).toEqual(['persona:1', 'persona:2']);
      expect(late.units.map((u) => u.key)).toEqual(['persona:3']);
      // all leases live
      expect((await claimJobUnits({ ...RUN, db, jobId, workerId: 'w2', limit: 5, leaseMs: 1_000, now: T + 999 })).units).toEqual([]);
      // the first two expire at T + 1000 (lease_expires_at <= now), the third at T + 1500
      const taken = await claimJobUnits({ ...RUN, db, jobId, workerId: 'w2', limit: 5, leaseMs: 1_000, now: T + 1_200 });
      expect(taken.units.map((u) => [u.key, u.attempts])).toEqual([
        ['persona:1', 2],
        ['persona:2', 2],
      ]);
      expect((await unitsOf(jobId)).map((u) => [u.key, u.workerId, u.attempts, u.leaseExpiresAt])).toEqual([
        ['persona:1', 'w2', 2, T + 2_200],
        ['persona:2', 'w2', 2, T + 2_200],
        ['persona:3', 'w1', 1, T + 1_500],
      ]);
    });

    it('fails an expired unit that has had maxAttempts claims, and claims nothing of a job that is not runnable', async () => {
      const jobId = await makeJob(1, 'running');
      for (let i = 0; i < 3; i++) {
        const r = await claimJobUnits({ ...RUN, db, jobId, workerId: `w${i}`, limit: 1, leaseMs: 1_000, now: T + i * 1_000, maxAttempts: 3 });
        expect(r.units.map((u) => u.attempts)).toEqual([i + 1]);
      }
      const r = await claimJobUnits({ ...RUN, db, jobId, workerId: 'w4', limit: 1, leaseMs: 1_000, now: T + 3_000, maxAttempts: 3 });
      expect(r).toEqual({ units: [], expiredFailed: 1 });
      const [unit] = await unitsOf(jobId);
      expect(unit).toMatchObject({ status: 'failed', workerId: 'w2', attempts: 3, leaseExpiresAt: null, finishedAt: T + 3_000 });
      expect(unit!.error).toBe('its worker stopped during each of its 3 attempts (the lease expired)');
      const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
      expect(job!.failures).toBe(2);

      const cancelled = await makeJob(2, 'cancelled');
      expect(await claimJobUnits({ ...RUN, db, jobId: cancelled, workerId: 'w1', limit: 5, leaseMs: 1_000, now: T })).toEqual({ units: [], expiredFailed: 0 });
      expect((await unitsOf(cancelled)).map((u) => u.status)).toEqual(['pending', 'pending']);
      expect(await claimJobUnits({ ...RUN, db, jobId: cancelled, workerId: 'w1', limit: 0, leaseMs: 1_000, now: T })).toEqual({ units: [], expiredFailed: 0 });
    });
  });
});
