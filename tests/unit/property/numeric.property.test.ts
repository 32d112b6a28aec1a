/**
 * Property-based tests of the pure numeric core (fast-check): for any valid input, importance weights are finite,
 * non-negative and sum to 1; every metric is finite, non-negative and zero on identical sets; ESS lies in [1, n];
 * selection methods return valid indices of the requested size; invalid input throws AlignInputError (with a
 * message), never anything else. Sizes and run counts are kept small so the file runs in a few seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignPool, importanceSampling, selectionMethods, validateTraitSet, type SelectionMethod } from '@/lib/align';
import { UNIQUE_SELECTION_METHODS } from '@/lib/align/selectionMethods';
import { AlignInputError, createRng, type Matrix } from '@/lib/numeric';
import { importanceWeights, metricRegistry, paperMetrics, weightDiagnostics, type MetricName, type Truncation } from '@/lib/stats';

const RUNS = { numRuns: 60 };
const SUM_TOL = 1e-9;

/** A trait score on the 1-5 scale, with the extremes and whole points over-represented. */
const score = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(1, 5) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) },
  { weight: 3, arbitrary: fc.double({ min: 1, max: 5, noNaN: true }) },
);

/**
 * An n x d set of trait scores; `dupes` repeats some rows and `constantCol` may freeze one column, so duplicates
 * and constant traits are common rather than vanishingly rare.
 */
function traitSet(o: { minRows: number; maxRows: number; d?: number; allowConstant?: boolean }): fc.Arbitrary<Matrix> {
  const d = o.d ?? 5;
  return fc
    .record({
      rows: fc.array(fc.array(score, { minLength: d, maxLength: d }), { minLength: o.minRows, maxLength: o.maxRows }),
      dupes: fc.array(fc.nat(), { maxLength: 4 }),
      constantCol: o.allowConstant ? fc.option(fc.tuple(fc.nat({ max: d - 1 }), score), { freq: 3 }) : fc.constant(null),
    })
    .map(({ rows, dupes, constantCol }) => {
      const all = [...rows, ...dupes.map((k) => rows[k % rows.length]!)];
      if (constantCol) for (const r of all) r[constantCol[0]] = constantCol[1];
      return { data: Float64Array.from(all.flat()), rows: all.length, cols: d };
    });
}

/** Largest minus smallest value of column k over the rows with a positive weight. */
function spread(m: Matrix, k: number, w?: ArrayLike<number> | null): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m.rows; i++) {
    if (w && !(w[i]! > 0)) continue;
    const v = m.data[i * m.cols + k]!;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi - lo;
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

function expectValidWeights(w: ArrayLike<number>, label: string): void {
  for (let i = 0; i < w.length; i++) {
    expect(Number.isFinite(w[i]!), `${label}[${i}] = ${w[i]} is finite`).toBe(true);
    expect(w[i]!, `${label}[${i}] >= 0`).toBeGreaterThanOrEqual(0);
  }
  expect(Math.abs(sum(w) - 1), `${label} sums to 1`).toBeLessThan(SUM_TOL);
}

/** Runs f; an AlignInputError with a sentence is an accepted outcome (returns undefined); anything else fails. */
function orAlignInputError<T>(f: () => T, allowed?: readonly string[]): T | undefined {
  try {
    return f();
  } catch (e) {
    expect(e, `unexpected ${(e as Error)?.name}: ${(e as Error)?.message}`).toBeInstanceOf(AlignInputError);
    const err = e as AlignInputError;
    expect(err.message.length).toBeGreaterThan(10);
    if (allowed) expect(allowed, err.message).toContain(err.code);
    return undefined;
  }
}

function expectAlignInputError(f: () => unknown, code?: string): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'an AlignInputError is thrown').toBeInstanceOf(AlignInputError);
  expect((thrown as AlignInputError).message.length).toBeGreaterThan(10);
  if (code) expect((thrown as AlignInputError).code).toBe(code);
}

const truncation = fc.constantFrom<Truncation>('none', 'cap', 'psis');

