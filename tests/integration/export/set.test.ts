/**
 * What an exported set is, on the seeded demo workspace: a unique export of k is k distinct personas (pivotal
 * sampling) whose re-calibrated weights sum to 1 and move the weighted means toward the target; a draw with repeats
 * has weight = count / k, summing to 1 over the rows; the manifest's set block (rows, distinct personas, draws,
 * selection, weight normalisation, the personas' demographics next to the target's filters); and the one message
 * for a set of k distinct personas that cannot be given, in the API and the CLI.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifestText } from '@/lib/export/manifest';
import type { ExportManifest, ExportRow } from '@/lib/export/schema';
import { getRun } from '@/lib/studio/runs';
import { buildTarget } from '@/lib/targets/service';
import type { TestDatabase } from '../../support/db';
import { createExport, useAlignedGroup } from './helpers';

let env: TestDatabase;
let groupId: number;
let runId: number;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'populace-export-set-test-'));
const TRAITS = ['E', 'A', 'C', 'N', 'O'] as const;

const aligned = useAlignedGroup();
beforeAll(() => {
  ({ env, groupId, runId } = aligned);
});
afterAll(() => env.cleanup());

async function jsonlRows(id: number): Promise<ExportRow[]> {
  const { GET } = await import('@/app/api/exports/[id]/download/route');
  const res = await GET(new Request(`http://localhost/api/exports/${id}/download?format=jsonl`), { params: Promise.resolve({ id: String(id) }) });
  expect(res.status).toBe(200);
  return (await res.text())
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as ExportRow);
}
const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);

/** Squared distance between the rows' weighted trait means and the target's means. */
function meanGap(rows: ExportRow[], weights: number[], target: number[]): number {
  const total = sum(weights);
  return TRAITS.reduce((acc, t, k) => {
    const m = rows.reduce((a, r, i) => a + (weights[i]! / total) * r[t]!, 0);
    return acc + (m - target[k]!) ** 2;
  }, 0);
}

