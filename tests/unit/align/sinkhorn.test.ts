import { describe, expect, it } from 'vitest';
import { medianCost, otVariants, sinkhorn, transportWeights, compressPoints } from '@/lib/align';
import { createRng, type Matrix } from '@/lib/numeric';
import { mat, ref } from '../../support/fixtures';

const S = ref.sinkhorn;
const X = mat(S.X, S.n, S.d);
const Y = mat(S.Y, S.m, S.d);
const base = { source: X, target: Y, sourceWeights: S.a, targetWeights: S.b, epsilon: S.epsilon, maxIterations: 100000, tolerance: 1e-13, returnPlan: true };

function rowSums(plan: Float64Array, n: number, m: number) {
  return Array.from({ length: n }, (_, i) => plan.slice(i * m, i * m + m).reduce((s, x) => s + x, 0));
}
function colSums(plan: Float64Array, n: number, m: number) {
  return Array.from({ length: m }, (_, j) => Array.from({ length: n }, (_, i) => plan[i * m + j]!).reduce((s, x) => s + x, 0));
}

describe('sinkhorn against POT 0.8.2 (plan entries within 1e-9)', () => {
  it('balanced = ot.sinkhorn', () => {
    const r = sinkhorn({ ...base, variant: 'balanced' });
    expect(r.converged).toBe(true);
    r.plan!.forEach((p, k) => expect(p).toBeCloseTo(S.balanced_plan[k], 9));
    expect(r.cost).toBeCloseTo(S.balanced_cost, 9);
  });
  it('balanced with per-dimension cost weights = ot.sinkhorn on the weighted cost', () => {
    const r = sinkhorn({ ...base, variant: 'balanced', costWeights: S.omega });
    r.plan!.forEach((p, k) => expect(p).toBeCloseTo(S.balanced_weighted_cost_plan[k], 9));
  });
  it('unbalanced = ot.sinkhorn_unbalanced(reg_m = tau)', () => {
    const r = otVariants.unbalanced({ ...base, tau: S.tau });
    expect(r.converged).toBe(true);
    r.plan!.forEach((p, k) => expect(p).toBeCloseTo(S.unbalanced_plan[k], 9));
  });
  it('semi-relaxed = POT update with the target side exact (numpy reference)', () => {
    const r = otVariants.semiRelaxed({ ...base, tau: S.tau });
    r.plan!.forEach((p, k) => expect(p).toBeCloseTo(S.semirelaxed_plan[k], 9));
  });
  it('median cost and the default epsilon = 0.08 x median(C)', () => {
    expect(medianCost(X, Y)).toBeCloseTo(S.median_cost, 12);
    expect(sinkhorn({ source: X, target: Y }).epsilon).toBeCloseTo(0.08 * S.median_cost, 12);
  });
});

