/**
 * Exports through the API and the CLI on the seeded demo workspace: a group's aligned set and a run's weights as
 * JSONL, CSV and Parquet (round trips), the manifest (provenance, licences, metrics, review, row hashes),
 * deterministic re-export from a manifest, stored files answered unchanged after a review, size bounds, deletion
 * with an audit entry, diffs, and errors that name the file, line and field.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFiles, personas } from '@/db/schema';
import { listAuditEntries } from '@/db/queries/audit';
import { sha256Hex, rowHash } from '@/lib/export/formats';
import { EXPORT_FORMATS, type ExportManifest, type ExportRow } from '@/lib/export/schema';
import { startGroupAlignment } from '@/lib/groups/align';
import { listGroups } from '@/lib/groups/service';
import { waitForJob } from '@/lib/jobs';
import type { TestDatabase } from '../../support/db';
import { createExport, useAlignedGroup } from './helpers';

let env: TestDatabase;
let groupId: number;
let runId: number;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'populace-export-test-'));

const aligned = useAlignedGroup();
beforeAll(() => {
  ({ env, groupId, runId } = aligned);
});
afterAll(() => env.cleanup());

async function download(id: number, format?: string) {
  const { GET } = await import('@/app/api/exports/[id]/download/route');
  const res = await GET(new Request(`http://localhost/api/exports/${id}/download${format ? `?format=${format}` : ''}`), { params: Promise.resolve({ id: String(id) }) });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('exports', () => {
  let id: number;
  let manifest: ExportManifest;

  it("exports a group's aligned set with a manifest of provenance, licences, metrics, review and row hashes", async () => {
    const r = await createExport({ source: { kind: 'group', groupId }, format: 'jsonl' });
    expect(r.status).toBe(200);
    id = r.body.id;
    manifest = r.body.manifest;
    expect(manifest.populaceVersion).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(manifest.source.run!.id).toBe(runId);
    expect(manifest.source.group!.name).toBe('North America');
    expect(manifest.source.target!.spec).toMatchObject({ filters: { countries: ['US', 'CA'] } });
    expect(manifest.engine.seed).toBe(5);
    expect(manifest.engine.config).toMatchObject({ selection: 'systematic', bandwidth: 0.5, epsilonFactor: 0.08, seed: 5 });
    expect(manifest.reference!.licence).toMatch(/CC BY-NC-SA/);
    expect(manifest.personaSources.length).toBeGreaterThan(0);
    for (const s of manifest.personaSources) expect(s.licence.length).toBeGreaterThan(0);
    expect(manifest.personaSources.reduce((a, s) => a + s.personas, 0)).toBe(manifest.rows.length);
    expect(manifest.metrics).toHaveProperty('resample.amw');
    expect(manifest.diagnostics).toHaveProperty('ess');
    expect(typeof manifest.coverage!.statement).toBe('string');
    expect(Object.values(manifest.review.byStatus).reduce((a, b) => a + b, 0)).toBe(manifest.rows.length);
    expect(manifest.rows.reduce((a, r) => a + r.count, 0)).toBe(manifest.selection.k);
    expect(manifest.selection.k).toBe(manifest.source.run && (await import('@/lib/studio/runs')).getRun(runId).selection!.length);
    expect(manifest).not.toHaveProperty('createdAt');
    expect(r.body.createdAt).toMatch(/^\d{4}-/);
  });

  it('round-trips JSONL, CSV and Parquet, with every row matching its hash', async () => {
    const j = await download(id, 'jsonl');
    expect(j.status).toBe(200);
    expect(j.headers.get('content-disposition')).toBe(`attachment; filename="populace-export-${id}.jsonl"`);
    const rows = text(j.bytes).trimEnd().split('\n').map((l) => JSON.parse(l) as ExportRow);
    expect(rows.map((r) => r.personaId)).toEqual(manifest.rows.map((r) => r.personaId));
    rows.forEach((r, i) => expect(rowHash(r)).toBe(manifest.rows[i]!.sha256));
    expect(sha256Hex(j.bytes)).toBe(manifest.files.jsonl!.sha256);

    const c = await download(id, 'csv');
    expect(c.headers.get('content-type')).toMatch(/text\/csv/);
    const csv = parse(text(c.bytes), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(rows.length);
    csv.forEach((r, i) => {
      expect(Number(r.personaId)).toBe(rows[i]!.personaId);
      expect(Number(r.weight)).toBe(rows[i]!.weight);
      expect(Number(r.count)).toBe(rows[i]!.count);
      expect(Number(r.E)).toBe(rows[i]!.E);
      expect(r.narrative!.replace(/^'(?=[=+\-@\t\r])/, '')).toBe(rows[i]!.narrative);
    });

    const p = await download(id, 'parquet');
    const file = p.bytes.buffer.slice(p.bytes.byteOffset, p.bytes.byteOffset + p.bytes.byteLength) as ArrayBuffer;
    const pq = (await parquetReadObjects({ file })) as unknown as ExportRow[];
    expect(pq).toHaveLength(rows.length);
    pq.forEach((r, i) => expect(rowHash(r)).toBe(manifest.rows[i]!.sha256));
    expect(sha256Hex(p.bytes)).toBe(manifest.files.parquet!.sha256);

    const m = await download(id, 'manifest');
    expect(JSON.parse(text(m.bytes))).toEqual(manifest);
  });

  it('re-exports the same bytes, from the stored export and from its manifest file through the CLI', async () => {
    for (const f of ['jsonl', 'csv', 'parquet'] as const) {
      const a = await download(id, f);
      const b = await download(id, f);
      expect(sha256Hex(a.bytes)).toBe(sha256Hex(b.bytes));
    }
    const mfile = path.join(tmp, 'm.json');
    writeFileSync(mfile, JSON.stringify(manifest, null, 2));
    const { run } = await import('@/lib/cli/commands/export');
    for (const f of ['csv', 'parquet'] as const) {
      const out = path.join(tmp, `again.${f}`);
      expect(await run(['--from-manifest', mfile, '--format', f, '--out', out])).toBe(0);
      expect(sha256Hex(readFileSync(out))).toBe(manifest.files[f]!.sha256);
    }
  });

  it('draws k personas, unique or with replacement, reproducibly for a seed, and diffs exports', async () => {
    const u = (await createExport({ source: { kind: 'run', runId }, size: 40, unique: true, seed: 9 })).body.manifest as ExportManifest;
    expect(u.rows).toHaveLength(40);
    expect(u.rows.every((r) => r.count === 1)).toBe(true);
    expect(u.selection).toMatchObject({ k: 40, distinct: 40, unique: true, seed: 9 });
    const u2 = (await createExport({ source: { kind: 'run', runId }, size: 40, unique: true, seed: 9 })).body;
    expect(u2.manifest.rowsSha256).toBe(u.rowsSha256);
    const w = (await createExport({ source: { kind: 'run', runId }, size: 60, seed: 2, format: 'csv' })).body.manifest as ExportManifest;
    expect(w.rows.reduce((a, r) => a + r.count, 0)).toBe(60);
    const other = (await createExport({ source: { kind: 'run', runId }, size: 40, unique: true, seed: 10 })).body;

    const { GET } = await import('@/app/api/exports/diff/route');
    const d = await (await GET(new Request(`http://localhost/api/exports/diff?a=${u2.id}&b=${other.id}`), undefined)).json();
    expect(d.added.length).toBeGreaterThan(0);
    expect(d.added.length).toBe(d.removed.length); // both have 40 distinct personas
    // each unique set's weights are re-calibrated to the target on their own, so a shared persona may be reweighted
    expect(d.unchanged + d.reweighted.length).toBe(40 - d.added.length);
    const same = await (await GET(new Request(`http://localhost/api/exports/diff?a=${u2.id}&b=${u2.id}`), undefined)).json();
    expect(same.summary).toBe('0 added, 0 removed, 0 reweighted, 0 recounted, 0 changed in content, 40 unchanged');
  });

  it('exports the whole pool of a run with weights, and the current pool; a later run is reweighted in a diff', async () => {
    const all = (await createExport({ source: { kind: 'run', runId }, set: 'weights', format: 'parquet' })).body;
    const run = (await import('@/lib/studio/runs')).getRun(runId);
    expect(all.manifest.rows).toHaveLength(run.personaIds!.length);
    expect(all.manifest.rows.reduce((a: number, r: { weight: number }) => a + r.weight, 0)).toBeCloseTo(1, 9);
    const pool = (await createExport({ source: { kind: 'pool' }, set: 'weights' })).body.manifest as ExportManifest;
    expect(pool.reference).toBeNull();
    expect(pool.rows.length).toBeGreaterThan(1000);

    const again = await startGroupAlignment(groupId, { seed: 6, bandwidth: 0.7, estimator: 'kde' });
    expect((await waitForJob(again.jobId)).status).toBe('done');
    const later = (await createExport({ source: { kind: 'run', runId: again.runId }, set: 'weights' })).body;
    const { GET } = await import('@/app/api/exports/diff/route');
    const d = await (await GET(new Request(`http://localhost/api/exports/diff?a=${all.id}&b=${later.id}`), undefined)).json();
    expect(d.reweighted.length).toBeGreaterThan(0);
    expect(Math.abs(d.reweighted[0].delta)).toBeGreaterThan(1e-9);

    const { GET: LIST } = await import('@/app/api/exports/route');
    const list = await (await LIST(new Request('http://localhost/api/exports'), undefined)).json();
    expect(list.exports.length).toBeGreaterThanOrEqual(6);
  });

  it('writes a file and its manifest from the CLI, and refuses a changed persona or a bad manifest by file, line and field', async () => {
    const { run } = await import('@/lib/cli/commands/export');
    const out = path.join(tmp, 'group.csv');
    expect(await run(['--group', String(groupId), '--format', 'csv', '--out', out])).toBe(0);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as ExportManifest;
    expect(sha256Hex(readFileSync(out))).toBe(m.files.csv!.sha256);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toMatch(/^personaId,sourceId,externalId,/);

    const bad = path.join(tmp, 'bad.json');
    const lines = JSON.stringify(m, null, 2).split('\n');
    const at = lines.findIndex((l) => l.includes('"sha256"'));
    lines[at] = lines[at]!.replace(/"[0-9a-f]{64}"/, '"not-a-hash"');
    writeFileSync(bad, lines.join('\n'));
    await expect(run(['--from-manifest', bad, '--out', path.join(tmp, 'x.csv')])).rejects.toThrow(
      new RegExp(`bad\\.json:${at + 1}: field "rows\\.0\\.sha256"`),
    );

    // a persona that changed since the export: named by row and persona
    env.db.update(personas).set({ status: 'accepted' }).where(eq(personas.id, m.rows[0]!.personaId)).run();
    await expect(run(['--from-manifest', `${out}.manifest.json`, '--out', path.join(tmp, 'y.csv')])).rejects.toThrow(
      new RegExp(`Row 1 \\(persona ${m.rows[0]!.personaId}\\) no longer matches`),
    );
  });

  it('rejects impossible requests with a clear message', async () => {
    const available = (await import('@/lib/studio/runs')).getRun(runId).weights!.filter((w) => w > 0).length;
    const r = await createExport({ source: { kind: 'run', runId }, size: 100000, unique: true });
    expect(r.status).toBe(422);
    // more than 10 times the pool: draws with repeats cannot give it either, so they are not suggested
    expect(r.body.error.message).toBe(`Cannot give 100,000 distinct personas: run ${runId}'s pool has ${available} with a positive weight. Ask for at most ${available}.`);
    expect((await createExport({ source: { kind: 'run', runId: 99999 } })).status).toBe(404);
    expect((await createExport({ source: { kind: 'group', groupId: listGroups().find((g) => g.name === 'East Asia')!.id } })).body.error.message).toMatch(/no finished alignment/);
  });

  it('bounds the size of an export: the ceiling, 10 times the pool with replacement, the pool when unique', async () => {
    const before = env.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM exports`)[0]!.n;
    const huge = await createExport({ source: { kind: 'run', runId }, size: 10_000_000 });
    expect(huge.status).toBe(422);
    expect(huge.body.error).toMatchObject({ code: 'size_limit', details: { field: 'size', value: 10_000_000, limit: 100_000 } });
    expect(huge.body.error.message).toBe('size: 10,000,000 was asked for, but the limit is 100,000 (POPULACE_MAX_SET_SIZE).');
    const poolSize = (await import('@/lib/studio/runs')).getRun(runId).personaIds!.length;
    const repeats = await createExport({ source: { kind: 'run', runId }, size: 10 * poolSize + 1 });
    expect(repeats.status).toBe(422);
    expect(repeats.body.error.details).toEqual({ field: 'size', value: 10 * poolSize + 1, limit: 10 * poolSize });
    expect(repeats.body.error.message).toMatch(/at most 10 times the \d+ personas of run \d+'s pool/);
    expect((await createExport({ source: { kind: 'run', runId }, size: 10 * poolSize, seed: 3 })).status).toBe(200);
    process.env.POPULACE_MAX_SET_SIZE = '50';
    try {
      const capped = await createExport({ source: { kind: 'pool' }, size: 51 });
      expect(capped.status).toBe(422);
      expect(capped.body.error.message).toBe('size: 51 was asked for, but the limit is 50 (POPULACE_MAX_SET_SIZE).');
    } finally {
      delete process.env.POPULACE_MAX_SET_SIZE;
    }
    expect(env.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM exports`)[0]!.n).toBe(before + 1);
  });

  it('answers the stored bytes after a persona in the export was reviewed, with their sha256 in the headers', async () => {
    const made = await createExport({ source: { kind: 'run', runId }, size: 30, unique: true, seed: 21, format: 'csv' });
    expect(made.status).toBe(200);
    const m = made.body.manifest as ExportManifest;
    const stored = env.db.select().from(exportFiles).where(eq(exportFiles.exportId, made.body.id)).all();
    expect(stored.map((f) => f.format).sort()).toEqual([...EXPORT_FORMATS].sort());
    for (const f of stored) {
      expect(f.sha256).toBe(m.files[f.format]!.sha256);
      expect(f.size).toBe(m.files[f.format]!.bytes);
    }
    const before = await download(made.body.id, 'csv');

    // a reviewer accepts the first persona of the export: its row (status) no longer hashes as in the manifest
    const { POST } = await import('@/app/api/review/decisions/route');
    const personaId = m.rows[0]!.personaId;
    const decided = await POST(
      new Request('http://localhost/api/review/decisions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'populace_reviewer=Ada' },
        body: JSON.stringify({ personaId, decision: 'reject', reasonCode: 'other', note: 'export test' }),
      }),
      undefined,
    );
    expect(decided.status, await decided.clone().text()).toBe(200);
    const { renderFromManifest } = await import('@/lib/export/service');
    expect(() => renderFromManifest(m, 'csv')).toThrow(/Row 1 \(persona \d+\) no longer matches/);

    for (const f of ['jsonl', 'csv', 'parquet'] as const) {
      const d = await download(made.body.id, f);
      expect(d.status).toBe(200);
      expect(sha256Hex(d.bytes)).toBe(m.files[f]!.sha256);
      expect(d.headers.get('x-content-sha256')).toBe(m.files[f]!.sha256);
      expect(d.headers.get('digest')).toBe(`sha-256=${Buffer.from(m.files[f]!.sha256, 'hex').toString('base64')}`);
      expect(Number(d.headers.get('content-length'))).toBe(m.files[f]!.bytes);
    }
    expect(sha256Hex((await download(made.body.id, 'csv')).bytes)).toBe(sha256Hex(before.bytes));
    const man = await download(made.body.id, 'manifest');
    expect(man.headers.get('x-content-sha256')).toBe(sha256Hex(man.bytes));

    // an export made before files were stored is rebuilt from its manifest, and refused once a persona changed
    env.db.$client.prepare('DELETE FROM export_files WHERE export_id = ?').run(made.body.id);
    const rebuilt = await download(made.body.id, 'csv');
    expect(rebuilt.status).toBe(409);
    expect(JSON.parse(text(rebuilt.bytes)).error.code).toBe('row_changed');
  });

  it('deletes an export with its files and an audit entry (loopback: anyone), and keeps its run until then', async () => {
    const made = await createExport({ source: { kind: 'run', runId }, size: 10, seed: 4 });
    const { DELETE } = await import('@/app/api/exports/[id]/route');
    const { DELETE: DELETE_RUN } = await import('@/app/api/runs/[id]/route');
    const del = (id: number) =>
      DELETE(new Request(`http://localhost/api/exports/${id}`, { method: 'DELETE', headers: { origin: 'http://localhost' } }), { params: Promise.resolve({ id: String(id) }) });

    // the run is referred to by exports: refused with the export ids
    const refused = await DELETE_RUN(new Request(`http://localhost/api/runs/${runId}`, { method: 'DELETE' }), { params: Promise.resolve({ id: String(runId) }) });
    expect(refused.status).toBe(409);
    const rb = await refused.json();
    expect(rb.error.code).toBe('run_has_exports');
    expect(rb.error.details.exportIds).toContain(made.body.id);
    expect(rb.error.message).toMatch(new RegExp(`^Run ${runId} cannot be deleted while exports .*${made.body.id}.* refer to it: delete those exports first\\.$`));

    const res = await del(made.body.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: made.body.id });
    expect(env.db.select().from(exportFiles).where(eq(exportFiles.exportId, made.body.id)).all()).toEqual([]);
    expect((await download(made.body.id)).status).toBe(404);
    expect((await del(made.body.id)).status).toBe(404);
    const audit = listAuditEntries({ db: env.db, entity: 'export', entityId: made.body.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: null, action: 'delete', entity: 'export', entityId: String(made.body.id) });
    expect(audit[0]!.details).toMatchObject({ runId, rowsSha256: made.body.manifest.rowsSha256, createdBy: null });
    expect(env.db.all(sql`PRAGMA foreign_key_check`)).toEqual([]);
  });
});
