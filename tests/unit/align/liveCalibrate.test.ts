import { describe, expect, it } from 'vitest';
import { calibrationWeights, createPoolDensityCache } from '@/lib/align';
import { balanceReport } from '@/lib/align/estimators';
import { LIVE_CALIBRATION_ROWS, liveCalibrate } from '@/lib/align/liveCalibrate';
import { poolOrder } from '@/lib/align/liveReweight';
import { createRng, selectRows, type Matrix } from '@/lib/numeric';
import { amw, weightedMoments } from '@/lib/stats';

/** Seeded trait-like rows on 1-5: a correlated Gaussian, clipped. */
function rows(n: number, shift: number, seed: number): Matrix {
  const rng = createRng(seed);
  const data = new Float64Array(n * 5);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: 5 }, () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
    for (let k = 0; k < 5; k++) data[i * 5 + k] = Math.min(5, Math.max(1, 3 + shift + 0.6 * z[k]! + 0.2 * z[(k + 1) % 5]!));
  }
  return { data, rows: n, cols: 5 };
}

/** The target moved on one trait (as a slider does), clipped to the scale. */
function moved(target: Matrix, trait: number, by: number): Matrix {
  return { ...target, data: target.data.map((v, j) => (j % 5 === trait ? Math.min(5, Math.max(1, v + by)) : v)) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const uniform = (n: number) => new Float64Array(n).fill(1 / n);
const NAMES = ['E', 'A', 'C', 'N', 'O'];

describe('liveCalibrate (studio edits with calibration weights)', () => {
  const pool = rows(3000, 0.3, 1);
  const target = rows(1500, 0, 2);
  const cache = createPoolDensityCache({ pool, options: { bandwidth: 0.5 } });

  it('solves on every row of a pool no larger than LIVE_CALIBRATION_ROWS: the exact calibration weights', () => {
    expect(pool.rows).toBeLessThanOrEqual(LIVE_CALIBRATION_ROWS);
    const r = liveCalibrate({ cache, target });
    const ref = calibrationWeights({ pool, reference: target });
    expect(r.solvedRows).toBe(pool.rows);
    // The live solver stops at a dual gradient of 1e-4 (the exact one at 1e-10): weights agree to about that.
    expect(maxAbsDiff(r.weights, ref.weights) * pool.rows).toBeLessThan(1e-3);
    const a = weightedMoments(pool, r.weights);
    const b = weightedMoments(target);
    for (let k = 0; k < 5; k++) expect(a.mean[k]).toBeCloseTo(b.mean[k]!, 4);
    expect(r.maxGap).toBeLessThan(1e-3);
    expect(r.converged).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(r.ess).toBeGreaterThan(1);
    // AMW from the cached sort orders equals the plain weighted AMW.
    expect(r.amw).toBeCloseTo(amw({ a: pool, aWeights: r.weights, b: target }).value, 10);
    // The returned moments are the whole weighted pool's and the target's.
    expect(maxAbsDiff(r.moments.pool.covariance, a.covariance)).toBeLessThan(1e-12);
    expect(maxAbsDiff(r.moments.target.mean, b.mean)).toBeLessThan(1e-12);
  });

  it('accepts a plain pool order (no pool density) with the same result', () => {
    const a = liveCalibrate({ cache, target });
    const b = liveCalibrate({ cache: poolOrder(pool), target });
    expect(maxAbsDiff(a.weights, b.weights)).toBe(0);
    expect(b.amw).toBe(a.amw);
  });

  describe('on a subsample of a larger pool, extended to every row', () => {
    const big = rows(30_000, 0.3, 3);
    const order = poolOrder(big);
    const exact = liveCalibrate({ cache: order, target, rows: big.rows });
    const sub = liveCalibrate({ cache: order, target, rows: 4096 });

    it('comes close to the exact whole-pool calibration', () => {
      expect(exact.solvedRows).toBe(big.rows);
      expect(sub.solvedRows).toBe(4096);
      expect(exact.maxGap).toBeLessThan(1e-3);
      let tv = 0;
      for (let i = 0; i < big.rows; i++) tv += 0.5 * Math.abs(sub.weights[i]! - exact.weights[i]!);
      expect(tv).toBeLessThan(0.05);
      expect(sub.ess / exact.ess).toBeGreaterThan(0.9);
      expect(sub.ess / exact.ess).toBeLessThan(1.1);
      expect(Math.abs(sub.amw - exact.amw)).toBeLessThan(0.01);
      const sum = sub.weights.reduce((s, w) => s + w, 0);
      expect(sum).toBeCloseTo(1, 12);
    });

    it('reports the whole pool’s moment gap honestly: the same as a balance report on every row', () => {
      expect(sub.maxGap).toBeGreaterThan(0);
      expect(sub.maxGap).toBeLessThan(0.1);
      const report = balanceReport(big, sub.weights, target, uniform(target.rows), uniform(big.rows), NAMES, { moments: 'all' }, 1);
      expect(report.map((c) => c.name)).toEqual(sub.constraints.map((c) => c.name));
      report.forEach((c, j) => {
        expect(sub.constraints[j]!.achieved).toBeCloseTo(c.achieved, 10);
        expect(sub.constraints[j]!.gap).toBeCloseTo(c.gap, 8);
      });
      expect(sub.maxGap).toBeCloseTo(Math.max(...report.map((c) => Math.abs(c.gap))), 8);
    });

    it('uses the same seeded subsample on every call (deterministic)', () => {
      const again = liveCalibrate({ cache: order, target, rows: 4096 });
      expect(maxAbsDiff(again.weights, sub.weights)).toBe(0);
      expect(again.maxGap).toBe(sub.maxGap);
    });

    it('warm-starts from the previous edit: the same answer as a cold start, in no more Newton steps', () => {
      const next = moved(target, 3, -0.05);
      const cold = liveCalibrate({ cache: order, target: next, rows: 4096 });
      const warm = liveCalibrate({ cache: order, target: next, rows: 4096, initialLambda: sub.lambda });
      expect(warm.iterations).toBeLessThanOrEqual(cold.iterations);
      // Both stop once every standardised moment gap on the subsample is below 1e-4: the weights agree to about 1%
      // of a weight and the whole pool's moments to well within 1e-3 target SDs.
      expect(maxAbsDiff(warm.weights, cold.weights) * big.rows).toBeLessThan(1e-2);
      warm.constraints.forEach((c, j) => expect(Math.abs(c.gap - cold.constraints[j]!.gap)).toBeLessThan(1e-3));
    });
  });

  it('gives finite weights and a report, not NaN, for a target the pool cannot reach', () => {
    // Every persona scores at most 3.2 on E; the target's E mean is 4.5.
    const capped = { ...pool, data: pool.data.map((v, j) => (j % 5 === 0 ? Math.min(v, 3.2) : v)) };
    const far = moved(target, 0, 1.5);
    const r = liveCalibrate({ cache: poolOrder(capped), target: far });
    expect(r.converged).toBe(false);
    expect(r.weights.every((w) => Number.isFinite(w) && w >= 0)).toBe(true);
    expect(r.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    expect(r.constraints.every((c) => Number.isFinite(c.gap))).toBe(true);
    expect(Number.isFinite(r.maxGap)).toBe(true);
    expect(r.maxGap).toBeGreaterThan(1);
    expect(r.constraints.find((c) => c.name === 'mean E')!.holds).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/Exact balancing is not possible/);
    expect(r.warnings.join(' ')).toMatch(/mean E/);
    for (const v of [r.ess, r.designEffect, r.maxWeightShare, r.khat, r.amw]) expect(Number.isFinite(v)).toBe(true);
  });

  it('subsets of the same target rows reuse the target cache safely', () => {
    const sub = selectRows(target, Array.from({ length: 500 }, (_, i) => i * 3));
    const r = liveCalibrate({ cache, target: sub });
    expect(r.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });
});
