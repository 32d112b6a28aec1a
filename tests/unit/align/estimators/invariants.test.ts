import { describe, expect, it } from 'vitest';
import {
  calibrationWeights,
  ESTIMATOR_NAMES,
  kdeWeights,
  logisticWeights,
  rakingWeights,
  weightEstimators,
  type WeightEstimatorInput,
  type WeightEstimatorResult,
} from '@/lib/align/estimators';
import { AlignInputError, createRng, type Matrix } from '@/lib/numeric';
import { weightedMoments } from '@/lib/stats';
import { sharedFactorTraits } from '../../../support/synthetic';

const traits = sharedFactorTraits;

function positiveWeights(n: number, seed: number): Float64Array {
  const r = createRng(seed);
  return Float64Array.from({ length: n }, () => 0.5 + r.next());
}

function expectValidWeights(r: WeightEstimatorResult, n: number): void {
  expect(r.weights.length).toBe(n);
  let s = 0;
  for (const w of r.weights) {
    expect(Number.isFinite(w)).toBe(true);
    expect(w).toBeGreaterThanOrEqual(0);
    s += w;
  }
  expect(Math.abs(s - 1)).toBeLessThan(1e-12);
  expect(Number.isFinite(r.diagnostics.ess)).toBe(true);
}

const pool = traits(400, 1);
const reference = traits(300, 2, 0.15, 0.5);
const base = positiveWeights(400, 3);
const targetWeights = positiveWeights(300, 4);
const input: WeightEstimatorInput = { pool, reference, baseWeights: base, targetWeights };

describe('weightEstimators registry', () => {
  it('lists the four estimators, each returning the one result shape (doc example)', () => {
    expect(Object.keys(weightEstimators).sort()).toEqual([...ESTIMATOR_NAMES].sort());
    for (const name of ESTIMATOR_NAMES) {
      const r = weightEstimators[name](input);
      expect(r.method).toBe(name);
      expect(r.weights.length).toBe(pool.rows);
      expect(Object.keys(r).sort()).toEqual(['constraints', 'converged', 'diagnostics', 'iterations', 'method', 'parameters', 'warnings', 'weights']);
      expectValidWeights(r, pool.rows);
      expect(Array.isArray(r.constraints) && Array.isArray(r.warnings)).toBe(true);
    }
  });

  it('reports progress ending at 1', () => {
    for (const name of ESTIMATOR_NAMES) {
      const seen: number[] = [];
      weightEstimators[name]({ ...input, onProgress: (f) => seen.push(f) });
      expect(seen.length, name).toBeGreaterThan(0);
      expect(seen[seen.length - 1], name).toBe(1);
      expect(seen.every((f) => f >= 0 && f <= 1), name).toBe(true);
    }
  });

  it('is deterministic: the same input gives identical weights', () => {
    for (const name of ESTIMATOR_NAMES) {
      const a = weightEstimators[name](input).weights;
      const b = weightEstimators[name](input).weights;
      expect(Array.from(a), name).toEqual(Array.from(b));
    }
  });

  it('is invariant to scaling the base and target weights by a constant (relative 1e-10)', () => {
    const scaled = { ...input, baseWeights: base.map((w) => w * 37.5), targetWeights: targetWeights.map((w) => w * 0.01) };
    for (const name of ESTIMATOR_NAMES) {
      const a = weightEstimators[name](input).weights;
      const b = weightEstimators[name](scaled).weights;
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), name).toBeLessThanOrEqual(1e-10 * a[i]! + 1e-300);
    }
  });

  it('calibration, raking and logistic return uniform weights when the pool is the target (0 iterations)', () => {
    for (const name of ['calibration', 'raking', 'logistic'] as const) {
      const r = weightEstimators[name]({ pool, reference: pool });
      expect(r.converged, name).toBe(true);
      expect(r.iterations, name).toBe(0);
      for (const w of r.weights) expect(Math.abs(w * pool.rows - 1), name).toBeLessThan(1e-12);
    }
  });
});

