import { describe, expect, it } from 'vitest';
import { defaultFrontierSizes, diversityFrontier } from '@/lib/align/diversityFrontier';
import { createRng, type Matrix } from '@/lib/numeric';
import { paperMetrics, PAPER_METRICS } from '@/lib/stats/metrics';
import { alignErrorCode } from '../../support/synthetic';

/** n Big-Five-like rows on the 1-5 scale (0.1 steps); `shift` moves E up and N down. */
function sample(n: number, seed: number, shift = 0): Matrix {
  const rng = createRng(seed);
  const m: Matrix = { data: new Float64Array(n * 5), rows: n, cols: 5 };
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 5; k++) {
      const mean = 3 + (k === 0 ? shift : k === 3 ? -shift : 0);
      m.data[i * 5 + k] = Math.min(5, Math.max(1, Math.round((mean + 0.7 * rng.normal()) * 10) / 10));
    }
  }
  return m;
}

/** A pool shifted away from the reference and weights that lean back toward it. */
function setting() {
  const pool = sample(150, 1, 0.4);
  const reference = sample(400, 2);
  const weights = new Float64Array(pool.rows);
  for (let i = 0; i < pool.rows; i++) weights[i] = Math.exp(-0.8 * (pool.data[i * 5]! - 3) + 0.8 * (pool.data[i * 5 + 3]! - 3));
  return { pool, reference, weights };
}

const code = alignErrorCode;

describe('defaultFrontierSizes', () => {
  it('is log-spaced from 50 to the maximum, rounded and de-duplicated (doc example)', () => {
    expect(Array.from(defaultFrontierSizes(2000))).toEqual([50, 85, 143, 243, 412, 697, 1181, 2000]);
    expect(Array.from(defaultFrontierSizes(30))).toEqual([30]);
    const s = defaultFrontierSizes(55);
    expect(s[0]).toBe(50);
    expect(s[s.length - 1]).toBe(55);
    for (let j = 1; j < s.length; j++) expect(s[j]!).toBeGreaterThan(s[j - 1]!);
    expect(code(() => defaultFrontierSizes(0))).toBe('BAD_PARAMETER');
  });
});

// Each case measures dozens of sets; the timeout is a guard on a shared machine, not a performance assertion.
describe('diversityFrontier', { timeout: 60_000 }, () => {
  const { pool, reference, weights } = setting();

  it('reports every metric for increasing sizes, the systematic row and a recommended size among the sizes', () => {
    const r = diversityFrontier({ pool, weights, reference, replicates: 2, seed: 4 });
    expect(r.method).toBe('pivotal');
    expect(r.positiveCount).toBe(150);
    expect(r.sizes[0]).toBe(50);
    expect(r.sizes[r.sizes.length - 1]).toBe(150);
    for (let j = 1; j < r.sizes.length; j++) expect(r.sizes[j]!).toBeGreaterThan(r.sizes[j - 1]!);
    for (const name of PAPER_METRICS) {
      expect(r.distinct[name].length).toBe(r.sizes.length);
      expect(r.systematic[name].length).toBe(r.sizes.length);
      for (const v of [...r.distinct[name], ...r.systematic[name], r.weighted[name]]) expect(Number.isFinite(v) && v >= 0, name).toBe(true);
    }
    r.sizes.forEach((k, s) => {
      expect(r.systematicDistinct[s]!).toBeGreaterThanOrEqual(1);
      expect(r.systematicDistinct[s]!).toBeLessThanOrEqual(k);
      expect(r.normalisedDivergence[s]!).toBeGreaterThan(0);
      expect(Number.isFinite(r.systematicNormalisedDivergence[s]!)).toBe(true);
    });
    expect(Array.from(r.sizes)).toContain(r.recommendedSize);
    const best = Math.min(...r.normalisedDivergence);
    const at = r.normalisedDivergence[Array.from(r.sizes).indexOf(r.recommendedSize)]!;
    expect(at).toBeLessThanOrEqual(1.1 * best);
    r.sizes.forEach((k, s) => {
      if (k > r.recommendedSize) expect(r.normalisedDivergence[s]!).toBeGreaterThan(1.1 * best);
    });
    expect(r.replicates).toEqual({ distinct: 2, systematic: 2 });
    // the weighted row is the pool under its weights, measured as paperMetrics does
    const w = paperMetrics({ a: pool, aWeights: weights, b: reference, seed: 4 });
    for (const name of PAPER_METRICS) expect(r.weighted[name]).toBeCloseTo(w[name], 8);
  });

  it('the whole positive pool is the same set for every method: equal metrics at k = positive count', () => {
    const sizes = [40, 150];
    const a = diversityFrontier({ pool, weights, reference, sizes, method: 'pivotal', replicates: 1 });
    const b = diversityFrontier({ pool, weights, reference, sizes, method: 'herding' });
    expect(b.replicates.distinct).toBe(1);
    for (const name of PAPER_METRICS) expect(b.distinct[name][1]).toBeCloseTo(a.distinct[name][1]!, 8);
    // herding leans the 40 toward the weighted pool: closer to the reference than 40 drawn by pivotal sampling
    expect(b.normalisedDivergence[0]!).toBeLessThan(a.normalisedDivergence[0]!);
  });

  it('is deterministic under a seed (doc example: sizes sorted and de-duplicated)', () => {
    const one = diversityFrontier({ pool, weights, reference, sizes: [20, 10, 20], seed: 9, replicates: 1 });
    const two = diversityFrontier({ pool, weights, reference, sizes: [20, 10, 20], seed: 9, replicates: 1 });
    expect(Array.from(one.sizes)).toEqual([10, 20]);
    expect([10, 20]).toContain(one.recommendedSize);
    expect(Array.from(one.distinct.mmd)).toEqual(Array.from(two.distinct.mmd));
    expect(Array.from(one.systematic.sw)).toEqual(Array.from(two.systematic.sw));
  });

  it('refuses impossible sizes, non-distinct methods and mismatched inputs with a named error', () => {
    const w = Float64Array.from(weights);
    w[0] = 0;
    expect(code(() => diversityFrontier({ pool, weights: w, reference, sizes: [150] }))).toBe('BAD_PARAMETER');
    expect(code(() => diversityFrontier({ pool, weights, reference, sizes: [0] }))).toBe('BAD_PARAMETER');
    expect(code(() => diversityFrontier({ pool, weights, reference, sizes: [] }))).toBe('BAD_PARAMETER');
    expect(code(() => diversityFrontier({ pool, weights, reference, method: 'systematic' as never }))).toBe('BAD_PARAMETER');
    expect(code(() => diversityFrontier({ pool, weights, reference, replicates: 0 }))).toBe('BAD_PARAMETER');
    expect(code(() => diversityFrontier({ pool, weights: weights.subarray(1), reference }))).toBe('DIMENSION_MISMATCH');
    expect(code(() => diversityFrontier({ pool, weights: new Float64Array(150), reference }))).toBe('BAD_WEIGHTS');
    const narrow: Matrix = { data: new Float64Array(8), rows: 2, cols: 4 };
    expect(code(() => diversityFrontier({ pool, weights, reference: narrow }))).toBe('DIMENSION_MISMATCH');
  });
});
