/**
 * Owners, deletion and server details with POPULACE_AUTH=required (and the same routes on a loopback server): runs
 * and exports record who made them; their owner or an admin may delete them, another reviewer and a viewer may not;
 * every deletion writes an audit entry in the same transaction (a failing entry deletes nothing); the audit log is
 * append-only; viewers see neither the database path nor the LLM server URL.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEntries } from '@/db/queries/audit';
import { waitForJob } from '@/lib/jobs';
import { useSeededDatabase, type TestDatabase } from '../../support/db';
import { clientFrom, json, req, type Client } from './helpers';
import { EXPORT_FORMATS } from '@/lib/export/schema';

let env: TestDatabase;
const saved = {
  auth: process.env.POPULACE_AUTH,
  cost: process.env.POPULACE_BCRYPT_COST,
  baseUrl: process.env.LLM_BASE_URL,
  model: process.env.LLM_MODEL,
};
const LLM_URL = 'http://llm.internal.example:8080/v1';
const PASSWORD = 'correct horse battery';
const as: Record<'viewer' | 'owner' | 'other' | 'admin', Client> = {} as never;

let runs: typeof import('@/app/api/runs/route');
let run: typeof import('@/app/api/runs/[id]/route');
let exportsRoute: typeof import('@/app/api/exports/route');
let oneExport: typeof import('@/app/api/exports/[id]/route');
let health: typeof import('@/app/api/health/route');
let pipelineState: typeof import('@/app/api/pipeline/state/route');

const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });
const deleteExport = (id: number, who?: Client) => json(oneExport.DELETE(req(`/api/exports/${id}`, { method: 'DELETE', as: who }), params(id)));
const deleteRun = (id: number, who?: Client) => json(run.DELETE(req(`/api/runs/${id}`, { method: 'DELETE', as: who }), params(id)));
const createExport = (body: unknown, who?: Client) => json(exportsRoute.POST(req('/api/exports', { method: 'POST', body, as: who }), undefined));
const count = (table: 'exports' | 'export_files' | 'alignment_runs' | 'audit_log') => env.db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`))[0]!.n;

function restore(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

let runId: number;

beforeAll(async () => {
  process.env.POPULACE_AUTH = 'required';
  process.env.POPULACE_BCRYPT_COST = '4';
  process.env.LLM_BASE_URL = LLM_URL;
  process.env.LLM_MODEL = 'test-model';
  env = useSeededDatabase();
  [runs, run, exportsRoute, oneExport, health, pipelineState] = await Promise.all([
    import('@/app/api/runs/route'),
    import('@/app/api/runs/[id]/route'),
    import('@/app/api/exports/route'),
    import('@/app/api/exports/[id]/route'),
    import('@/app/api/health/route'),
    import('@/app/api/pipeline/state/route'),
  ]);
  const { addAccount } = await import('@/lib/auth/service');
  const signin = await import('@/app/api/auth/signin/route');
  const accounts = { viewer: 'viewer', owner: 'reviewer', other: 'reviewer', admin: 'admin' } as const;
  for (const [name, role] of Object.entries(accounts)) {
    await addAccount({ username: name, role, password: PASSWORD });
    const res = await signin.POST(req('/api/auth/signin', { method: 'POST', body: { username: name, password: PASSWORD }, ip: '10.0.0.9' }), undefined);
    expect(res.status).toBe(200);
    as[name as keyof typeof as] = clientFrom(res);
  }
  const started = await json(runs.POST(req('/api/runs', { method: 'POST', body: { name: 'owned run', seed: 2, size: 100, spec: {} }, as: as.owner }), undefined));
  expect(started.status).toBe(200);
  runId = started.body.runId;
  expect((await waitForJob(started.body.jobId)).status).toBe('done');
}, 60_000);

afterAll(() => {
  env.cleanup();
  restore('POPULACE_AUTH', saved.auth);
  restore('POPULACE_BCRYPT_COST', saved.cost);
  restore('LLM_BASE_URL', saved.baseUrl);
  restore('LLM_MODEL', saved.model);
});

describe('owners', () => {
  it('records the signed-in user on the runs and exports they make, and tells each caller what they may delete', async () => {
    const listed = await json(runs.GET(req('/api/runs', { as: as.owner }), undefined));
    expect(listed.body.runs.find((r: { id: number }) => r.id === runId)).toMatchObject({ createdBy: 'owner', mayDelete: true });
    const e = await createExport({ source: { kind: 'run', runId }, size: 20, seed: 1 }, as.owner);
    expect(e.status).toBe(200);
    expect(e.body.createdBy).toBe('owner');
    const mayDelete = async (who: Client) =>
      (await json(exportsRoute.GET(req('/api/exports', { as: who }), undefined))).body.exports.find((x: { id: number }) => x.id === e.body.id).mayDelete;
    expect(await mayDelete(as.owner)).toBe(true);
    expect(await mayDelete(as.admin)).toBe(true);
    expect(await mayDelete(as.other)).toBe(false);
    expect(await mayDelete(as.viewer)).toBe(false);
    const otherRuns = await json(runs.GET(req('/api/runs', { as: as.other }), undefined));
    expect(otherRuns.body.runs.find((r: { id: number }) => r.id === runId).mayDelete).toBe(false);
  });
});

describe('deleting exports', () => {
  it('is refused to a viewer and to another reviewer (403, with a sentence); allowed to the owner, with an audit entry', async () => {
    const e = await createExport({ source: { kind: 'run', runId }, size: 15, seed: 2 }, as.owner);
    const viewer = await deleteExport(e.body.id, as.viewer);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.message).toMatch(/needs the reviewer role; you are signed in as viewer/);
    const other = await deleteExport(e.body.id, as.other);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(`Only its owner or an admin may delete export ${e.body.id}: it belongs to owner, and you are signed in as other (reviewer).`);
    expect(listAuditEntries({ db: env.db, entity: 'export', entityId: e.body.id })).toEqual([]);

    const ok = await deleteExport(e.body.id, as.owner);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ deleted: e.body.id });
    const audit = listAuditEntries({ db: env.db, entity: 'export', entityId: e.body.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'owner', action: 'delete', entity: 'export', entityId: String(e.body.id) });
    expect(audit[0]!.details).toMatchObject({ runId, createdBy: 'owner', rows: e.body.manifest.rows.length });
    expect(audit[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("is allowed to an admin for someone else's export", async () => {
    const e = await createExport({ source: { kind: 'run', runId }, size: 12, seed: 3 }, as.owner);
    expect((await deleteExport(e.body.id, as.admin)).status).toBe(200);
    expect(listAuditEntries({ db: env.db, entity: 'export', entityId: e.body.id })[0]).toMatchObject({ actor: 'admin' });
  });

  it('deletes nothing when the audit entry cannot be written (one transaction), and leaves no dangling reference', async () => {
    const e = await createExport({ source: { kind: 'run', runId }, size: 11, seed: 4 }, as.owner);
    const before = { exports: count('exports'), files: count('export_files'), audit: count('audit_log') };
    env.db.$client.exec(`CREATE TRIGGER audit_log_fail BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END;`);
    try {
      const failed = await deleteExport(e.body.id, as.owner);
      expect(failed.status).toBe(500);
      // an unexpected error: the answer names a request id, the log has the cause
      expect(failed.body.error.message).toMatch(/^Something went wrong on the server \(request id [0-9a-f]+\)/);
      expect(failed.body.error.message).not.toMatch(/audit store unavailable/);
    } finally {
      env.db.$client.exec('DROP TRIGGER audit_log_fail');
    }
    expect({ exports: count('exports'), files: count('export_files'), audit: count('audit_log') }).toEqual(before);
    expect((await deleteExport(e.body.id, as.owner)).status).toBe(200);
    expect(count('export_files')).toBe(before.files - EXPORT_FORMATS.length);
    expect(env.db.all(sql`PRAGMA foreign_key_check`)).toEqual([]);
  });
});

describe('deleting runs', () => {
  it('refuses another reviewer and a viewer, refuses the owner while exports refer to the run (409), then deletes it', async () => {
    const other = await deleteRun(runId, as.other);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toMatch(new RegExp(`^Only its owner or an admin may delete run ${runId}: it belongs to owner`));
    expect((await deleteRun(runId, as.viewer)).status).toBe(403);

    const remaining = env.db.all<{ id: number }>(sql`SELECT id FROM exports WHERE run_id = ${runId} ORDER BY id`).map((r) => r.id);
    expect(remaining.length).toBeGreaterThan(0);
    const refused = await deleteRun(runId, as.owner);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'run_has_exports', details: { exportIds: remaining } });
    expect(refused.body.error.message).toMatch(/delete th(at export|ose exports) first/);

    for (const id of remaining) expect((await deleteExport(id, as.owner)).status).toBe(200);
    const runsBefore = count('alignment_runs');
    const ok = await deleteRun(runId, as.owner);
    expect(ok.status).toBe(200);
    expect(count('alignment_runs')).toBe(runsBefore - 1);
    const audit = listAuditEntries({ db: env.db, entity: 'run', entityId: runId });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'owner', action: 'delete', entity: 'run' });
    expect(audit[0]!.details).toMatchObject({ name: 'owned run', createdBy: 'owner', selectionSize: 100 });
    expect(env.db.all(sql`PRAGMA foreign_key_check`)).toEqual([]);
  });

  it("is allowed to an admin for someone else's run", async () => {
    const started = await json(runs.POST(req('/api/runs', { method: 'POST', body: { name: 'second', seed: 3, size: 20, spec: {} }, as: as.other }), undefined));
    expect((await waitForJob(started.body.jobId)).status).toBe('done');
    expect((await deleteRun(started.body.runId, as.admin)).status).toBe(200);
    expect(listAuditEntries({ db: env.db, entity: 'run', entityId: started.body.runId })[0]).toMatchObject({ actor: 'admin' });
  });

  it('keeps the audit log append-only', () => {
    expect(() => env.db.$client.exec(`UPDATE audit_log SET actor = 'someone else'`)).toThrow(/append-only/);
    expect(() => env.db.$client.exec('DELETE FROM audit_log')).toThrow(/append-only/);
  });
});

describe('server details', () => {
  it('hides the database path and the LLM server URL from a viewer and a reviewer, and shows them to an admin', async () => {
    for (const who of [as.viewer, as.other]) {
      const h = await json(health.GET(req('/api/health', { as: who }), undefined));
      expect(h.status).toBe(200);
      expect(h.body.database).not.toHaveProperty('file');
      const p = await json(pipelineState.GET(req('/api/pipeline/state', { as: who }), undefined));
      expect(p.status).toBe(200);
      expect(p.body.llm.roles.find((r: { role: string }) => r.role === 'generator')).toMatchObject({ configured: true, model: 'test-model', baseURL: null });
      for (const body of [JSON.stringify(h.body), JSON.stringify(p.body)]) {
        expect(body).not.toContain(env.dir);
        expect(body).not.toContain('populace.db');
        expect(body).not.toMatch(/https?:\/\//);
        expect(body).not.toContain('llm.internal.example');
      }
    }
    const h = await json(health.GET(req('/api/health', { as: as.admin }), undefined));
    expect(h.body.database.file).toBe(env.file);
    const p = await json(pipelineState.GET(req('/api/pipeline/state', { as: as.admin }), undefined));
    expect(p.body.llm.roles.find((r: { role: string }) => r.role === 'generator').baseURL).toBe(LLM_URL);
  });
});

describe('loopback mode (no sign-in)', () => {
  it('shows the server details, and lets the local user delete anything, recorded without an actor', async () => {
    const e = await createExport({ source: { kind: 'pool' }, size: 5 }, as.owner);
    expect(e.body.createdBy).toBe('owner');
    process.env.POPULACE_AUTH = '';
    try {
      const h = await json(health.GET(req('/api/health'), undefined));
      expect(h.body.database.file).toBe(env.file);
      const p = await json(pipelineState.GET(req('/api/pipeline/state'), undefined));
      expect(p.body.llm.roles.find((r: { role: string }) => r.role === 'generator').baseURL).toBe(LLM_URL);
      const local = await createExport({ source: { kind: 'pool' }, size: 5 });
      expect(local.body.createdBy).toBeNull();
      const ok = await deleteExport(e.body.id);
      expect(ok.status).toBe(200);
      expect(listAuditEntries({ db: env.db, entity: 'export', entityId: e.body.id })[0]).toMatchObject({ actor: null, details: { createdBy: 'owner' } });
    } finally {
      process.env.POPULACE_AUTH = 'required';
    }
  });
});