describe('calibrationWeights (entropy balancing)', () => {
  it('matches the target means, variances and covariances exactly when feasible (1e-8 relative; doc example)', () => {
    const r = calibrationWeights(input);
    expect(r.converged).toBe(true);
    expect(r.constraints.length).toBe(20);
    expect(r.constraints.every((c) => c.holds)).toBe(true);
    const a = weightedMoments(pool, r.weights);
    const t = weightedMoments(reference, targetWeights);
    for (let k = 0; k < 5; k++) expect(Math.abs(a.mean[k]! - t.mean[k]!)).toBeLessThan(1e-8 * Math.abs(t.mean[k]!));
    // Covariances can be near 0, so relative to the scale sd_k sd_l of the entry.
    for (let k = 0; k < 5; k++) {
      for (let l = 0; l < 5; l++) {
        expect(Math.abs(a.covariance[k * 5 + l]! - t.covariance[k * 5 + l]!)).toBeLessThan(1e-8 * t.sd[k]! * t.sd[l]!);
      }
    }
  });

  it('the general feature loop (four columns) matches moments exactly as well', () => {
    const four = (m: Matrix): Matrix => {
      const out = new Float64Array(m.rows * 4);
      for (let i = 0; i < m.rows; i++) for (let k = 0; k < 4; k++) out[i * 4 + k] = m.data[i * 5 + k]!;
      return { data: out, rows: m.rows, cols: 4 };
    };
    const p4 = four(pool);
    const r4 = four(reference);
    const r = calibrationWeights({ pool: p4, reference: r4, baseWeights: base, targetWeights, labels: ['E', 'A', 'C', 'N'] });
    expect(r.converged).toBe(true);
    expect(r.constraints.length).toBe(14);
    expect(r.constraints[13]!.name).toBe('covariance C-N');
    const a = weightedMoments(p4, r.weights);
    const t = weightedMoments(r4, targetWeights);
    for (let j = 0; j < 16; j++) expect(Math.abs(a.covariance[j]! - t.covariance[j]!)).toBeLessThan(1e-8 * t.sd[j % 4]! * t.sd[Math.floor(j / 4)]!);
  });

  it('reports each constraint with target, achieved and gap in target SDs', () => {
    const r = calibrationWeights({ ...input, calibration: { moments: 'means' } });
    expect(r.constraints.map((c) => c.name)).toEqual(['mean E', 'mean A', 'mean C', 'mean N', 'mean O']);
    const t = weightedMoments(reference, targetWeights);
    r.constraints.forEach((c, k) => {
      expect(c.kind).toBe('mean');
      expect(c.target).toBeCloseTo(t.mean[k]!, 12);
      expect(Math.abs(c.achieved - c.target)).toBeLessThan(1e-9);
      expect(Math.abs(c.gap)).toBeLessThan(1e-6);
    });
  });

  it('warm start from returned lambda converges at once to the same weights', () => {
    const first = calibrationWeights(input);
    const again = calibrationWeights({ ...input, calibration: { initialLambda: first.parameters } });
    expect(again.iterations).toBeLessThanOrEqual(1);
    for (let i = 0; i < pool.rows; i++) expect(Math.abs(again.weights[i]! - first.weights[i]!)).toBeLessThan(1e-12);
    const wrong = calibrationWeights({ ...input, calibration: { initialLambda: [1, 2, 3] } });
    expect(wrong.warnings.join(' ')).toMatch(/warm-start lambda has 3 entries/);
  });

  it('the subsampled-Hessian path (large pools) reaches the same solution as exact Newton', () => {
    const exact = calibrationWeights({ ...input, calibration: { gradientTolerance: 1e-12 } });
    const sub = calibrationWeights({ ...input, calibration: { hessianRows: 64, gradientTolerance: 1e-12 } });
    expect(sub.converged).toBe(true);
    for (let i = 0; i < pool.rows; i++) expect(Math.abs(sub.weights[i]! - exact.weights[i]!)).toBeLessThan(1e-9 * exact.weights[i]!);
  });

  it('decile bins: every trait decile share of the target holds as well', () => {
    const big = traits(3000, 5);
    const target = traits(1000, 6, 0.1, 0.55);
    const r = calibrationWeights({ pool: big, reference: target, calibration: { bins: 10 } });
    expect(r.converged).toBe(true);
    const shares = r.constraints.filter((c) => c.kind === 'share');
    expect(shares.length).toBe(50);
    expect(shares.every((c) => c.holds && Math.abs(c.achieved - c.target) < 1e-8)).toBe(true);
    // The last bin of each trait is implied by the others: its lambda is 0.
    expect(r.parameters.length).toBe(70);
    for (let k = 0; k < 5; k++) expect(r.parameters[20 + 10 * k + 9]).toBe(0);
  });

  it('an infeasible target (mean of E above every persona) gives finite weights, converged false, the failing constraint named', () => {
    const pool = traits(400, 1, -0.5, 0.4);
    const target = traits(200, 7);
    let maxE = -Infinity;
    for (let i = 0; i < pool.rows; i++) maxE = Math.max(maxE, pool.data[i * 5]!);
    expect(maxE).toBeLessThan(4.5);
    for (let j = 0; j < target.rows; j++) target.data[j * 5] = maxE + 0.05 + 0.1 * (j / target.rows);
    const r = calibrationWeights({ pool, reference: target });
    expectValidWeights(r, pool.rows);
    expect(r.converged).toBe(false);
    expect(r.weights.some(Number.isNaN)).toBe(false);
    const meanE = r.constraints.find((c) => c.name === 'mean E')!;
    expect(meanE.holds).toBe(false);
    expect(meanE.achieved).toBeLessThanOrEqual(maxE);
    expect(Number.isFinite(meanE.gap)).toBe(true);
    expect(r.warnings.some((w) => w.includes('Exact balancing is not possible'))).toBe(true);
    expect(r.warnings.some((w) => w.includes('mean E'))).toBe(true);
    // The closest the ridge allows: the weighted mean of E moves most of the way toward the target.
    expect(meanE.achieved).toBeGreaterThan(weightedMoments(pool).mean[0]!);
    // Without the fall-back the solver still returns finite weights and says it did not converge.
    const bare = calibrationWeights({ pool, reference: target, calibration: { fallbackRidge: 0 }, maxIterations: 30 });
    expectValidWeights(bare, pool.rows);
    expect(bare.converged).toBe(false);
  });

  it('an explicit ridge trades balance for spread: larger ridge, smaller lambda and larger ESS', () => {
    const far = traits(300, 8, 0.5, 0.45);
    const tight = calibrationWeights({ pool, reference: far, calibration: { ridge: 0.001 } });
    const loose = calibrationWeights({ pool, reference: far, calibration: { ridge: 0.1 } });
    const norm = (p: Float64Array) => Math.hypot(...p);
    expect(norm(loose.parameters)).toBeLessThan(norm(tight.parameters));
    expect(loose.diagnostics.ess).toBeGreaterThan(tight.diagnostics.ess);
    expectValidWeights(loose, pool.rows);
  });

  it('a tolerance accepts approximate balance: holds uses |gap| <= tolerance', () => {
    const far = traits(300, 8, 0.5, 0.45);
    const r = calibrationWeights({ pool, reference: far, calibration: { ridge: 0.01 }, tolerance: 0.5 });
    for (const c of r.constraints) expect(c.holds).toBe(Math.abs(c.gap) <= 0.5);
  });

  it('two personas: finite weights summing to 1 and an honest report', () => {
    const two: Matrix = { data: Float64Array.of(2, 3, 4, 2, 3, 4, 2, 3, 4, 5), rows: 2, cols: 5 };
    const r = calibrationWeights({ pool: two, reference });
    expectValidWeights(r, 2);
    expect(r.converged).toBe(false);
    expect(r.warnings.length).toBeGreaterThan(0);
  });

  it('rejects bad options with a sentence', () => {
    expect(() => calibrationWeights({ ...input, calibration: { bins: 1 } })).toThrow(/calibration.bins/);
    expect(() => calibrationWeights({ ...input, calibration: { ridge: -1 } })).toThrow(/calibration.ridge must be a number, at least 0/);
    // @ts-expect-error an unknown moment set
    expect(() => calibrationWeights({ ...input, calibration: { moments: 'cubes' } })).toThrow(AlignInputError);
  });
});

