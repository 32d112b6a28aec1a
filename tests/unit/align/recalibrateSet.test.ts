import { describe, expect, it } from 'vitest';
import { calibrationWeights } from '@/lib/align/estimators';
import { autoMoments, horvitzThompsonWeights, momentConstraintCount, recalibrateSet } from '@/lib/align/recalibrateSet';
import { selectPivotal } from '@/lib/align/selectPivotal';
import { AlignInputError, createRng, selectRows, type Matrix } from '@/lib/numeric';
import { sharedFactorTraits } from '../../support/synthetic';

const traits = sharedFactorTraits;

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);

/** Weighted column means of a matrix. */
function means(m: Matrix, w: ArrayLike<number>): number[] {
  const out = new Array<number>(m.cols).fill(0);
  const t = sum(w);
  for (let i = 0; i < m.rows; i++) for (let k = 0; k < m.cols; k++) out[k]! += (w[i]! / t) * m.data[i * m.cols + k]!;
  return out;
}

const pool = traits(600, 1);
const reference = traits(400, 2, 0.1, 0.55);
/** Pool weights concentrated on a few personas (a long tail), like a run's. */
const poolWeights = (() => {
  const r = createRng(3);
  return Float64Array.from({ length: pool.rows }, () => Math.exp(2 * r.normal()));
})();

function pivotalSet(k: number, seed: number) {
  const s = selectPivotal({ weights: poolWeights, size: k, rng: createRng(seed) });
  return { indices: s.indices, base: horvitzThompsonWeights(poolWeights, s.inclusionProbabilities!, s.indices) };
}

describe('horvitzThompsonWeights', () => {
  it('divides each chosen weight by its inclusion probability (doc example)', () => {
    expect(Array.from(horvitzThompsonWeights([1, 1, 8], [0.5, 0.5, 1], [0, 2]))).toEqual([2, 8]);
  });
  it('refuses a chosen row with no probability or weight, and rows outside the pool', () => {
    expect(() => horvitzThompsonWeights([1, 1], [0, 1], [0])).toThrow(/inclusion probability is 0/);
    expect(() => horvitzThompsonWeights([0, 1], [0.5, 1], [0])).toThrow(/weight is 0/);
    expect(() => horvitzThompsonWeights([1, 1], [1, 1], [2])).toThrow(AlignInputError);
    expect(() => horvitzThompsonWeights([1, 1], [1], [0])).toThrow(/one of each per pool row/);
  });
});

