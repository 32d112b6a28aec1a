/**
 * Simulator exports and the methods report on the seeded demo workspace (the North America group aligned, seed 5):
 * every simulator format is stored with the export, downloads parse back into the manifest's personas in order with
 * their counts and weights (Parquet and CSV through DuckDB), the CLI re-renders the same bytes from the manifest, and
 * the run's methods report is one HTML page with the run's figures, three SVG charts and the sources' citations.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/export/formats';
import type { ExportManifest } from '@/lib/export/schema';
import { getRun } from '@/lib/studio/runs';
import { buildTarget } from '@/lib/targets/service';
import { weightedMoments } from '@/lib/stats/weightedMoments';
import type { TestDatabase } from '../../support/db';
import { createExport, useAlignedGroup } from './helpers';

let env: TestDatabase;
let runId: number;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'populace-export-sim-'));
const aligned = useAlignedGroup();
beforeAll(() => {
  ({ env, runId } = aligned);
});
afterAll(() => env.cleanup());

const text = (b: Uint8Array) => new TextDecoder().decode(b);
async function download(id: number, format: string) {
  const { GET } = await import('@/app/api/exports/[id]/download/route');
  const res = await GET(new Request(`http://localhost/api/exports/${id}/download?format=${format}`), { params: Promise.resolve({ id: String(id) }) });
  expect(res.status).toBe(200);
  return { headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}
async function duck(sql: string) {
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  return (await con.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

describe('simulator exports', () => {
  let id: number;
  let m: ExportManifest;

  beforeAll(async () => {
    const r = await createExport({ source: { kind: 'run', runId }, format: 'tinytroupe' });
    expect(r.status).toBe(200);
    id = r.body.id;
    m = r.body.manifest;
  });

  it('stores every format, states the trait norms of the target, the methods report and how to load the set', () => {
    expect(Object.keys(m.files).sort()).toEqual(['csv', 'hf-dataset', 'jsonl', 'oasis-reddit', 'oasis-twitter', 'parquet', 'prompts', 'tinytroupe']);
    const run = getRun(runId);
    const target = buildTarget((run.config as { request: { spec: unknown } }).request.spec);
    const mom = weightedMoments({ data: target.data, rows: target.n, cols: 5 });
    expect(m.traitNorms!.mean).toEqual(Array.from(mom.mean));
    expect(m.traitNorms!.sd).toEqual(Array.from(mom.sd));
    expect(m.traitNorms!.population).toContain(`${target.n.toLocaleString('en-US')} respondents`);
    expect(m.methodsReport).toBe(`/studio/runs/${runId}/methods`);
    expect(m.usage!.python).toContain('pd.read_parquet');
    expect(m.usage!.r).toContain('read_parquet');
  });

  it('TinyTroupe: one agent per manifest row, in order, with its count', async () => {
    const d = await download(id, 'tinytroupe');
    expect(d.headers.get('content-disposition')).toContain(`populace-export-${id}.tinytroupe.zip`);
    expect(d.headers.get('x-content-sha256')).toBe(m.files.tinytroupe!.sha256);
    const files = unzipSync(d.bytes);
    const pop = JSON.parse(text(files['population.json']!));
    expect(pop.agents.map((a: { personaId: number }) => a.personaId)).toEqual(m.rows.map((r) => r.personaId));
    expect(pop.agents.map((a: { count: number }) => a.count)).toEqual(m.rows.map((r) => r.count));
    const names = pop.agents.map((a: { file: string }) => JSON.parse(text(files[a.file]!)).persona.name);
    expect(new Set(names).size).toBe(names.length);
    for (const a of pop.agents.slice(0, 20)) expect(JSON.parse(text(files[a.file]!)).type).toBe('TinyPerson');
  });

  it('OASIS Twitter CSV and Reddit JSON read back by DuckDB hold the same personas', async () => {
    const tw = path.join(tmp, 'tw.csv');
    writeFileSync(tw, (await download(id, 'oasis-twitter')).bytes);
    const rows = await duck(`SELECT user_id, persona_id, count, user_char FROM read_csv('${tw}', header = true) ORDER BY user_id`);
    expect(rows.map((r) => Number(r.persona_id))).toEqual(m.rows.map((r) => r.personaId));
    expect(rows.map((r) => Number(r.count))).toEqual(m.rows.map((r) => r.count));
    for (const r of rows.slice(0, 10)) expect(String(r.user_char)).toMatch(/^You are /);
    const rd = path.join(tmp, 'rd.json');
    writeFileSync(rd, (await download(id, 'oasis-reddit')).bytes);
    const users = await duck(`SELECT persona_id, weight FROM read_json('${rd}')`);
    expect(users.map((r) => Number(r.persona_id))).toEqual(m.rows.map((r) => r.personaId));
    users.forEach((u, i) => expect(u.weight).toBeCloseTo(m.rows[i]!.weight, 12));
  });

  it('agent prompts and the Hugging Face folder carry the same rows; the card names the real sources', async () => {
    const prompts = text((await download(id, 'prompts')).bytes).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(prompts.map((p) => p.persona_id)).toEqual(m.rows.map((r) => r.personaId));
    const hf = unzipSync((await download(id, 'hf-dataset')).bytes);
    const pq = path.join(tmp, 'train.parquet');
    writeFileSync(pq, hf['data/train.parquet']!);
    const got = await duck(`SELECT personaId, count FROM read_parquet('${pq}')`);
    expect(got.map((r) => r.personaId)).toEqual(m.rows.map((r) => r.personaId));
    // The Hugging Face Parquet is the Parquet export itself.
    expect(sha256Hex(hf['data/train.parquet']!)).toBe(m.files.parquet!.sha256);
    const card = text(hf['README.md']!);
    expect(card).toContain(`num_examples: ${m.rows.length}`);
    for (const s of m.personaSources) expect(card).toContain(s.citation);
    expect(card).toContain(m.reference!.citation);
  });

  it('the CLI re-renders each simulator file from the manifest with the same bytes', async () => {
    const mfile = path.join(tmp, 'm.json');
    writeFileSync(mfile, JSON.stringify(m));
    const { run } = await import('@/lib/cli/commands/export');
    for (const f of ['tinytroupe', 'oasis-twitter', 'oasis-reddit', 'prompts', 'hf-dataset'] as const) {
      const out = path.join(tmp, `again-${f}`);
      expect(await run(['--from-manifest', mfile, '--format', f, '--out', out])).toBe(0);
      expect(sha256Hex(readFileSync(out))).toBe(m.files[f]!.sha256);
    }
  });
});

describe('methods report', () => {
  it('is one HTML page with the run, its estimator, figures, charts and citations', async () => {
    const { GET } = await import('@/app/studio/runs/[id]/methods/route');
    const res = await GET(new Request(`http://localhost/studio/runs/${runId}/methods`), { params: Promise.resolve({ id: String(runId) }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    const run = getRun(runId);
    const metrics = run.metrics as Record<string, Record<string, number>>;
    const diag = run.diagnostics as { estimator: { used: string }; ess: number };
    expect(html).toContain('Methods report: group &quot;North America&quot;');
    expect(html).toContain(diag.estimator.used);
    for (const k of ['amw', 'fd', 'sw', 'mmd', 'maecorr']) {
      expect(html).toContain(`<td>${metrics.raw![k]!.toFixed(4)}</td>`);
      expect(html).toContain(`<td>${metrics.resample![k]!.toFixed(4)}</td>`);
    }
    expect(html).toContain(diag.ess.toFixed(1));
    expect(html.match(/<svg /g)).toHaveLength(3);
    for (const t of ['Divergence from the target', 'Trait balance', 'Diversity-fidelity frontier']) expect(html).toContain(t);
    expect(html).toContain('arXiv:2509.10127');
    expect(html).toContain('Entropy balancing');
    expect(html).toContain('@media print');
    expect(html).not.toContain('<script');
  });

  it('refuses unknown runs with 404', async () => {
    const { GET } = await import('@/app/studio/runs/[id]/methods/route');
    const res = await GET(new Request('http://localhost/studio/runs/99999/methods'), { params: Promise.resolve({ id: '99999' }) });
    expect(res.status).toBe(404);
  });
});