describe('rakingWeights (iterative proportional fitting)', () => {
  it('matches every trait quintile share of the target (doc example)', () => {
    const r = rakingWeights(input);
    expect(r.converged).toBe(true);
    expect(r.constraints.length).toBe(25);
    for (const c of r.constraints) {
      expect(c.kind).toBe('share');
      expect(Math.abs(c.achieved - c.target)).toBeLessThan(1e-6);
    }
  });

  it('many columns (more joint cells than exact integers in a double) rake persona by persona', () => {
    const wide = (n: number, seed: number, shift: number): Matrix => {
      const r = createRng(seed);
      return { data: Float64Array.from({ length: n * 24 }, () => Math.min(5, Math.max(1, 3 + shift + 0.7 * r.normal()))), rows: n, cols: 24 };
    };
    const r = rakingWeights({ pool: wide(400, 20, 0), reference: wide(300, 21, 0.1), raking: { bins: 5 } });
    expect(r.converged).toBe(true);
    expect(r.constraints.length).toBe(24 * 5);
    expect(r.constraints[0]!.name.startsWith('share x1 bin 1/5')).toBe(true);
    expectValidWeights(r, 400);
  });

  it('merges a bin with no persona in the pool, with a warning', () => {
    // Pool E values avoid (2.9, 3.1]; the target has its middle quintile there.
    const p = traits(300, 9);
    for (let i = 0; i < p.rows; i++) {
      const v = p.data[i * 5]!;
      if (v > 2.8 && v <= 3.2) p.data[i * 5] = v < 3 ? 2.8 : 3.25;
    }
    const t = traits(200, 10, 0, 0.15);
    const r = rakingWeights({ pool: p, reference: t });
    expect(r.warnings.some((w) => w.startsWith('E: the pool has no persona'))).toBe(true);
    expectValidWeights(r, p.rows);
  });

  it('stops at maxIterations with converged false and names the missed shares when margins conflict', () => {
    // Two traits that are equal in the pool but must have different quintile shares in the target.
    const p = traits(300, 11);
    for (let i = 0; i < p.rows; i++) p.data[i * 5 + 1] = p.data[i * 5]!;
    const t = traits(300, 12);
    for (let j = 0; j < t.rows; j++) t.data[j * 5 + 1] = 6 - t.data[j * 5]!;
    const r = rakingWeights({ pool: p, reference: t, raking: { bins: 3 }, maxIterations: 50 });
    expectValidWeights(r, p.rows);
    if (!r.converged) {
      expect(r.warnings.some((w) => w.includes('Raking did not reach every target share'))).toBe(true);
      expect(r.constraints.some((c) => !c.holds)).toBe(true);
    }
  });
});

