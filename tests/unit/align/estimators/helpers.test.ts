import { describe, expect, it } from 'vitest';
import {
  balanceReport,
  binOf,
  binShares,
  denseFeatures,
  describeBin,
  failedConstraintsSentence,
  featureMeans,
  featureRow,
  momentFeatures,
  prepareEstimatorInput,
  pseudoSolve,
  quantileBins,
} from '@/lib/align/estimators';
import { estimatorResult } from '@/lib/align/estimators/estimatorResult';
import { backtrack } from '@/lib/align/estimators/lineSearch';
import { tridiagonalEigen } from '@/lib/align/estimators/pseudoSolve';
import { numberOption } from '@/lib/align/estimators/weightEstimatorInput';
import { AlignInputError, createRng, matrixFromRows, symmetricEigen } from '@/lib/numeric';

describe('estimator helpers (doc examples)', () => {
  it('prepareEstimatorInput normalises both weight vectors', () => {
    const pool = matrixFromRows([
      [1, 2],
      [3, 4],
      [2, 5],
    ]);
    const p = prepareEstimatorInput({ pool, reference: pool, baseWeights: [1, 1, 2] });
    expect(Array.from(p.base)).toEqual([0.25, 0.25, 0.5]);
    expect(p.target.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 15);
    expect(p.names).toEqual(['x1', 'x2']);
    expect(() => prepareEstimatorInput({ pool, reference: pool, labels: ['a'] })).toThrow(AlignInputError);
  });

  it('numberOption returns the default or checks the value', () => {
    expect(numberOption(undefined, 5, 'bins', { integer: true, min: 2 })).toBe(5);
    expect(numberOption(7, 5, 'bins', { integer: true, min: 2 })).toBe(7);
    expect(() => numberOption(1.5, 5, 'bins', { integer: true, min: 2 })).toThrow('The option bins must be a whole number, at least 2; got 1.5.');
  });

  it('quantileBins: lower weighted quantiles, ties merged, empty pool bins merged', () => {
    const q = quantileBins(matrixFromRows([[1], [2], [3], [4]]), Float64Array.of(0.25, 0.25, 0.25, 0.25), 2);
    expect(Array.from(q.cuts[0]!)).toEqual([2]);
    expect(q.warnings).toEqual([]);
    const tied = quantileBins(matrixFromRows([[1], [1], [1], [4]]), Float64Array.of(0.25, 0.25, 0.25, 0.25), 4);
    expect(Array.from(tied.cuts[0]!)).toEqual([1]);
    expect(tied.warnings[0]).toMatch(/tied values/);
    const merged = quantileBins(matrixFromRows([[1], [2], [3], [4]]), Float64Array.of(0.25, 0.25, 0.25, 0.25), 4, {
      pool: matrixFromRows([[1], [4]]),
      names: ['E'],
    });
    expect(Array.from(merged.cuts[0]!)).toEqual([1]);
    expect(merged.warnings.every((w) => w.startsWith('E: the pool has no persona'))).toBe(true);
  });

  it('binOf counts the cuts strictly below x; describeBin names a bin', () => {
    const cuts = Float64Array.of(2, 3);
    expect([binOf(cuts, 2), binOf(cuts, 2.5), binOf(cuts, 9), binOf(cuts, -1)]).toEqual([0, 1, 2, 0]);
    expect(describeBin(cuts, 0)).toBe('<= 2');
    expect(describeBin(cuts, 1)).toBe('(2, 3]');
    expect(describeBin(cuts, 2)).toBe('> 3');
  });

  it('momentFeatures lays out means, variances, covariances, bins; featureRow and denseFeatures fill them', () => {
    const x = matrixFromRows([
      [1, 2],
      [3, 5],
    ]);
    const fs = momentFeatures([{ x, weights: Float64Array.of(0.5, 0.5), mass: 1 }], 'all');
    expect(fs.p).toBe(5);
    expect(fs.kind).toEqual(['mean', 'mean', 'variance', 'variance', 'covariance']);
    expect(Array.from(fs.centre)).toEqual([2, 3.5]);
    const out = new Float64Array(5);
    featureRow(fs, Float64Array.of(2, 3), 0, out);
    expect(out[0]).toBe(2 - fs.centre[0]!);
    denseFeatures(2, 5, Float64Array.of(0, 0), Float64Array.of(2, 3), 0, out);
    expect(Array.from(out)).toEqual([2, 3, 4, 9, 6]);
    expect(featureMeans(fs, x, Float64Array.of(0.5, 0.5))[0]).toBe(0);
    // Population SDs over the basis: x1 has values 1, 3 -> sd 1.
    expect(fs.sd[0]).toBeCloseTo(1, 15);
    const withBins = momentFeatures([{ x, weights: Float64Array.of(0.5, 0.5), mass: 1 }], 'means', [Float64Array.of(2), new Float64Array(0)]);
    expect(withBins.kind).toEqual(['mean', 'mean', 'share', 'share']);
    expect(Array.from(withBins.binOffset)).toEqual([2, 4]);
  });

  it('balanceReport: zero gaps for identical weighted sets; binShares sums the weights per bin', () => {
    const x = matrixFromRows([[1], [2], [4]]);
    const w = Float64Array.of(0.2, 0.3, 0.5);
    const r = balanceReport(x, w, x, w, w, ['E'], { moments: 'all', cuts: [Float64Array.of(2)] }, 1e-6);
    expect(r.map((c) => c.name)).toEqual(['mean E', 'variance E', 'share E bin 1/2 <= 2', 'share E bin 2/2 > 2']);
    expect(r[0]).toMatchObject({ name: 'mean E', kind: 'mean', gap: 0, holds: true });
    for (const c of r) expect(c.holds).toBe(true);
    expect(Array.from(binShares(matrixFromRows([[1], [3]]), Float64Array.of(0.25, 0.75), 0, Float64Array.of(2)))).toEqual([0.25, 0.75]);
    // A shifted pool: mean gap = difference / target SD.
    const shifted = matrixFromRows([[2], [3], [5]]);
    const g = balanceReport(shifted, w, x, w, w, ['E'], { moments: 'means' }, 0.1)[0]!;
    const sd = Math.sqrt(0.2 * 1 + 0.3 * 4 + 0.5 * 16 - (0.2 + 0.6 + 2) ** 2);
    expect(g.gap).toBeCloseTo(1 / sd, 12);
    expect(g.holds).toBe(false);
    expect(failedConstraintsSentence([g])).toBe(`mean E (target 2.8, achieved 3.8, gap ${Number((1 / sd).toPrecision(3))} SD)`);
    expect(failedConstraintsSentence(r)).toBe('');
  });

  it('pseudoSolve drops null directions', () => {
    const r = pseudoSolve(Float64Array.of(2, 0, 0, 0), Float64Array.of(4, 1), 2);
    expect(Array.from(r.x)).toEqual([2, 0]);
    expect(r.dropped).toBe(1);
    const full = pseudoSolve(Float64Array.of(4, 1, 1, 3), Float64Array.of(1, 2), 2).x;
    expect(4 * full[0]! + full[1]!).toBeCloseTo(1, 12);
    expect(full[0]! + 3 * full[1]!).toBeCloseTo(2, 12);
  });

  it('tridiagonalEigen decomposes a 65 x 65 covariance (moments + deciles) to rounding, as Jacobi does', () => {
    const p = 65;
    const r = createRng(11);
    // A rank-deficient covariance (60 samples in 65 dimensions) scaled like a standardised feature Hessian.
    const x = Float64Array.from({ length: 60 * p }, () => r.normal());
    const a = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) for (let t = 0; t < 60; t++) a[i * p + j] = a[i * p + j]! + (x[t * p + i]! * x[t * p + j]!) / 60;
    const { values, vectors } = tridiagonalEigen(a, p);
    let recon = 0;
    let orth = 0;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let v = 0;
        let o = 0;
        for (let k = 0; k < p; k++) {
          v += vectors[i * p + k]! * values[k]! * vectors[j * p + k]!;
          o += vectors[k * p + i]! * vectors[k * p + j]!;
        }
        recon = Math.max(recon, Math.abs(v - a[i * p + j]!));
        orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
      }
    }
    expect(recon).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
    const sorted = Array.from(values).sort((u, v) => u - v);
    const jacobi = Array.from(symmetricEigen(a, p).values).sort((u, v) => u - v);
    sorted.forEach((v, k) => expect(Math.abs(v - jacobi[k]!)).toBeLessThan(1e-11));
    // Five null directions (rank 60): pseudoSolve drops them.
    expect(pseudoSolve(a, Float64Array.from({ length: p }, (_, i) => i % 3), p).dropped).toBe(5);
    expect(Array.from(tridiagonalEigen(Float64Array.of(2, 0, 0, 3), 2).values).sort()).toEqual([2, 3]);
    expect(Array.from(tridiagonalEigen(Float64Array.of(7), 1).values)).toEqual([7]);
  });

  it('backtrack: quadratic interpolation kept within a tenth and a half of the failed step (doc example)', () => {
    expect(backtrack(1, 0, 10, -1)).toBe(0.1);
    expect(backtrack(1, 0, -0.4, -1)).toBe(0.5);
    // f(0) = 0, f'(0) = -1, f(1) = 1: the quadratic t^2 (2) - t has its minimum at 0.25.
    expect(backtrack(1, 0, 1, -1)).toBeCloseTo(0.25, 15);
    expect(backtrack(0.5, 0, Infinity, -1)).toBe(0.05);
  });

  it('estimatorResult renormalises, never returns NaN and flags concentrated weights', () => {
    const fallback = Float64Array.of(0.5, 0.5);
    const common = { method: 'raking' as const, fallback, converged: true, iterations: 1, constraints: [], warnings: [], parameters: new Float64Array(0) };
    expect(Array.from(estimatorResult({ ...common, weights: Float64Array.of(1, 1) }).weights)).toEqual([0.5, 0.5]);
    const bad = estimatorResult({ ...common, weights: Float64Array.of(NaN, 1) });
    expect(Array.from(bad.weights)).toEqual([0.5, 0.5]);
    expect(bad.converged).toBe(false);
    expect(bad.warnings[0]).toMatch(/base weights are returned/);
    const concentrated = estimatorResult({ ...common, fallback: new Float64Array(100).fill(0.01), weights: Float64Array.from({ length: 100 }, (_, i) => (i === 0 ? 1 : 0)) });
    expect(concentrated.diagnostics.ess).toBe(1);
    expect(concentrated.warnings[0]).toMatch(/effective sample size is 1 of 100/);
  });
});