describe('exported sets', () => {
  it('a unique export of k gives k distinct personas whose re-calibrated weights sum to 1 and bring the means closer to the target than uniform weights', async () => {
    const available = getRun(runId).weights!.filter((w) => w > 0).length;
    for (const k of [40, Math.min(100, available)]) {
      const made = await createExport({ source: { kind: 'group', groupId }, size: k, unique: true, seed: 3 });
      expect(made.status, JSON.stringify(made.body)).toBe(200);
      const m = made.body.manifest as ExportManifest;
      expect(m.rows).toHaveLength(k);
      expect(new Set(m.rows.map((r) => r.personaId)).size).toBe(k);
      expect(m.rows.every((r) => r.count === 1 && r.weight >= 0)).toBe(true);
      expect(Math.abs(sum(m.rows.map((r) => r.weight)) - 1)).toBeLessThan(1e-9);
      expect(m.set).toMatchObject({ rows: k, distinct: k, draws: k, selection: { method: 'pivotal' }, weights: { normalisation: 'recalibrated', reason: null } });
      expect(Math.abs(m.set!.weights.sum - 1)).toBeLessThan(1e-9);
      expect(m.set!.weights.statement).toMatch(/Horvitz-Thompson weights w_i \/ pi_i re-calibrated by entropy balancing to the target's .*; they sum to 1 over the \d+ rows\./);
      const rc = m.set!.weights.recalibration!;
      expect(rc.constraints.map((c) => c.name).slice(0, 5)).toEqual(TRAITS.map((t) => `mean ${t}`));
      expect(rc.ess).toBeGreaterThan(1);

      // the file's weight column is the set weight, and it moves the weighted means toward the target
      const rows = await jsonlRows(made.body.id);
      expect(rows.map((r) => r.weight)).toEqual(m.rows.map((r) => r.weight));
      const target = buildTarget(m.source.target!.spec, env.db);
      const targetMeans = TRAITS.map((_, k) => {
        let s = 0;
        for (let j = 0; j < target.n; j++) s += target.data[j * 5 + k]!;
        return s / target.n;
      });
      const recalibrated = meanGap(rows, rows.map((r) => r.weight), targetMeans);
      const uniform = meanGap(rows, rows.map(() => 1), targetMeans);
      expect(recalibrated, `k = ${k}`).toBeLessThan(uniform);
      // the report's means are the ones the file gives
      rc.constraints.slice(0, 5).forEach((c, i) => expect(Math.abs(c.target - targetMeans[i]!)).toBeLessThan(1e-9));
    }
  });

  it('draws with repeats keep their counts, with weight = count / k summing to 1 over the rows (stored selection and a fresh draw)', async () => {
    const stored = (await createExport({ source: { kind: 'group', groupId } })).body.manifest as ExportManifest;
    const k = getRun(runId).selection!.length;
    const fresh = (await createExport({ source: { kind: 'run', runId }, size: 300, seed: 2 })).body.manifest as ExportManifest;
    for (const [m, draws, method] of [
      [stored, k, 'stored'],
      [fresh, 300, 'systematic'],
    ] as const) {
      expect(sum(m.rows.map((r) => r.count))).toBe(draws);
      for (const r of m.rows) expect(r.weight).toBe(r.count / draws);
      expect(Math.abs(sum(m.rows.map((r) => r.weight)) - 1)).toBeLessThan(1e-12);
      expect(m.set).toMatchObject({ rows: m.rows.length, distinct: m.rows.length, draws, selection: { method }, weights: { normalisation: 'draws', recalibration: null } });
      expect(m.set!.weights.statement).toBe(
        `weight = count / ${draws} draws: each draw counts 1/${draws}, so the weights sum to 1 over the ${m.rows.length} rows. Weighting the rows by weight and repeating each row count times describe the same set: use one, not both.`,
      );
    }
    expect(stored.set!.selection.statement).toMatch(new RegExp(`^The stored selection of run ${runId}: ${k} draws \\(systematic, seed 5\\) of ${stored.rows.length} distinct personas\\.$`));

    // every persona with its weight: the run's weights, summing to 1 over its pool (= the rows)
    const all = (await createExport({ source: { kind: 'run', runId }, set: 'weights' })).body.manifest as ExportManifest;
    expect(Math.abs(sum(all.rows.map((r) => r.weight)) - 1)).toBeLessThan(1e-9);
    expect(all.set).toMatchObject({ rows: getRun(runId).personaIds!.length, distinct: stored.rows.length, draws: k, weights: { normalisation: 'pool' } });
    const pool = (await createExport({ source: { kind: 'pool' } })).body.manifest as ExportManifest;
    expect(pool.set).toMatchObject({ selection: { method: 'whole-pool' }, weights: { normalisation: 'draws' } });
    expect(Math.abs(sum(pool.rows.map((r) => r.weight)) - 1)).toBeLessThan(1e-9);
  });

  it("the manifest's set block puts the target's filters next to the personas' demographics, and says the target shapes traits only", async () => {
    const made = await createExport({ source: { kind: 'group', groupId }, size: 60, unique: true, seed: 8 });
    const m = made.body.manifest as ExportManifest;
    // a manifest with the set block is a valid manifest (and an older one without it still is)
    expect(parseManifestText(JSON.stringify(m)).set).toEqual(m.set);
    const { set: _set, ...older } = m;
    expect(parseManifestText(JSON.stringify(older)).set).toBeUndefined();

    const demo = m.set!.demographics;
    expect(demo.target).toMatchObject({ filters: { countries: ['US', 'CA'] }, description: 'North America' });
    expect(demo.target!.personaFilters).toMatchObject({ genders: [], ageBands: [] });
    for (const field of ['gender', 'ageBand', 'country'] as const) {
      const tally = demo.personas[field];
      const people = sum(tally.map((c) => c.personas)) + (field === 'country' ? demo.personas.otherCountries.personas : 0);
      expect(people, field).toBe(60);
      const weight = sum(tally.map((c) => c.weight)) + (field === 'country' ? demo.personas.otherCountries.weight : 0);
      expect(Math.abs(weight - 1), field).toBeLessThan(1e-9);
      for (let i = 1; i < tally.length; i++) expect(tally[i - 1]!.personas).toBeGreaterThanOrEqual(tally[i]!.personas);
    }
    expect(demo.personas.country.length).toBeLessThanOrEqual(10);
    expect(demo.statement).toMatch(/^The target \(North America\) shapes the personas' Big Five traits through the weights; it does not select or balance the personas' own gender, age or country/);
    expect(demo.statement).toMatch(/The group sets no persona filters, so retrieval could return any persona\.$/);
    expect(m.set!.selection.statement).toMatch(/^60 distinct personas drawn from run \d+'s pool by pivotal sampling \(seed 8\)/);

    const pool = (await createExport({ source: { kind: 'pool' }, size: 20, unique: true, seed: 1 })).body.manifest as ExportManifest;
    expect(pool.set!.demographics.target).toBeNull();
    expect(pool.set!.demographics.statement).toBe("A pool export has no target: these are the personas' own demographics.");
    expect(pool.set!.weights).toMatchObject({ normalisation: 'horvitz-thompson', recalibration: null });
    expect(pool.set!.weights.reason).toMatch(/no target to re-calibrate to/);
    for (const r of pool.rows) expect(r.weight).toBeCloseTo(1 / 20, 12);
  });

  it('refuses k distinct personas it cannot give with one message, naming how many are available and suggesting draws with repeats (API and CLI)', async () => {
    const run = getRun(runId);
    const available = run.weights!.filter((w) => w > 0).length;
    const k = available + 1;
    const message = `Cannot give ${k} distinct personas: run ${runId}'s pool has ${available} with a positive weight. Ask for at most ${available}, or turn off "unique" to draw ${k} with repeats.`;
    for (const source of [{ kind: 'run', runId }, { kind: 'group', groupId }]) {
      const r = await createExport({ source, size: k, unique: true });
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'too_few_distinct', message, details: { field: 'size', value: k, available, repeats: true } });
    }
    // the suggestion works: the same k with repeats
    const draws = await createExport({ source: { kind: 'run', runId }, size: k });
    expect(draws.status).toBe(200);
    expect(draws.body.manifest.set.draws).toBe(k);

    const { run: cli } = await import('@/lib/cli/commands/export');
    await expect(cli(['--run', String(runId), '--unique', '--size', String(k), '--out', path.join(tmp, 'x.jsonl')])).rejects.toThrow(message);
  });
});
