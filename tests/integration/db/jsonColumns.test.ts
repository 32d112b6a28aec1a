/** The JSON columns are parsed on read by their schemas in db/json.ts: typed values, defaults, NaN, clear errors. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetSpecSchema } from '@/db/json';
import { getExportRow } from '@/db/queries/exports';
import { getGroupRow } from '@/db/queries/groups';
import { getJobRow, insertJob, markJobRunning } from '@/db/queries/jobs';
import { completeRun, getRunById, insertRun, listRunSummaries } from '@/db/queries/runs';
import { createExport, getExport } from '@/lib/export/service';
import { useSeededDatabase, type TestDatabase } from '../../support/db';

let env: TestDatabase;
beforeAll(() => {
  env = useSeededDatabase();
});
afterAll(() => env.cleanup());

const diagnostics = { ess: 10, designEffect: 2, maxWeightShare: 0.1, khat: 0.3, converged: true, iterations: 4, candidateCount: 20, selectionSize: 5, warnings: [] };

describe('JSON columns', () => {
  it('reads a run with its config, metrics and diagnostics typed, a stored null as NaN', () => {
    const run = insertRun({ db: env.db, name: 'json', seed: 1, config: { request: { name: 'json', seed: 1, spec: targetSpecSchema.parse({}), config: {} }, targetDescription: 'everyone' } });
    const metrics = { raw: { amw: 0.5, fd: 0.4, sw: 0.3, mmd: Number.NaN, maecorr: 0.1 } };
    completeRun({ db: env.db, id: run.id, personaIds: [1, 2], weights: [0.5, 0.5], selection: [1], metrics, diagnostics, trace: [] });
    const r = getRunById({ db: env.db, id: run.id })!;
    expect(r.config.request.spec.filters.countries).toEqual([]);
    expect(r.config.request.config).toEqual({});
    expect(r.config.targetDescription).toBe('everyone');
    expect(r.metrics?.raw?.amw).toBe(0.5);
    // JSON has no NaN: it is stored as null and read back as NaN
    expect(env.db.get<{ m: string }>(sql`SELECT metrics AS m FROM alignment_runs WHERE id = ${run.id}`)!.m).toContain('"mmd":null');
    expect(r.metrics?.raw?.mmd).toBeNaN();
    expect(r.diagnostics?.ess).toBe(10);
    expect(r.diagnostics?.estimator).toBeUndefined();
    expect(listRunSummaries({ db: env.db }).find((x) => x.id === run.id)?.config.targetDescription).toBe('everyone');
  });

  it('names the table, the row and the column when a stored value does not fit its schema', () => {
    env.db.run(sql`INSERT INTO alignment_runs (name, status, seed, config) VALUES ('broken', 'running', 1, '{"request":{}}')`);
    const id = env.db.get<{ id: number }>(sql`SELECT max(id) AS id FROM alignment_runs`)!.id;
    expect(() => getRunById({ db: env.db, id })).toThrow(new RegExp(`^alignment run ${id}: the stored config does not have the expected shape at request\\.`));
    env.db.run(sql`DELETE FROM alignment_runs WHERE id = ${id}`);
  });

  it('fills the defaults of a stored group definition', () => {
    env.db.run(sql`INSERT INTO groups (name, definition) VALUES ('json group', '{"reference":{"filters":{"countries":["DE"]}}}')`);
    const id = env.db.get<{ id: number }>(sql`SELECT id FROM groups WHERE name = 'json group'`)!.id;
    const g = getGroupRow({ db: env.db, id })!;
    expect(g.definition.reference.referenceSetId).toBe('big5');
    expect(g.definition.reference.filters).toEqual({ countries: ['DE'], genders: [] });
    expect(g.definition.personas.retrieveCount).toBe(200);
  });

  it('keeps the job runner in the result and reads it back', () => {
    const job = insertJob({ db: env.db, kind: 'test.json', params: { a: 1 } });
    markJobRunning({ db: env.db, id: job.id, runner: { pid: 1, host: 'h', startedAt: '2026-01-01T00:00:00.000Z', doneAtStart: 0 } });
    const row = getJobRow({ db: env.db, id: job.id })!;
    expect(row.params).toEqual({ a: 1 });
    expect(row.result).toEqual({ _runner: { pid: 1, host: 'h', startedAt: '2026-01-01T00:00:00.000Z', doneAtStart: 0 } });
  });

  it('reads an export manifest as it was written (same JSON, key for key)', () => {
    const created = createExport({ source: { kind: 'pool' }, size: 5, seed: 2 });
    const row = getExportRow({ db: env.db, id: created.id })!;
    expect(JSON.stringify(row.manifest)).toBe(JSON.stringify(created.manifest));
    expect(getExport(created.id).manifest.rows).toHaveLength(5);
  });
});
