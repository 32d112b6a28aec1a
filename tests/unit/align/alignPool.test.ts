import { describe, expect, it } from 'vitest';
import { alignPool, createPoolDensityCache, importanceSampling, liveReweight } from '@/lib/align';
import { AlignInputError, createRng, matrixFromRows, selectRows, type Matrix } from '@/lib/numeric';
import { amw } from '@/lib/stats';
import { loadBig5Traits } from '../../support/big5';
import { biasedSplit } from '../../support/recovery';

function synthetic(n: number, shift: number, seed: number): Matrix {
  const r = createRng(seed);
  const data = new Float64Array(n * 5);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(5, Math.max(1, Math.round((3 + shift + 0.7 * r.normal()) * 10) / 10));
  return { data, rows: n, cols: 5 };
}

function expectCode(f: () => unknown, code: string, message: RegExp) {
  try {
    f();
    expect.unreachable();
  } catch (e) {
    expect(e).toBeInstanceOf(AlignInputError);
    expect((e as AlignInputError).code).toBe(code);
    expect((e as Error).message).toMatch(message);
  }
}

describe('alignPool edge cases', () => {
  const ref = synthetic(300, 0, 1);
  it('empty pool, one persona, NaN, out of range, constant trait: named errors with plain sentences', () => {
    expectCode(() => alignPool({ pool: { data: new Float64Array(0), rows: 0, cols: 5 }, reference: ref }), 'EMPTY', /The pool is empty: add at least 2 measured personas/);
    expectCode(() => alignPool({ pool: matrixFromRows([[3, 3, 3, 3, 3]]), reference: ref }), 'TOO_FEW', /only 1 persona;/);
    const bad = synthetic(20, 0, 2);
    bad.data[7] = NaN;
    expectCode(() => alignPool({ pool: bad, reference: ref }), 'NOT_FINITE', /persona 2, trait C \(Conscientiousness\)/);
    const high = synthetic(20, 0, 2);
    high.data[14] = 6;
    expectCode(() => alignPool({ pool: high, reference: ref }), 'OUT_OF_RANGE', /value 6 in persona 3, trait O .*outside the scale 1-5/);
    const flat = synthetic(20, 0, 2);
    for (let i = 0; i < 20; i++) flat.data[i * 5 + 3] = 3;
    expectCode(() => alignPool({ pool: flat, reference: ref }), 'CONSTANT_TRAIT', /same trait N \(Neuroticism\) score \(3\)/);
    expectCode(() => alignPool({ pool: synthetic(20, 0, 2), reference: { data: new Float64Array(0), rows: 0, cols: 5 } }), 'EMPTY', /reference is empty/);
  });
  it('duplicate points are fine: identical personas get identical weights', () => {
    const pool = synthetic(60, 0.3, 3);
    const dup = selectRows(pool, [...Array.from({ length: 60 }, (_, i) => i), 5, 5]);
    const r = alignPool({ pool: dup, reference: ref, config: { size: 20, candidateFraction: 1 } });
    expect(r.weights[60]).toBeCloseTo(r.weights[61]!, 12);
    expect(r.weights[5]).toBeCloseTo(r.weights[60]!, 12);
  });
  it('weights are non-negative and sum to 1; deterministic under a seed; non-convergence is a flag', () => {
    const pool = synthetic(200, 0.4, 4);
    const a = alignPool({ pool, reference: ref, config: { seed: 9, size: 50 } });
    const b = alignPool({ pool, reference: ref, config: { seed: 9, size: 50 } });
    expect(a.weights.every((w) => w >= 0)).toBe(true);
    expect(a.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    expect(Array.from(a.selection)).toEqual(Array.from(b.selection));
    expect(a.metrics).toEqual(b.metrics);
    expect(new Set(a.selection).size).toBe(50);
    const c = alignPool({ pool, reference: ref, config: { seed: 9, size: 50, maxIterations: 1, tolerance: 1e-15 } });
    expect(c.diagnostics.converged).toBe(false);
    expect(c.diagnostics.warnings.join(' ')).toMatch(/without reaching the tolerance/);
  });
  it('aligning a sample to itself: metrics near zero for the weighted pool and ESS a large share of n', () => {
    const r = alignPool({ pool: ref, reference: ref, config: { size: 100, candidateFraction: 1, bandwidth: 0.5 } });
    expect(r.metrics.weighted.amw).toBeLessThan(0.05);
    expect(r.diagnostics.ess).toBeGreaterThan(100);
  });
});

describe('recovery on the human IPIP data (biased pool from one half, reference = other half)', () => {
  it('Resample cuts AMW, FD, SW and MMD well below Raw and RandomSelect', () => {
    const { traits } = loadBig5Traits();
    const { pool, reference } = biasedSplit(traits, { poolSize: 1500, referenceSize: 3000, seed: 1 });
    const r = alignPool({ pool, reference, config: { seed: 1, size: 400 } });
    for (const k of ['amw', 'fd', 'sw', 'mmd'] as const) {
      expect(r.metrics.resample[k], k).toBeLessThan(0.7 * r.metrics.raw[k]);
      expect(r.metrics.resample[k], k).toBeLessThan(0.7 * r.metrics.randomSelect[k]);
      expect(r.metrics.weighted[k], k).toBeLessThan(0.6 * r.metrics.raw[k]);
    }
  });
});

describe('live update', () => {
  it('liveReweight: target log density within 0.1 (median) of the exact KDE; weights and AMW agree with the batch path', () => {
    const pool = synthetic(2000, 0.3, 5);
    const target = synthetic(1500, 0, 6);
    const cache = createPoolDensityCache({ pool, options: { kdeMethod: 'exact', bandwidth: 0.5 } });
    const live = liveReweight({ cache, target });
    const batch = importanceSampling(pool, target, undefined, { kdeMethod: 'exact', bandwidth: 0.5 });
    const err = Array.from(live.logTargetDensity, (v, i) => Math.abs(v - batch.logTargetDensity[i]!)).sort((x, y) => x - y);
    expect(err[1000]!).toBeLessThan(0.1);
    expect(live.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    expect(Math.abs(live.amw - amw({ a: pool, b: target, aWeights: live.weights }).value)).toBeLessThan(1e-9);
    const batchAmw = amw({ a: pool, b: target, aWeights: batch.weights }).value;
    expect(Math.abs(live.amw - batchAmw)).toBeLessThan(0.02);
    expect(live.amw).toBeLessThan(amw({ a: pool, b: target }).value);
    // Changing the target (weights on its rows) changes the weights.
    const tw = Float64Array.from({ length: 1500 }, (_, j) => (target.data[j * 5]! > 3 ? 2 : 1));
    const live2 = liveReweight({ cache, target, targetWeights: tw });
    expect(live2.amw).not.toBeCloseTo(live.amw, 6);
  });
});