describe('importance weights', () => {
  it('importanceWeights: finite, non-negative, sum 1 for any finite log densities (target may be -Infinity)', () => {
    // Log densities as a KDE produces them: far tails (-1e4) up to sharp peaks (+50); exact zeros of the target.
    // (Magnitudes near 1e300 are out of scope: p - q then loses every significant digit of the normaliser.)
    const logDensity = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -700, max: 50, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(-1e4, 1e3, 0, -745, 709) },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof({ weight: 8, arbitrary: logDensity }, { weight: 1, arbitrary: fc.constant(-Infinity) }), logDensity), { minLength: 1, maxLength: 60 }),
        truncation,
        (pairs, mode) => {
          const r = orAlignInputError(
            () => importanceWeights({ logTarget: pairs.map((p) => p[0]), logProposal: pairs.map((p) => p[1]), truncation: mode }),
            ['BAD_WEIGHTS'],
          );
          if (!r) {
            // only when every target density is zero (or the log ratios overflow to no finite maximum)
            return;
          }
          expect(r.weights.length).toBe(pairs.length);
          expectValidWeights(r.weights, 'weights');
          expect(r.ess).toBeGreaterThanOrEqual(1 - 1e-9);
          expect(r.ess).toBeLessThanOrEqual(pairs.length * (1 + 1e-9));
        },
      ),
      RUNS,
    );
  });

  it('importanceWeights: NaN, +Infinity, a length mismatch or no values throw AlignInputError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.constantFrom(NaN, Infinity, -Infinity),
        fc.boolean(),
        (values, at, bad, inTarget) => {
          const target = [...values];
          const proposal = [...values];
          const i = at % values.length;
          if (inTarget) target[i] = bad;
          else proposal[i] = bad;
          if (inTarget && bad === -Infinity) return; // a zero target density is valid
          expectAlignInputError(() => importanceWeights({ logTarget: target, logProposal: proposal }), 'NOT_FINITE');
        },
      ),
      RUNS,
    );
    expectAlignInputError(() => importanceWeights({ logTarget: [], logProposal: [] }), 'EMPTY');
    expectAlignInputError(() => importanceWeights({ logTarget: [0, 1], logProposal: [0] }), 'DIMENSION_MISMATCH');
  });

  it('importanceSampling (KDE both sides): valid weights, or a named error for a single persona', () => {
    fc.assert(
      fc.property(traitSet({ minRows: 1, maxRows: 25, allowConstant: true }), traitSet({ minRows: 1, maxRows: 25, allowConstant: true }), truncation, (pool, target, mode) => {
        const r = orAlignInputError(() => importanceSampling(pool, target, undefined, { kdeMethod: 'exact', truncation: mode }), ['TOO_FEW', 'BAD_WEIGHTS']);
        if (pool.rows >= 2) expect(r, 'two or more personas always get weights').toBeDefined();
        if (!r) return;
        expectValidWeights(r.weights, 'weights');
        for (const v of r.logPoolDensity) expect(Number.isFinite(v)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('alignPool', () => {
  it('weights, importance weights and the selection are valid for any small valid pool; constant traits are named', () => {
    fc.assert(
      fc.property(
        traitSet({ minRows: 1, maxRows: 14, allowConstant: true }),
        traitSet({ minRows: 1, maxRows: 14 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom<SelectionMethod>('multinomial', 'systematic', 'topFraction', 'withoutReplacement'),
        fc.nat({ max: 1000 }),
        (pool, reference, size, selection, seed) => {
          const r = orAlignInputError(
            () => alignPool({ pool, reference, config: { size, selection, seed, projections: 8, maxIterations: 60 } }),
            ['CONSTANT_TRAIT', 'TOO_FEW'],
          );
          if (!r) return;
          expectValidWeights(r.weights, 'weights');
          expectValidWeights(r.importanceWeights, 'importanceWeights');
          expect(r.selection.length).toBeGreaterThan(0);
          expect(r.selection.length).toBeLessThanOrEqual(size);
          for (const i of r.selection) expect(i).toBeLessThan(pool.rows);
          for (const table of Object.values(r.metrics)) {
            for (const [name, v] of Object.entries(table)) {
              expect(Number.isFinite(v), `${name} = ${v}`).toBe(true);
              expect(v, name).toBeGreaterThanOrEqual(0);
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('NaN, out-of-range and empty sets throw AlignInputError with the documented code', () => {
    fc.assert(
      fc.property(
        traitSet({ minRows: 2, maxRows: 8 }),
        fc.nat(),
        fc.constantFrom(NaN, Infinity, -Infinity, 0, 5.0001, 0.999, -3, 1e9),
        (pool, at, bad) => {
          const data = Float64Array.from(pool.data);
          data[at % data.length] = bad;
          const broken = { ...pool, data };
          const code = Number.isFinite(bad) ? 'OUT_OF_RANGE' : 'NOT_FINITE';
          // alignPool validates the pool first, so a constant pool trait may be named before the broken reference
          expectAlignInputError(() => alignPool({ pool: broken, reference: pool }), code);
          expectAlignInputError(() => alignPool({ pool, reference: broken }));
          expectAlignInputError(() => validateTraitSet(broken, 'reference', { allowConstant: true }), code);
        },
      ),
      RUNS,
    );
    const empty: Matrix = { data: new Float64Array(0), rows: 0, cols: 5 };
    const one: Matrix = { data: Float64Array.of(1, 2, 3, 4, 5), rows: 1, cols: 5 };
    expectAlignInputError(() => alignPool({ pool: empty, reference: one }), 'EMPTY');
    expectAlignInputError(() => alignPool({ pool: one, reference: one }));
  });
});

describe('metrics', () => {
  const names = Object.keys(metricRegistry) as MetricName[];
  const weightsFor = (n: number) =>
    fc.option(fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e3, noNaN: true })), { minLength: n, maxLength: n }).filter((w) => sum(w) > 0), { freq: 2 });
  const pair = fc.integer({ min: 1, max: 5 }).chain((d) =>
    fc.tuple(traitSet({ minRows: 1, maxRows: 12, d, allowConstant: true }), traitSet({ minRows: 1, maxRows: 12, d, allowConstant: true })).chain(([a, b]) =>
      fc.record({ a: fc.constant(a), b: fc.constant(b), aWeights: weightsFor(a.rows), bWeights: weightsFor(b.rows), seed: fc.nat({ max: 100 }) }),
    ),
  );

  it('every registered metric is finite and non-negative (or a named error), for any two weighted sets', () => {
    fc.assert(
      fc.property(pair, ({ a, b, aWeights, bWeights, seed }) => {
        const input = { a, b, aWeights: aWeights ?? undefined, bWeights: bWeights ?? undefined, seed, projections: 16 };
        for (const name of names) {
          const r = orAlignInputError(() => metricRegistry[name](input), ['CONSTANT_TRAIT', 'TOO_FEW']);
          if (!r) continue;
          if (name === 'asmd' && r.value === Infinity) {
            // documented: a trait with no spread on either side and different means scores Infinity
            expect(Array.from(r.perDimension!).some((v, k) => v === Infinity && spread(a, k, aWeights) === 0 && spread(b, k, bWeights) === 0)).toBe(true);
            continue;
          }
          expect(Number.isFinite(r.value), `${name} = ${r.value}`).toBe(true);
          expect(r.value, name).toBeGreaterThanOrEqual(0);
          if (r.perDimension) for (const v of r.perDimension) expect(Number.isFinite(v) && v >= 0, `${name} per dimension ${v}`).toBe(true);
        }
        const p = orAlignInputError(() => paperMetrics(input), ['CONSTANT_TRAIT', 'TOO_FEW']);
        if (p) for (const [name, v] of Object.entries(p)) expect(Number.isFinite(v) && v >= 0, `${name} = ${v}`).toBe(true);
      }),
      RUNS,
    );
  });

  it('identical sets (same weights) are at distance zero: tolerance 1e-6', () => {
    fc.assert(
      fc.property(pair, ({ a, aWeights, seed }) => {
        const w = aWeights ?? undefined;
        for (const name of names) {
          const r = orAlignInputError(() => metricRegistry[name]({ a, b: a, aWeights: w, bWeights: w, seed, projections: 16 }), ['CONSTANT_TRAIT', 'TOO_FEW']);
          if (!r) continue;
          expect(r.value, `${name}(A, A)`).toBeLessThan(1e-6);
        }
      }),
      RUNS,
    );
  });

  it('NaN, empty sets, mismatched columns and bad weights throw AlignInputError', () => {
    fc.assert(
      fc.property(pair, fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity), ({ a, b }, at, bad) => {
        const data = Float64Array.from(a.data);
        data[at % data.length] = bad;
        const broken = { ...a, data };
        const empty: Matrix = { data: new Float64Array(0), rows: 0, cols: a.cols };
        const wide: Matrix = { data: new Float64Array(b.rows * (b.cols + 1)).fill(3), rows: b.rows, cols: b.cols + 1 };
        const negative = Array.from({ length: a.rows }, (_, i) => (i === at % a.rows ? -1 : 1));
        for (const name of names) {
          expectAlignInputError(() => metricRegistry[name]({ a: broken, b }), 'NOT_FINITE');
          expectAlignInputError(() => metricRegistry[name]({ a: empty, b }), 'EMPTY');
          expectAlignInputError(() => metricRegistry[name]({ a, b: wide }), 'DIMENSION_MISMATCH');
          expectAlignInputError(() => metricRegistry[name]({ a, b, aWeights: negative }), 'BAD_WEIGHTS');
          expectAlignInputError(() => metricRegistry[name]({ a, b, aWeights: new Array(a.rows).fill(0) }), 'BAD_WEIGHTS');
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('weightDiagnostics', () => {
  it('ESS lies in [1, n], the design effect is >= 1 and the largest share in [1/n, 1] for non-negative weights', () => {
    const w = fc.oneof(fc.constant(0), fc.double({ min: 1e-100, max: 1e100, noNaN: true }), fc.integer({ min: 1, max: 1000 }));
    fc.assert(
      fc.property(
        fc.array(w, { minLength: 1, maxLength: 200 }).filter((a) => a.some((x) => x > 0)),
        (weights) => {
          const n = weights.length;
          const d = weightDiagnostics(weights);
          expect(d.ess).toBeGreaterThanOrEqual(1 - 1e-9);
          expect(d.ess).toBeLessThanOrEqual(n * (1 + 1e-9));
          expect(d.designEffect).toBeGreaterThanOrEqual(1 - 1e-9);
          expect(d.maxWeightShare).toBeGreaterThanOrEqual(1 / n - 1e-12);
          expect(d.maxWeightShare).toBeLessThanOrEqual(1 + 1e-12);
          expect(d.positiveCount).toBe(weights.filter((x) => x > 0).length);
        },
      ),
      { numRuns: 100 },
    );
  });
  it('uniform weights give ESS = n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (n, v) => {
        expect(weightDiagnostics(new Float64Array(n).fill(v)).ess).toBeCloseTo(n, 6);
      }),
    );
  });
});

describe('selection methods', () => {
  const methods = Object.keys(selectionMethods) as SelectionMethod[];
  /** Trait-like points for the methods that look at where personas lie (herding); the others ignore them. */
  const pointsFor = (w: ArrayLike<number>): Matrix => ({ data: Float64Array.from({ length: 2 * w.length }, (_, t) => ((t * 7919) % 41) / 10), rows: w.length, cols: 2 });
  const weights = fc
    .array(fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 80 })
    .filter((w) => w.some((x) => x > 0));

  it('return `size` valid indices of positive-weight personas (distinct for the unique methods)', () => {
    fc.assert(
      fc.property(weights, fc.nat({ max: 200 }), fc.nat(), fc.constantFrom(...methods), (w, rawSize, seed, method) => {
        const positive = w.filter((x) => x > 0).length;
        const size = rawSize;
        const points = pointsFor(w);
        const r = orAlignInputError(() => selectionMethods[method]({ weights: w, size, rng: createRng(seed), points }), ['BAD_PARAMETER']);
        if (!r) {
          // only the unique methods may refuse, and only when more personas are asked for than have weight
          expect(r === undefined && size > positive && UNIQUE_SELECTION_METHODS.has(method)).toBe(true);
          return;
        }
        expect(r.indices.length).toBe(size);
        for (const i of r.indices) {
          expect(i).toBeLessThan(w.length);
          expect(w[i]!, `index ${i} has a positive weight`).toBeGreaterThan(0);
        }
        if (r.unique) expect(new Set(r.indices).size).toBe(size);
        // deterministic under the seed
        expect(Array.from(selectionMethods[method]({ weights: w, size, rng: createRng(seed), points }).indices)).toEqual(Array.from(r.indices));
      }),
      { numRuns: 100 },
    );
  });

  it('NaN, negative or infinite weights, all-zero weights and fractional sizes throw AlignInputError', () => {
    fc.assert(
      fc.property(weights, fc.nat(), fc.constantFrom(NaN, -1, -1e-300, Infinity), fc.constantFrom(...methods), (w, at, bad, method) => {
        const broken = [...w];
        broken[at % w.length] = bad;
        expectAlignInputError(() => selectionMethods[method]({ weights: broken, size: 1, rng: createRng(1) }), 'BAD_WEIGHTS');
        expectAlignInputError(() => selectionMethods[method]({ weights: w.map(() => 0), size: 1, rng: createRng(1) }), 'BAD_WEIGHTS');
        expectAlignInputError(() => selectionMethods[method]({ weights: w, size: 1.5, rng: createRng(1) }), 'BAD_PARAMETER');
        expectAlignInputError(() => selectionMethods[method]({ weights: w, size: -1, rng: createRng(1) }), 'BAD_PARAMETER');
      }),
      RUNS,
    );
  });
});