describe('logisticWeights (classifier odds)', () => {
  it('equal sets give uniform weights (doc example) and clipping caps the largest weight', () => {
    const r = logisticWeights({ pool, reference: pool });
    for (const w of r.weights) expect(Math.abs(w * pool.rows - 1)).toBeLessThan(1e-12);
    const far = traits(300, 13, 0.6, 0.4);
    const clipped = logisticWeights({ pool, reference: far, logistic: { maxWeightRatio: 5 } });
    expect(clipped.diagnostics.maxWeightShare).toBeLessThanOrEqual((5 / pool.rows) * (1 + 1e-9));
    expect(clipped.warnings.some((w) => w.includes('clipped'))).toBe(true);
    expectValidWeights(clipped, pool.rows);
  });

  it('moves the weighted means toward the target and reports them as checks', () => {
    const r = logisticWeights(input);
    expect(r.converged).toBe(true);
    const before = weightedMoments(pool, base).mean;
    const after = weightedMoments(pool, r.weights).mean;
    const target = weightedMoments(reference, targetWeights).mean;
    for (let k = 0; k < 5; k++) expect(Math.abs(after[k]! - target[k]!)).toBeLessThan(Math.abs(before[k]! - target[k]!));
    expect(r.constraints.length).toBe(20);
  });

  it('the subsampled-Hessian path (large sets) reaches the same solution as exact Newton', () => {
    const exact = logisticWeights({ ...input, logistic: { gradientTolerance: 1e-12 } });
    // Hessians from every 2nd and every 8th row (the fewer rows, the more likely the switch to the full Hessian).
    for (const hessianRows of [400, 100]) {
      const sub = logisticWeights({ ...input, logistic: { hessianRows, gradientTolerance: 1e-12 } });
      expect(sub.converged).toBe(true);
      expect(sub.iterations).toBeLessThan(3 * exact.iterations);
      for (let i = 0; i < pool.rows; i++) expect(Math.abs(sub.weights[i]! - exact.weights[i]!)).toBeLessThan(1e-9 * exact.weights[i]!);
    }
    expect(() => logisticWeights({ ...input, logistic: { hessianRows: 0 } })).toThrow(/logistic.hessianRows/);
  });

  it('the default gradient tolerance (1e-8) leaves the weights within 1e-6 relative of a fully converged fit', () => {
    const tight = logisticWeights({ ...input, logistic: { gradientTolerance: 1e-13 } });
    const r = logisticWeights(input);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThanOrEqual(tight.iterations);
    for (let i = 0; i < pool.rows; i++) expect(Math.abs(r.weights[i]! - tight.weights[i]!)).toBeLessThan(1e-6 * tight.weights[i]!);
  });

  it('separable sets without a penalty do not converge, yet give finite weights', () => {
    const low = traits(100, 14, -1, 0.3);
    const high = traits(100, 15, 1, 0.3);
    const r = logisticWeights({ pool: low, reference: high, logistic: { penalty: 0, degree: 1 }, maxIterations: 25 });
    expectValidWeights(r, 100);
    expect(r.converged).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/separates the pool from the reference/);
  });
});

