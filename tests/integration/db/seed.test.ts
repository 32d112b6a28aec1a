import { count, eq, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@/db/client';
import { seedDemoWorkspace } from '@/db/queries/seed';
import * as s from '@/db/schema';
import { loadDemoWorkspace, type DemoWorkspace } from '@/lib/demo/workspace';
import { prepareWorkspace } from '@/lib/workspace/prepare';
import { useFreshDatabase } from '../../support/db';

let env: ReturnType<typeof useFreshDatabase>;
let db: Db;
beforeAll(() => {
  env = useFreshDatabase();
  db = env.db;
});
afterAll(() => env.cleanup());

function counts(d: Db) {
  const n = (t: SQLiteTable) => d.select({ n: count() }).from(t).get()!.n;
  return {
    sources: n(s.sources),
    personas: n(s.personas),
    itemResponses: n(s.itemResponses),
    traitScores: n(s.traitScores),
    respondents: n(s.referenceRespondents),
    norms: n(s.norms),
    baselines: n(s.baselineResponses),
    instrumentItems: n(s.instrumentItems),
    reasonCodes: n(s.reasonCodes),
  };
}

describe('migrations', () => {
  it('create every table of the schema in an empty database', () => {
    const mem = openDatabase(':memory:');
    const tables = mem.$client
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'personas_fts%' and name != '__drizzle_migrations'",
      )
      .all()
      .map((r) => (r as { name: string }).name)
      .sort();
    expect(tables).toEqual(
      [
        'alignment_runs', 'audit_log', 'authors', 'baseline_responses', 'export_files', 'exports', 'groups', 'instrument_items', 'instruments',
        'item_responses', 'job_units', 'jobs', 'llm_calls', 'meta', 'norms', 'persona_posts', 'personas', 'posts', 'reason_codes',
        'reference_respondents', 'reference_sets', 'review_decisions', 'sessions', 'sources', 'targets', 'trait_scores', 'users',
      ].sort(),
    );
    expect(mem.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    // The full-text index of persona narratives (FTS5 virtual table).
    expect(mem.$client.prepare("select count(*) as n from sqlite_master where name = 'personas_fts'").get()).toEqual({ n: 1 });
    mem.$client.close();
  });
});

describe('demo seed', () => {
  it('stores the embedded workspace with the documented counts', () => {
    expect(prepareWorkspace(db).seeded).toBe(true);
    const c = counts(db);
    expect(c.respondents).toBe(19_718); // 19,719 rows less the one with all 50 items missed
    expect(c.personas).toBe(640 + 623 + 1065); // PersonaLLM, biographies, distinct Synthetic-Persona-Chat sets
    expect(c.traitScores).toBe(640 + 623);
    expect(c.itemResponses).toBe(640 * 44 + 623 * 40);
    expect(c.instrumentItems).toBe(50 + 44 + 40);
    expect(c.baselines).toBe(12 + 324 + 162);
    expect(c.norms).toBe(280 + 49 * 5 + 60 * 5);
    expect(c.reasonCodes).toBe(8);
    const spc = db
      .select({ status: s.personas.status, n: count() })
      .from(s.personas)
      .where(eq(s.personas.sourceId, 'synthetic-persona-chat'))
      .groupBy(s.personas.status)
      .all();
    expect(Object.fromEntries(spc.map((r) => [r.status, r.n]))).toEqual({ draft: 200, flagged: 865 });
    // Every variant points at a base profile that contains all of its sentences.
    const variants = db.select().from(s.personas).where(sql`${s.personas.duplicateOfId} is not null and ${s.personas.sourceId} = 'synthetic-persona-chat'`).all();
    expect(variants).toHaveLength(865);
    const v = variants[0]!;
    const base = db.select().from(s.personas).where(eq(s.personas.id, v.duplicateOfId!)).get()!;
    const baseSentences = new Set((base.metadata as { sentences: string[] }).sentences);
    for (const sentence of (v.metadata as { sentences: string[] }).sentences) expect(baseSentences.has(sentence)).toBe(true);
  });

  it('keeps ages in 13-100 and makes impossible ages unknown', () => {
    const r = db
      .select({ minAge: sql<number>`min(age)`, maxAge: sql<number>`max(age)`, unknown: sql<number>`sum(age is null)` })
      .from(s.referenceRespondents)
      .get()!;
    expect(r.minAge).toBeGreaterThanOrEqual(13);
    expect(r.maxAge).toBeLessThanOrEqual(100);
    expect(r.unknown).toBe(83); // the 73 birth years and 10 absurd values of SOURCES.md
  });

  it('is idempotent: a second start changes nothing', () => {
    const before = counts(db);
    expect(prepareWorkspace(db).seeded).toBe(false);
    expect(seedDemoWorkspace({ db, workspace: loadDemoWorkspace(), version: 'x' })).toBe(false);
    expect(counts(db)).toEqual(before);
  });

  it('rolls back completely when the workspace is bad', () => {
    const mem = openDatabase(':memory:');
    const good = loadDemoWorkspace();
    const bad: DemoWorkspace = {
      ...good,
      personas: [...good.personas.slice(0, 5), { ...good.personas[5]!, duplicateOf: 'no-such-profile' }],
    };
    expect(() => seedDemoWorkspace({ db: mem, workspace: bad, version: '1' })).toThrow(/no-such-profile/);
    expect(counts(mem)).toEqual({
      sources: 0, personas: 0, itemResponses: 0, traitScores: 0, respondents: 0, norms: 0, baselines: 0, instrumentItems: 0, reasonCodes: 0,
    });
    mem.$client.close();
  });
});