describe('sinkhorn invariants', () => {
  const r0 = createRng(5);
  const rand = (n: number, d: number): Matrix => ({ data: Float64Array.from({ length: n * d }, () => 1 + 4 * r0.next()), rows: n, cols: d });
  const P = rand(40, 5);
  const Q = rand(30, 5);
  const a = Float64Array.from({ length: 40 }, () => 0.5 + r0.next());
  it('balanced plan marginals match a and b; row sums equal the input weights (why they carry no information)', () => {
    const r = sinkhorn({ source: P, target: Q, sourceWeights: a, returnPlan: true, tolerance: 1e-10, maxIterations: 5000 });
    expect(r.converged).toBe(true);
    const an = Array.from(a, (x) => x / a.reduce((s, y) => s + y, 0));
    rowSums(r.plan!, 40, 30).forEach((s, i) => expect(s).toBeCloseTo(an[i]!, 9));
    colSums(r.plan!, 40, 30).forEach((s) => expect(s).toBeCloseTo(1 / 30, 9));
    r.weights.forEach((w, i) => expect(w).toBeCloseTo(an[i]!, 9));
    expect(r.plan!.every((p) => p >= 0)).toBe(true);
  });
  it('semi-relaxed enforces the target marginal exactly and moves the source marginal', () => {
    const r = otVariants.semiRelaxed({ source: P, target: Q, sourceWeights: a, returnPlan: true, tolerance: 1e-10, maxIterations: 5000 });
    colSums(r.plan!, 40, 30).forEach((s) => expect(s).toBeCloseTo(1 / 30, 9));
    const an = Array.from(a, (x) => x / a.reduce((s, y) => s + y, 0));
    const moved = Array.from(r.weights).reduce((s, w, i) => s + Math.abs(w - an[i]!), 0);
    expect(moved).toBeGreaterThan(0.05);
  });
  it('streamed (batched) and stored kernels give the same answer', () => {
    const stored = sinkhorn({ source: P, target: Q, variant: 'unbalanced', tolerance: 1e-12, maxIterations: 3000 });
    const streamed = sinkhorn({ source: P, target: Q, variant: 'unbalanced', tolerance: 1e-12, maxIterations: 3000, kernelCacheLimit: 0, batchSize: 7 });
    expect(streamed.kernelStored).toBe(false);
    streamed.weights.forEach((w, i) => expect(w).toBeCloseTo(stored.weights[i]!, 10));
  });
  it('epsilon scaling reaches the same fixed point', () => {
    const one = sinkhorn({ source: P, target: Q, tolerance: 1e-11, maxIterations: 5000, variant: 'semiRelaxed' });
    const scaled = sinkhorn({ source: P, target: Q, tolerance: 1e-11, maxIterations: 5000, variant: 'semiRelaxed', epsilonScaling: { stages: 3, factor: 4 } });
    scaled.weights.forEach((w, i) => expect(w).toBeCloseTo(one.weights[i]!, 8));
  });
  it('non-convergence is reported, not thrown', () => {
    const r = sinkhorn({ source: P, target: Q, epsilon: 0.01, maxIterations: 3, tolerance: 1e-12 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    expect(r.marginalError.length).toBe(3);
    expect(r.weights.every(Number.isFinite)).toBe(true);
  });
  it('tiny epsilon stays finite in the log domain', () => {
    const r = sinkhorn({ source: P, target: Q, epsilon: 1e-3, maxIterations: 50 });
    expect(r.weights.every(Number.isFinite)).toBe(true);
    expect(r.targetMarginal.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 6);
  });
  it('empty input is a named error', () => {
    expect(() => sinkhorn({ source: { data: new Float64Array(0), rows: 0, cols: 5 }, target: Q })).toThrow(/empty/);
  });
});

describe('compressed transport (grid quantisation + extension)', () => {
  it('compressPoints conserves mass and respects the support budget', () => {
    const r = createRng(12);
    const pts: Matrix = { data: Float64Array.from({ length: 3000 * 5 }, () => 3 + 0.8 * r.normal()), rows: 3000, cols: 5 };
    const w = new Float64Array(3000).fill(1);
    const c = compressPoints(pts, w, 300);
    expect(c.support.rows).toBeLessThanOrEqual(300);
    expect(c.mass.reduce((s, x) => s + x, 0)).toBeCloseTo(3000, 9);
    expect(compressPoints(pts, w, 5000).support).toBe(pts);
  });
  it('semi-relaxed weights from 250-point supports are within 15% (median relative) of the exact solve (heavy compression: 800 -> 250)', () => {
    const r = createRng(13);
    const pool: Matrix = { data: Float64Array.from({ length: 800 * 5 }, () => 3.3 + 0.6 * r.normal()), rows: 800, cols: 5 };
    const ref2: Matrix = { data: Float64Array.from({ length: 700 * 5 }, () => 3 + 0.8 * r.normal()), rows: 700, cols: 5 };
    const a = new Float64Array(800).fill(1);
    const exact = transportWeights(pool, a, ref2, undefined, { maxSupport: Infinity });
    const approx = transportWeights(pool, a, ref2, undefined, { maxSupport: 250 });
    expect(exact.compressed).toBe(false);
    expect(approx.compressed).toBe(true);
    const rel = Array.from(exact.weights, (w, i) => Math.abs(approx.weights[i]! - w) / w).sort((x, y) => x - y);
    expect(rel[400]!).toBeLessThan(0.15);
    const grid = transportWeights(pool, a, ref2, undefined, { maxSupport: 250, extension: 'grid' });
    const relg = Array.from(approx.weights, (w, i) => Math.abs(grid.weights[i]! - w) / w).sort((x, y) => x - y);
    expect(relg[400]!).toBeLessThan(0.02);
  });
});
