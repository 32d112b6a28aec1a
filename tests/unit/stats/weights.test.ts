import { describe, expect, it } from 'vitest';
import { importanceWeights, paretoSmooth, weightDiagnostics } from '@/lib/stats';
import { AlignInputError, createRng } from '@/lib/numeric';
import { ref } from '../../support/fixtures';

describe('weightDiagnostics (Kish)', () => {
  it('ESS = n and design effect 1 for uniform weights (doc example)', () => {
    expect(weightDiagnostics(new Float64Array(10).fill(1))).toEqual({ ess: 10, designEffect: 1, maxWeightShare: 0.1, positiveCount: 10 });
  });
  it('one dominant weight gives ESS near 1', () => {
    const w = new Float64Array(100).fill(1e-9);
    w[0] = 1;
    expect(weightDiagnostics(w).ess).toBeCloseTo(1, 5);
  });
});

describe('importanceWeights', () => {
  it('normalises in the log domain: non-negative, sum 1, even with huge log ratios', () => {
    const r = createRng(2);
    const lt = Float64Array.from({ length: 200 }, () => 800 + 5 * r.normal());
    const lp = Float64Array.from({ length: 200 }, () => -800 + 5 * r.normal());
    for (const truncation of ['none', 'cap', 'psis'] as const) {
      const w = importanceWeights({ logTarget: lt, logProposal: lp, truncation }).weights;
      expect(w.every((x) => x >= 0)).toBe(true);
      expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    }
  });
  it('doc example: equal densities give uniform weights', () => {
    expect(Array.from(importanceWeights({ logTarget: [0, 0], logProposal: [0, 0] }).weights)).toEqual([0.5, 0.5]);
  });
  it('cap bounds the largest weight share by about sqrt(n) times the mean', () => {
    const lt = new Float64Array(100);
    lt[0] = 50;
    const r = importanceWeights({ logTarget: lt, logProposal: new Float64Array(100), truncation: 'cap' });
    expect(r.maxWeightShare).toBeLessThanOrEqual((Math.sqrt(100) / 100) * 1.0001);
    expect(r.modifiedCount).toBe(1);
  });
  it('a non-finite pool density is a named error', () => {
    expect(() => importanceWeights({ logTarget: [0], logProposal: [NaN] })).toThrow(AlignInputError);
  });
});

describe('paretoSmooth (PSIS)', () => {
  // Numpy port of ArviZ's _psislw/_gpdfit in tests/fixtures; tolerance 1e-9 on k-hat and smoothed log weights.
  for (const xi of ['0.3', '0.8']) {
    it(`matches the numpy reference for Pareto tail xi = ${xi}`, () => {
      const c = ref.psis[xi];
      const r = paretoSmooth(c.logWeights);
      expect(r.khat).toBeCloseTo(c.khat, 9);
      r.logWeights.forEach((v, i) => expect(v).toBeCloseTo(c.smoothed[i], 9));
    });
  }
  it('k-hat tracks the true tail shape (xi = 0.5 and 1.0 within 0.2) and flags > 0.7', () => {
    for (const xi of [0.5, 1.0]) {
      const r = createRng(9);
      const lw = Float64Array.from({ length: 4000 }, () => -xi * Math.log(1 - r.next()));
      const res = importanceWeights({ logTarget: lw, logProposal: new Float64Array(4000) });
      expect(Math.abs(res.khat - xi)).toBeLessThan(0.2);
      expect(res.khatWarning).toBe(xi > 0.7);
    }
  });
});

describe('importanceWeights with huge log densities', () => {
  it('still sums to 1 when the log densities are near 1e300 (normaliser computed after subtracting the maximum)', () => {
    const r = importanceWeights({ logTarget: [1e300, 1e300, 1e300], logProposal: [0, 0, 0], truncation: 'none' });
    expect(Array.from(r.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.weights[0]).toBeCloseTo(1 / 3, 12);
  });
});
