import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '@/lib/numeric';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const cli = (...args: string[]) => spawnSync(tsx, [join(root, 'lib/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8' });

function traitFile(dir: string, name: string, n: number, shift: number, seed: number): string {
  const r = createRng(seed);
  const lines = ['id,E,A,C,N,O'];
  for (let i = 0; i < n; i++) {
    const v = Array.from({ length: 5 }, (_, k) => Math.min(5, Math.max(1, Math.round((3 + (k === 1 ? shift : 0) + 0.7 * r.normal()) * 10) / 10)));
    lines.push([`${name}${i}`, ...v].join(','));
  }
  const p = join(dir, `${name}.csv`);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

describe('populace align / metrics (CLI contract)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'populace-cli-'));
  const pool = traitFile(dir, 'pool', 400, 0.5, 1);
  const ref = traitFile(dir, 'ref', 600, 0, 2);

  it('align writes weights.csv, selection.csv and report.json with the documented keys', () => {
    const out = join(dir, 'run');
    const r = cli('align', '--pool', pool, '--reference', ref, '--out', out, '--seed', '3', '--size', '100');
    expect(r.status, r.stderr).toBe(0);
    const weights = readFileSync(join(out, 'weights.csv'), 'utf8').trim().split('\n');
    expect(weights[0]).toBe('id,weight');
    expect(weights.length).toBe(401);
    const total = weights.slice(1).reduce((s, l) => s + Number(l.split(',')[1]), 0);
    expect(total).toBeCloseTo(1, 9);
    const sel = readFileSync(join(out, 'selection.csv'), 'utf8').trim().split('\n');
    expect(sel[0]).toBe('id');
    expect(sel.length).toBe(101);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    for (const k of ['raw', 'randomSelect', 'resample']) expect(Object.keys(report.metrics[k]).sort()).toEqual(['amw', 'fd', 'maecorr', 'mmd', 'sw']);
    for (const k of ['ess', 'designEffect', 'maxWeightShare', 'khat', 'converged', 'iterations']) expect(report.diagnostics).toHaveProperty(k);
    expect(report.config.seed).toBe(3);
    expect(report.config.size).toBe(100);
    expect(report.metrics.resample.amw).toBeLessThan(report.metrics.raw.amw);
    // deterministic under the seed
    const out2 = join(dir, 'run2');
    expect(cli('align', '--pool', pool, '--reference', ref, '--out', out2, '--seed', '3', '--size', '100').status).toBe(0);
    expect(readFileSync(join(out2, 'selection.csv'), 'utf8')).toBe(readFileSync(join(out, 'selection.csv'), 'utf8'));
  });

  it('metrics prints the five metrics as JSON; weights accepted; identical sets give zeros', () => {
    const r = cli('metrics', '--a', pool, '--b', ref);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(Object.keys(m).sort()).toEqual(['amw', 'fd', 'maecorr', 'mmd', 'sw']);
    expect(m.amw).toBeGreaterThan(0);
    const same = JSON.parse(cli('metrics', '--a', pool, '--b', pool).stdout);
    for (const v of Object.values(same)) expect(v as number).toBeCloseTo(0, 9);
    const w = join(dir, 'w.csv');
    writeFileSync(w, 'id,weight\n' + Array.from({ length: 400 }, (_, i) => `pool${i},${i % 2 ? 2 : 1}`).join('\n') + '\n');
    const rw = cli('metrics', '--a', pool, '--b', ref, '--a-weights', w);
    expect(rw.status, rw.stderr).toBe(0);
    expect(JSON.parse(rw.stdout).amw).not.toBeCloseTo(m.amw, 9);
  });

  it('bad input exits non-zero naming the file, line and column', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id,E,A,C,N,O\np1,3,3,3,3,3\np2,3,9,3,3,3\n');
    const r = cli('align', '--pool', bad, '--reference', ref, '--out', join(dir, 'x'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}, line 3, column A: 9 is outside the 1-5 scale`);
    expect(existsSync(join(dir, 'x', 'report.json'))).toBe(false);
    const tiny = join(dir, 'tiny.csv');
    writeFileSync(tiny, 'id,E,A,C,N,O\np1,3,3,3,3,3\n');
    const t = cli('align', '--pool', tiny, '--reference', ref, '--out', join(dir, 'y'));
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/The pool has only 1 persona/);
    const m = cli('metrics', '--a', pool);
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/missing required option --b/);
  });
});