describe('kdeWeights (importanceSampling behind the interface)', () => {
  it('a large one-trait pool weighted toward itself is close to uniform (doc example)', () => {
    const r1 = createRng(16);
    const one: Matrix = { data: Float64Array.from({ length: 2000 }, () => Math.min(5, Math.max(1, 3 + 0.6 * r1.normal()))), rows: 2000, cols: 1 };
    const r = kdeWeights({ pool: one, reference: one });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(0);
    expect(r.diagnostics.ess).toBeGreaterThan(0.9 * 2000);
    expect(r.constraints.map((c) => c.name)).toEqual(['mean x1', 'variance x1']);
  });

  it('ignores non-uniform base weights with a warning', () => {
    const r = kdeWeights(input);
    expect(r.warnings[0]).toMatch(/does not use base weights/);
  });
});

describe('input errors', () => {
  it('a constant trait, a dimension mismatch, a missing value and bad weights throw AlignInputError with a sentence', () => {
    const constant = traits(50, 17);
    for (let i = 0; i < 50; i++) constant.data[i * 5 + 2] = 3;
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as AlignInputError;
      }
      throw new Error('expected an error');
    };
    for (const name of ESTIMATOR_NAMES) {
      const f = weightEstimators[name];
      expect(thrown(() => f({ pool: constant, reference })).code).toBe('CONSTANT_TRAIT');
      expect(thrown(() => f({ pool: constant, reference })).message).toMatch(/trait C \(Conscientiousness\)/);
      expect(thrown(() => f({ pool, reference: { data: new Float64Array(8), rows: 2, cols: 4 } })).code).toBe('OUT_OF_RANGE');
      const nan = traits(20, 18);
      nan.data[7] = NaN;
      expect(thrown(() => f({ pool: nan, reference })).code).toBe('NOT_FINITE');
      expect(thrown(() => f({ pool, reference, baseWeights: [1, 2] })).code).toBe('BAD_WEIGHTS');
      expect(thrown(() => f({ pool, reference, tolerance: 0 })).code).toBe('BAD_PARAMETER');
      expect(thrown(() => f({ pool: { data: new Float64Array(0), rows: 0, cols: 5 }, reference })).code).toBe('EMPTY');
    }
    const four: Matrix = { data: Float64Array.from({ length: 40 }, (_, i) => 1 + (i % 7) / 2), rows: 10, cols: 4 };
    expect(thrown(() => calibrationWeights({ pool, reference: four })).code).toBe('DIMENSION_MISMATCH');
  });
});
