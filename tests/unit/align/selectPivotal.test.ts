import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inclusionProbabilities, selectPivotal } from '@/lib/align/selectPivotal';
import { selectionMethods, UNIQUE_SELECTION_METHODS } from '@/lib/align/selectionMethods';
import { createRng } from '@/lib/numeric';
import { alignErrorCode } from '../../support/synthetic';

interface Fixture {
  pivotal: { name: string; weights: number[]; size: number; pi: number[] }[];
}
const fixture = JSON.parse(readFileSync(path.join(process.cwd(), 'tests/fixtures/selection.json'), 'utf8')) as Fixture;

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);

/** Inclusion counts of `runs` pivotal draws from one seeded stream. */
function inclusionCounts(weights: number[], size: number, runs: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const counts = new Float64Array(weights.length);
  for (let r = 0; r < runs; r++) for (const i of selectPivotal({ weights, size, rng }).indices) counts[i]!++;
  return counts;
}

describe('inclusionProbabilities', () => {
  it('matches the scipy root of sum min(1, c w_i) = k (tolerance 1e-9)', () => {
    expect(fixture.pivotal.length).toBeGreaterThanOrEqual(8);
    for (const c of fixture.pivotal) {
      const pi = inclusionProbabilities(c.weights, c.size);
      expect(pi.length, c.name).toBe(c.weights.length);
      for (let i = 0; i < pi.length; i++) expect(Math.abs(pi[i]! - c.pi[i]!), `${c.name} #${i}`).toBeLessThan(1e-9);
    }
  });

  it('lies in [0, 1], sums to k, is 0 for zero weights and 1 for the capped ones (doc example)', () => {
    expect(Array.from(inclusionProbabilities([1, 1, 8], 2))).toEqual([0.5, 0.5, 1]);
    const w = [0, 100, 3, 0.5, 2, 40, 1, 1, 0];
    for (const k of [0, 1, 2, 3, 5, 6]) {
      const pi = inclusionProbabilities(w, k);
      expect(Math.abs(sum(pi) - k)).toBeLessThan(1e-12);
      for (const p of pi) expect(p >= 0 && p <= 1).toBe(true);
      expect(pi[0]).toBe(0);
      expect(pi[8]).toBe(0);
    }
    expect(Array.from(inclusionProbabilities(w, 6)).filter((p) => p === 1).length).toBeGreaterThanOrEqual(2);
    expect(Array.from(inclusionProbabilities(w, 7))).toEqual(w.map((x) => (x > 0 ? 1 : 0)));
  });
});

