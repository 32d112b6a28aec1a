import { describe, expect, it } from 'vitest';
import {
  AlignInputError,
  assertMatrix,
  createRng,
  logSumExp,
  matrixFromRows,
  normaliseWeights,
  selectRows,
  sortPairs,
  sqrtmPsd,
  symmetricEigen,
} from '@/lib/numeric';

describe('createRng', () => {
  it('is deterministic under a seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(xa).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(xa).not.toEqual(Array.from({ length: 5 }, () => c.next()));
  });
  it('gives uniform [0,1) draws and standard normals (moments within 4 standard errors)', () => {
    const r = createRng(7);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});

describe('logSumExp', () => {
  it('matches the doc example and stays finite for large inputs', () => {
    expect(logSumExp([Math.log(1), Math.log(3)])).toBeCloseTo(Math.log(4), 14);
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([])).toBe(-Infinity);
  });
});

describe('symmetricEigen / sqrtmPsd', () => {
  it('diagonal example from the doc', () => {
    expect(Array.from(symmetricEigen(Float64Array.of(2, 0, 0, 3), 2).values)).toEqual([2, 3]);
    expect(Array.from(sqrtmPsd(Float64Array.of(4, 0, 0, 9), 2))).toEqual([2, 0, 0, 3]);
  });
  it('square root squares back to the matrix (1e-10)', () => {
    const A = Float64Array.of(2, 0.5, 0.1, 0.5, 1, 0.2, 0.1, 0.2, 0.7);
    const R = sqrtmPsd(A, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += R[i * 3 + k]! * R[k * 3 + j]!;
      expect(s).toBeCloseTo(A[i * 3 + j]!, 10);
    }
  });
});

describe('sortPairs', () => {
  it('sorts values and carries weights along (doc example and a random case)', () => {
    const v = Float64Array.of(3, 1, 2);
    const w = Float64Array.of(30, 10, 20);
    sortPairs(v, w);
    expect(Array.from(v)).toEqual([1, 2, 3]);
    expect(Array.from(w)).toEqual([10, 20, 30]);
    const r = createRng(1);
    const x = Float64Array.from({ length: 500 }, () => r.normal());
    const y = x.map((t) => 2 * t);
    sortPairs(x, y);
    for (let i = 1; i < x.length; i++) expect(x[i]!).toBeGreaterThanOrEqual(x[i - 1]!);
    for (let i = 0; i < x.length; i++) expect(y[i]).toBe(2 * x[i]!);
  });
});

describe('matrix helpers and validation', () => {
  it('selectRows copies rows in order', () => {
    expect(Array.from(selectRows(matrixFromRows([[1], [2], [3]]), [2, 0]).data)).toEqual([3, 1]);
  });
  it('assertMatrix names the problem in plain English', () => {
    expect(() => assertMatrix(matrixFromRows([]), 'pool')).toThrow(/The pool is empty/);
    try {
      assertMatrix(matrixFromRows([[1, NaN]]), 'pool', { labels: ['E', 'A'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AlignInputError);
      expect((e as AlignInputError).code).toBe('NOT_FINITE');
      expect((e as Error).message).toMatch(/persona 1, A/);
    }
  });
  it('normaliseWeights: uniform default, rejects negatives and all-zero', () => {
    expect(Array.from(normaliseWeights(Float64Array.of(1, 3), 2, 'pool'))).toEqual([0.25, 0.75]);
    expect(Array.from(normaliseWeights(undefined, 4, 'pool'))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(() => normaliseWeights([1, -1], 2, 'pool')).toThrow(AlignInputError);
    expect(() => normaliseWeights([0, 0], 2, 'pool')).toThrow(/all zero/);
  });
});

describe('selectKth', () => {
  it('puts the k-th order statistic in place, like a full sort, on seeded random, sorted, constant and tied input', async () => {
    const { selectKth, createRng } = await import('@/lib/numeric');
    const rng = createRng(5);
    const cases: Float64Array[] = [
      Float64Array.from({ length: 1001 }, () => rng.normal()),
      Float64Array.from({ length: 500 }, (_, i) => i),
      new Float64Array(300).fill(2),
      Float64Array.from({ length: 777 }, () => Math.floor(rng.next() * 5)),
      Float64Array.from({ length: 50 }, () => (rng.next() < 0.2 ? -Infinity : rng.normal())),
    ];
    for (const base of cases) {
      const sorted = Float64Array.from(base).sort();
      for (const k of [0, 1, Math.floor(base.length / 2), base.length - 2, base.length - 1]) {
        const a = Float64Array.from(base);
        expect(selectKth(a, k)).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(a[i]!).toBeLessThanOrEqual(a[k]!);
        for (let i = k + 1; i < a.length; i++) expect(a[i]!).toBeGreaterThanOrEqual(a[k]!);
      }
    }
    expect(() => selectKth(new Float64Array(3), 3)).toThrow(RangeError);
  });
});