describe('recalibrateSet', () => {
  it('returns weights for every set member, non-negative and summing to 1', () => {
    for (const k of [2, 10, 40, 120]) {
      const { indices, base } = pivotalSet(k, 7);
      const r = recalibrateSet({ pool, indices, baseWeights: base, reference });
      expect(r.weights.length).toBe(k);
      for (const w of r.weights) expect(w >= 0 && Number.isFinite(w)).toBe(true);
      expect(Math.abs(sum(r.weights) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(sum(r.baseWeights) - 1)).toBeLessThan(1e-12);
    }
  });

  it('matches the target moments when they are within reach, and is closer than the Horvitz-Thompson weights', () => {
    const { indices, base } = pivotalSet(120, 11);
    const r = recalibrateSet({ pool, indices, baseWeights: base, reference });
    expect(r.moments).toBe('all');
    expect(r.converged).toBe(true);
    expect(r.constraints).toHaveLength(20);
    for (const c of r.constraints) expect(c.holds, c.name).toBe(true);
    const set = selectRows(pool, indices);
    const got = means(set, r.weights);
    const want = means(reference, new Float64Array(reference.rows).fill(1));
    const ht = means(set, base);
    for (let k = 0; k < 5; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-6);
    const gap = (m: number[]) => m.reduce((s, x, k) => s + (x - want[k]!) ** 2, 0);
    expect(gap(got)).toBeLessThan(gap(ht));
    // the report before re-calibration covers the same quantities
    expect(r.baseConstraints.map((c) => c.name)).toEqual(r.constraints.map((c) => c.name));
    expect(r.baseConstraints.some((c) => !c.holds)).toBe(true);
  });

  it('honours the target weights', () => {
    const { indices, base } = pivotalSet(60, 12);
    const tw = Float64Array.from({ length: reference.rows }, (_, j) => (reference.data[j * 5]! > 3 ? 3 : 1));
    const r = recalibrateSet({ pool, indices, baseWeights: base, reference, targetWeights: tw, moments: 'means' });
    expect(r.converged).toBe(true);
    const got = means(selectRows(pool, indices), r.weights);
    const want = means(reference, tw);
    for (let k = 0; k < 5; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-6);
  });

  it('starts from the Horvitz-Thompson weights: unchanged when they already balance, KL-closest to them otherwise', () => {
    const { indices, base } = pivotalSet(50, 13);
    const set = selectRows(pool, indices);
    // A target that is the set itself weighted by its HT weights: nothing to correct, so the HT weights come back.
    const same = recalibrateSet({ pool, indices, baseWeights: base, reference: set, targetWeights: base, moments: 'all' });
    const b = Array.from(base, (x) => x / sum(base));
    same.weights.forEach((w, r) => expect(Math.abs(w - b[r]!)).toBeLessThan(1e-9));
    for (let r = 0; r < b.length; r++) expect(Math.abs(same.baseWeights[r]! - b[r]!)).toBeLessThan(1e-15);

    // Otherwise the result is calibrationWeights of the set with the HT weights as base weights, and other base
    // weights give other (balanced) weights.
    const r = recalibrateSet({ pool, indices, baseWeights: base, reference, moments: 'means' });
    const direct = calibrationWeights({ pool: set, reference, baseWeights: base, calibration: { moments: 'means' } });
    r.weights.forEach((w, i) => expect(w).toBe(direct.weights[i]));
    const uniform = recalibrateSet({ pool, indices, baseWeights: new Float64Array(indices.length).fill(1), reference, moments: 'means' });
    expect(uniform.converged && r.converged).toBe(true);
    expect(Math.max(...Array.from(r.weights, (w, i) => Math.abs(w - uniform.weights[i]!)))).toBeGreaterThan(1e-4);
  });

  it('is deterministic: the same input gives the same weights, bit for bit', () => {
    const { indices, base } = pivotalSet(80, 14);
    const a = recalibrateSet({ pool, indices, baseWeights: base, reference });
    const b = recalibrateSet({ pool, indices: Uint32Array.from(indices), baseWeights: Float64Array.from(base), reference });
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
    expect(b.constraints).toEqual(a.constraints);
  });

  it("chooses the moment level from the set size ('auto') and says so", () => {
    expect(momentConstraintCount('all', 5)).toBe(20);
    expect(autoMoments(79, 5)).toBe('meansAndVariances');
    expect(autoMoments(80, 5)).toBe('all');
    expect(autoMoments(40, 5)).toBe('meansAndVariances');
    expect(autoMoments(39, 5)).toBe('means');
    const { indices, base } = pivotalSet(20, 15);
    const r = recalibrateSet({ pool, indices, baseWeights: base, reference });
    expect(r.moments).toBe('means');
    expect(r.constraints).toHaveLength(5);
    expect(r.warnings.join(' ')).toMatch(/at most the means were matched/);
  });

  it("steps down to the richest moment level the set can match exactly ('auto'), and keeps a fixed level", () => {
    // A target twice as spread as the pool: its means are within reach, its variances are not.
    const narrowPool = traits(600, 21, 0, 0.25);
    const wide = traits(400, 22, 0, 0.9);
    const s = selectPivotal({ weights: poolWeights, size: 200, rng: createRng(23) });
    const base = horvitzThompsonWeights(poolWeights, s.inclusionProbabilities!, s.indices);
    const auto = recalibrateSet({ pool: narrowPool, indices: s.indices, baseWeights: base, reference: wide });
    expect(auto.moments).toBe('means');
    expect(auto.converged).toBe(true);
    expect(auto.warnings.join(' ')).toMatch(/out of reach of this set, so the richest level it can match exactly was used: the means/);
    const got = means(selectRows(narrowPool, s.indices), auto.weights);
    const want = means(wide, new Float64Array(wide.rows).fill(1));
    for (let k = 0; k < 5; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-6);
    const fixed = recalibrateSet({ pool: narrowPool, indices: s.indices, baseWeights: base, reference: wide, moments: 'all' });
    expect(fixed.moments).toBe('all');
    expect(fixed.converged).toBe(false);
    expect(Math.abs(sum(fixed.weights) - 1)).toBeLessThan(1e-12);
  });

  it('reports an unreachable target as not converged, with weights that still sum to 1', () => {
    const { indices, base } = pivotalSet(30, 16);
    const far = traits(200, 17, 1.6, 0.2);
    const r = recalibrateSet({ pool, indices, baseWeights: base, reference: far, moments: 'means' });
    expect(r.converged).toBe(false);
    expect(Math.abs(sum(r.weights) - 1)).toBeLessThan(1e-12);
    expect(r.constraints.some((c) => !c.holds)).toBe(true);
  });

  it('refuses bad input with an AlignInputError that says what is wrong', () => {
    const { indices, base } = pivotalSet(10, 18);
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(AlignInputError);
        return (e as AlignInputError).message;
      }
      throw new Error('expected an AlignInputError');
    };
    expect(err(() => recalibrateSet({ pool, indices: [3], baseWeights: [1], reference }))).toMatch(/at least two personas/);
    expect(err(() => recalibrateSet({ pool, indices: [3, 3], baseWeights: [1, 1], reference }))).toMatch(/appears more than once/);
    expect(err(() => recalibrateSet({ pool, indices: [0, pool.rows], baseWeights: [1, 1], reference }))).toMatch(/pool has rows 0 to 599/);
    expect(err(() => recalibrateSet({ pool, indices, baseWeights: base.subarray(1), reference }))).toMatch(/one Horvitz-Thompson weight per set member/);
    const zero = Float64Array.from(base);
    zero[2] = 0;
    expect(err(() => recalibrateSet({ pool, indices, baseWeights: zero, reference }))).toMatch(/set member 3 .* is 0/);
    expect(err(() => recalibrateSet({ pool, indices, baseWeights: base, reference, moments: 'cubes' as never }))).toMatch(/moments must be/);
    const narrow: Matrix = { data: reference.data.subarray(0, 4 * 400), rows: 400, cols: 4 };
    expect(err(() => recalibrateSet({ pool, indices, baseWeights: base, reference: narrow }))).toMatch(/columns/);
  });
});
