import { describe, expect, it } from 'vitest';
import { AUTO_CANDIDATES, alignPool, createPoolDensityCache, importanceSampling, liveReweight } from '@/lib/align';
import { AlignInputError, createRng, matrixFromRows, selectRows, type Matrix } from '@/lib/numeric';
import { amw, PAPER_METRICS } from '@/lib/stats';
import { pickCandidate } from '@/lib/align/candidateTable';
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

describe('alignPool edge cases', { timeout: 30_000 }, () => {
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
    expect(a.selection.length).toBe(50);
    const u = alignPool({ pool, reference: ref, config: { seed: 9, size: 50, selection: 'withoutReplacement' } });
    expect(new Set(u.selection).size).toBe(50);
    const c = alignPool({ pool, reference: ref, config: { seed: 9, size: 50, estimator: 'paper', maxIterations: 1, tolerance: 1e-15 } });
    expect(c.diagnostics.converged).toBe(false);
    expect(c.diagnostics.warnings.join(' ')).toMatch(/without reaching the tolerance/);
  });
  it('aligning a sample to itself: metrics near zero for the weighted pool and ESS a large share of n', () => {
    const r = alignPool({ pool: ref, reference: ref, config: { size: 100, candidateFraction: 1, bandwidth: 0.5 } });
    expect(r.metrics.weighted.amw).toBeLessThan(0.05);
    expect(r.diagnostics.ess).toBeGreaterThan(100);
  });
});

describe('auto: the estimator chosen on held-out reference rows', { timeout: 30_000 }, () => {
  const ref = synthetic(300, 0, 1);
  it('measures every candidate, picks by the rule of pickCandidate, reports it, and is deterministic', () => {
    const pool = synthetic(300, 0.5, 6);
    const a = alignPool({ pool, reference: ref, config: { seed: 2, size: 100, projections: 20 } });
    const table = a.estimator.candidates!;
    expect(a.estimator.choice).toBe('auto');
    expect(table.map((c) => c.label)).toEqual(AUTO_CANDIDATES.map((c) => c.label));
    // The lowest score among candidates never worse than Raw on a held-out metric (else the least worse: pickCandidate).
    expect(a.estimator.used.label).toBe(table[pickCandidate(table, a.estimator.heldOut!.raw)]!.label);
    const safe = table.filter((c) => !c.error && PAPER_METRICS.every((k) => c.heldOut[k] <= a.estimator.heldOut!.raw[k]));
    if (safe.length > 0) expect(table.find((c) => c.label === a.estimator.used.label)!.score).toBe(Math.min(...safe.map((c) => c.score)));
    expect(a.estimator.heldOut!.fitRows + a.estimator.heldOut!.heldOutRows).toBe(ref.rows);
    const b = alignPool({ pool, reference: ref, config: { seed: 2, size: 100, projections: 20 } });
    expect(b.estimator.used.label).toBe(a.estimator.used.label);
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
  });

  it('a named estimator skips the choice; paper runs KDE + OT', () => {
    const pool = synthetic(150, 0.3, 7);
    const c = alignPool({ pool, reference: ref, config: { estimator: 'calibration', size: 50 } });
    expect(c.estimator.candidates).toBeNull();
    expect(c.estimator.used.estimator).toBe('calibration');
    expect(c.ot).toBeNull();
    const p = alignPool({ pool, reference: ref, config: { estimator: 'paper', size: 50 } });
    expect(p.estimator.used).toMatchObject({ estimator: 'kde', refine: 'ot' });
    expect(p.ot!.iterations).toBeGreaterThan(0);
  });

  it('too few reference rows to hold some out: falls back to calibration and says so', () => {
    const pool = synthetic(40, 0.3, 8);
    const tiny = selectRows(ref, [0, 1, 2, 3, 4, 5]);
    const r = alignPool({ pool, reference: tiny, config: { size: 10 } });
    expect(r.estimator.used.estimator).toBe('calibration');
    expect(r.diagnostics.warnings.join(' ')).toMatch(/too few reference rows/);
  });
});

describe('recovery on the human IPIP data (biased pool from one half, reference = other half)', { timeout: 60_000 }, () => {
  it('Resample cuts AMW, FD, SW and MMD well below Raw and RandomSelect', () => {
    const { traits } = loadBig5Traits();
    const { pool, reference } = biasedSplit(traits, { poolSize: 1500, referenceSize: 3000, seed: 1 });
    const r = alignPool({ pool, reference, config: { seed: 1, size: 400, estimator: 'paper', selection: 'withoutReplacement' } });
    for (const k of ['amw', 'fd', 'sw', 'mmd'] as const) {
      expect(r.metrics.resample[k], k).toBeLessThan(0.7 * r.metrics.raw[k]);
      expect(r.metrics.resample[k], k).toBeLessThan(0.7 * r.metrics.randomSelect[k]);
      expect(r.metrics.weighted[k], k).toBeLessThan(0.6 * r.metrics.raw[k]);
    }
  });

  it('auto (the default) beats the paper preset and Raw on every metric', () => {
    const { traits } = loadBig5Traits();
    const { pool, reference } = biasedSplit(traits, { poolSize: 1500, referenceSize: 3000, seed: 1 });
    const auto = alignPool({ pool, reference, config: { seed: 1, size: 400 } });
    const paper = alignPool({ pool, reference, config: { seed: 1, size: 400, estimator: 'paper' } });
    for (const k of ['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const) {
      expect(auto.metrics.resample[k], k).toBeLessThan(auto.metrics.raw[k]);
    }
    const mean = (m: typeof auto.metrics.raw) => (['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const).reduce((s, k) => s + m[k] / auto.metrics.raw[k], 0) / 5;
    expect(mean(auto.metrics.resample)).toBeLessThan(mean(paper.metrics.resample));
  }, 60_000);
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