describe('selectPivotal', () => {
  it('returns exactly k distinct positive-weight indices, ascending, with pi for Horvitz-Thompson weights', () => {
    const rng = createRng(11);
    const w = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? 0 : Math.exp(Math.sin(i) * 3)));
    for (const k of [1, 17, 100, 256]) {
      const r = selectPivotal({ weights: w, size: k, rng });
      expect(r.unique).toBe(true);
      expect(r.indices.length).toBe(k);
      expect(new Set(r.indices).size).toBe(k);
      for (let t = 1; t < k; t++) expect(r.indices[t]!).toBeGreaterThan(r.indices[t - 1]!);
      for (const i of r.indices) expect(w[i]!).toBeGreaterThan(0);
      expect(Math.abs(sum(r.inclusionProbabilities!) - k)).toBeLessThan(1e-9);
    }
    expect(selectPivotal({ weights: [1, 2], size: 0, rng }).indices.length).toBe(0);
  });

  it('includes persona i with frequency pi_i over 20,000 seeded draws (|z| < 4.5 per persona, chi-square < n + 5 sqrt(2n))', () => {
    // Mild spread plus one capped persona; deterministic stream, so the bound is checked on fixed numbers. Under
    // the design z_i = (f_i - pi_i) / sqrt(pi_i (1 - pi_i) / R) is about N(0, 1): 4.5 is a generous per-persona bound
    // and the sum of z^2 over the uncapped personas stays well under its mean n plus five standard deviations.
    const weights = [9, ...Array.from({ length: 19 }, (_, i) => 0.5 + ((i * 7) % 11) / 10)];
    const size = 6;
    const runs = 20000;
    const pi = inclusionProbabilities(weights, size);
    expect(pi[0]).toBe(1);
    const counts = inclusionCounts(weights, size, runs, 2024);
    expect(counts[0]).toBe(runs);
    let chi2 = 0;
    let m = 0;
    for (let i = 0; i < weights.length; i++) {
      if (pi[i]! >= 1) continue;
      const f = counts[i]! / runs;
      const z = (f - pi[i]!) / Math.sqrt((pi[i]! * (1 - pi[i]!)) / runs);
      expect(Math.abs(z), `persona ${i}: frequency ${f} vs pi ${pi[i]}`).toBeLessThan(4.5);
      chi2 += z * z;
      m++;
    }
    expect(chi2).toBeLessThan(m + 5 * Math.sqrt(2 * m));
  });

  it('matches pi on the fixture cases too (|f - pi| < 4.5 sd over 4,000 draws)', () => {
    for (const c of fixture.pivotal.filter((x) => x.weights.length <= 50)) {
      const runs = 4000;
      const counts = inclusionCounts(c.weights, c.size, runs, 99);
      for (let i = 0; i < c.pi.length; i++) {
        const p = c.pi[i]!;
        const sd = Math.sqrt((p * (1 - p)) / runs);
        expect(Math.abs(counts[i]! / runs - p), `${c.name} #${i}`).toBeLessThanOrEqual(4.5 * sd + 1e-12);
      }
    }
  });

  it('the capped case: one huge weight gets pi = 1 and is always chosen (doc example)', () => {
    for (let s = 0; s < 200; s++) {
      const r = selectPivotal({ weights: [1, 1, 8], size: 2, rng: createRng(s) });
      expect(Array.from(r.indices)).toContain(2);
      expect(Array.from(r.inclusionProbabilities!)).toEqual([0.5, 0.5, 1]);
    }
    const w = [1000, ...Array.from({ length: 99 }, () => 1)];
    for (let s = 0; s < 50; s++) expect(selectPivotal({ weights: w, size: 10, rng: createRng(s) }).indices[0]).toBe(0);
  });

  it('Horvitz-Thompson totals sum_{i in S} y_i w_i / pi_i are unbiased for sum_i y_i w_i (within 4 standard errors)', () => {
    const weights = Array.from({ length: 40 }, (_, i) => 0.2 + ((i * 13) % 17) / 4);
    const y = weights.map((_, i) => Math.cos(i));
    const truth = sum(weights.map((w, i) => w * y[i]!));
    const rng = createRng(5);
    const runs = 5000;
    const est: number[] = [];
    for (let r = 0; r < runs; r++) {
      const s = selectPivotal({ weights, size: 10, rng });
      est.push(sum(Array.from(s.indices, (i) => (y[i]! * weights[i]!) / s.inclusionProbabilities![i]!)));
    }
    const mean = sum(est) / runs;
    const sd = Math.sqrt(sum(est.map((e) => (e - mean) ** 2)) / (runs - 1));
    expect(Math.abs(mean - truth)).toBeLessThan((4 * sd) / Math.sqrt(runs));
  });

  it('is deterministic under a seed and is the registry entry "pivotal"', () => {
    const w = Array.from({ length: 80 }, (_, i) => 1 + (i % 9));
    const a = selectPivotal({ weights: w, size: 25, rng: createRng(3) }).indices;
    const b = selectionMethods.pivotal({ weights: w, size: 25, rng: createRng(3) }).indices;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(selectPivotal({ weights: w, size: 25, rng: createRng(4) }).indices)).not.toEqual(Array.from(a));
    expect(UNIQUE_SELECTION_METHODS.has('pivotal')).toBe(true);
    expect(UNIQUE_SELECTION_METHODS.has('herding')).toBe(true);
    expect(UNIQUE_SELECTION_METHODS.has('systematic')).toBe(false);
  });

  it('asking for more distinct personas than have weight, or bad weights, is a named error', () => {
    const code = alignErrorCode;
    expect(code(() => selectPivotal({ weights: [1, 0, 2], size: 3, rng: createRng(1) }))).toBe('BAD_PARAMETER');
    expect(code(() => inclusionProbabilities([1, 0, 2], 3))).toBe('BAD_PARAMETER');
    expect(code(() => selectPivotal({ weights: [1, -1], size: 1, rng: createRng(1) }))).toBe('BAD_WEIGHTS');
    expect(code(() => selectPivotal({ weights: [1, NaN], size: 1, rng: createRng(1) }))).toBe('BAD_WEIGHTS');
    expect(code(() => selectPivotal({ weights: [0, 0], size: 1, rng: createRng(1) }))).toBe('BAD_WEIGHTS');
    expect(code(() => selectPivotal({ weights: [1, 2], size: 1.5, rng: createRng(1) }))).toBe('BAD_PARAMETER');
  });

  it('keeps exactly k over weights spanning many orders of magnitude', () => {
    const w = Array.from({ length: 5000 }, (_, i) => Math.exp(-i / 200) + 1e-12 * i);
    for (let s = 0; s < 20; s++) expect(selectPivotal({ weights: w, size: 700, rng: createRng(s) }).indices.length).toBe(700);
  });
});
