import { describe, expect, it } from 'vitest';
import { calibrationWeights, createPoolDensityCache } from '@/lib/align';
import { liveCalibrate } from '@/lib/align/liveCalibrate';
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

describe('liveCalibrate (studio edits with calibration weights)', () => {
  const pool = rows(3000, 0.3, 1);
  const target = rows(1500, 0, 2);
  const cache = createPoolDensityCache({ pool, options: { bandwidth: 0.5 } });

  it('gives the calibration weights: the weighted pool has the target means and covariances', () => {
    const r = liveCalibrate({ cache, target });
    const ref = calibrationWeights({ pool, reference: target });
    let maxDiff = 0;
    for (let i = 0; i < pool.rows; i++) maxDiff = Math.max(maxDiff, Math.abs(r.weights[i]! - ref.weights[i]!));
    expect(maxDiff).toBeLessThan(1e-6 / pool.rows);
    const a = weightedMoments(pool, r.weights);
    const b = weightedMoments(target);
    for (let k = 0; k < 5; k++) expect(a.mean[k]).toBeCloseTo(b.mean[k]!, 5);
    expect(r.converged).toBe(true);
    expect(r.ess).toBeGreaterThan(1);
    // AMW from the cached sort orders equals the plain weighted AMW.
    expect(r.amw).toBeCloseTo(amw({ a: pool, aWeights: r.weights, b: target }).value, 10);
  });

  it('warm-starts from the previous edit: no more Newton steps than a cold start', () => {
    const first = liveCalibrate({ cache, target });
    const moved = { ...target, data: target.data.map((v, j) => (j % 5 === 1 ? Math.min(5, v + 0.05) : v)) };
    const cold = liveCalibrate({ cache, target: moved });
    const warm = liveCalibrate({ cache, target: moved, initialLambda: first.lambda });
    expect(warm.iterations).toBeLessThanOrEqual(cold.iterations);
    let maxDiff = 0;
    for (let i = 0; i < pool.rows; i++) maxDiff = Math.max(maxDiff, Math.abs(warm.weights[i]! - cold.weights[i]!));
    expect(maxDiff).toBeLessThan(1e-6 / pool.rows);
  });

  it('subsets of the same target rows reuse the target cache safely', () => {
    const sub = selectRows(target, Array.from({ length: 500 }, (_, i) => i * 3));
    const r = liveCalibrate({ cache, target: sub });
    expect(r.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });
});
