import { describe, expect, it } from 'vitest';
import { selectionMethods, selectMultinomial, selectSystematic, selectTopFraction, selectWithoutReplacement } from '@/lib/align';
import { AlignInputError, createRng, matrixFromRows, sumByIndex, uniqueRows, type Matrix } from '@/lib/numeric';
import { momentGap } from '@/lib/align/momentGap';
import { hilbertOrder } from '@/lib/align/selectSystematic';
import { weightedMoments } from '@/lib/stats';

describe('selection methods', () => {
  const weights = Float64Array.from({ length: 50 }, (_, i) => (i % 5) + 0.5);
  const points = { data: Float64Array.from({ length: 100 }, (_, t) => 1 + ((t * 37) % 41) / 10), rows: 50, cols: 2 };
  it('are deterministic under a seed', () => {
    for (const [name, f] of Object.entries(selectionMethods)) {
      const a = f({ weights, size: 20, rng: createRng(3), points }).indices;
      const b = f({ weights, size: 20, rng: createRng(3), points }).indices;
      expect(Array.from(a), name).toEqual(Array.from(b));
      expect(a.length, name).toBe(20);
    }
  });
  it('doc examples', () => {
    expect(Array.from(selectMultinomial({ weights: [0, 1], size: 3, rng: createRng(1) }).indices)).toEqual([1, 1, 1]);
    expect(Array.from(selectTopFraction({ weights: [0.1, 0.5, 0.4], size: 2, rng: createRng(1) }).indices)).toEqual([1, 2]);
    for (let s = 0; s < 5; s++) {
      expect(Array.from(selectWithoutReplacement({ weights: [1, 0, 1], size: 2, rng: createRng(s) }).indices).sort()).toEqual([0, 2]);
      const counts = [0, 0, 0];
      for (const i of selectSystematic({ weights: [1, 1, 2], size: 4, rng: createRng(s) }).indices) counts[i]!++;
      expect(counts).toEqual([1, 1, 2]);
    }
  });
  it('without replacement gives distinct personas; with replacement frequencies follow the weights', () => {
    const idx = selectWithoutReplacement({ weights, size: 40, rng: createRng(2) }).indices;
    expect(new Set(idx).size).toBe(40);
    const w = [1, 3];
    const c = [0, 0];
    for (const i of selectMultinomial({ weights: w, size: 20000, rng: createRng(5) }).indices) c[i]!++;
    expect(c[1]! / 20000).toBeCloseTo(0.75, 1);
  });
  it('asking for more distinct personas than have weight is a named error', () => {
    expect(() => selectWithoutReplacement({ weights: [1, 0], size: 2, rng: createRng(1) })).toThrow(AlignInputError);
  });
});

describe('systematic draws along a Hilbert curve', () => {
  it('hilbertOrder visits a 4 x 4 grid by unit steps and is a permutation', () => {
    const pts: number[][] = [];
    for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) pts.push([x, y]);
    const o = hilbertOrder(matrixFromRows(pts));
    expect(Array.from(o).sort((a, b) => a - b)).toEqual(pts.map((_, i) => i));
    for (let t = 1; t < o.length; t++) {
      const [a, b] = [pts[o[t - 1]!]!, pts[o[t]!]!];
      expect(Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!)).toBe(1);
    }
    expect(Array.from(hilbertOrder(matrixFromRows([[0, 0], [1, 1], [0, 1], [1, 0]])))).toEqual([0, 2, 1, 3]);
  });
  it('with points, each persona is still drawn floor(k p) or ceil(k p) times', () => {
    const r = createRng(3);
    const n = 500;
    const points: Matrix = { data: Float64Array.from({ length: n * 5 }, () => 1 + 4 * r.next()), rows: n, cols: 5 };
    const weights = Float64Array.from({ length: n }, () => r.next() ** 3);
    const total = weights.reduce((s, w) => s + w, 0);
    for (const seed of [1, 2, 3]) {
      const k = 137;
      const sel = selectSystematic({ weights, size: k, rng: createRng(seed), points }).indices;
      const counts = new Float64Array(n);
      for (const i of sel) counts[i] = counts[i]! + 1;
      for (let i = 0; i < n; i++) {
        const e = (k * weights[i]!) / total;
        expect(counts[i]).toBeGreaterThanOrEqual(Math.floor(e) - 1e-9);
        expect(counts[i]).toBeLessThanOrEqual(Math.ceil(e) + 1e-9);
      }
    }
  });
  it('the curve order stratifies: the k-set mean is closer to the weighted mean than in pool order (median over seeds)', () => {
    const r = createRng(4);
    const n = 20_000;
    const points: Matrix = { data: Float64Array.from({ length: n * 5 }, () => 1 + 4 * r.next()), rows: n, cols: 5 };
    const weights = Float64Array.from({ length: n }, (_, i) => Math.exp(points.data[i * 5]! - points.data[i * 5 + 3]!));
    const total = weights.reduce((s, w) => s + w, 0);
    const target = [0, 1, 2, 3, 4].map((k) => weights.reduce((s, w, i) => s + w * points.data[i * 5 + k]!, 0) / total);
    const err = (sel: Uint32Array) => Math.hypot(...target.map((m, k) => Array.from(sel).reduce((s, i) => s + points.data[i * 5 + k]!, 0) / sel.length - m));
    const curve: number[] = [];
    const plain: number[] = [];
    for (let seed = 0; seed < 9; seed++) {
      curve.push(err(selectSystematic({ weights, size: 300, rng: createRng(seed), points }).indices));
      plain.push(err(selectSystematic({ weights, size: 300, rng: createRng(seed) }).indices));
    }
    curve.sort((a, b) => a - b);
    plain.sort((a, b) => a - b);
    expect(curve[4]!).toBeLessThan(0.5 * plain[4]!);
  });
  it('balanced: the chosen set is never further from the weighted moments than the single-offset draw, and usually much closer', () => {
    const r = createRng(8);
    const n = 5_000;
    const points: Matrix = { data: Float64Array.from({ length: n * 5 }, () => Math.round(10 * (1 + 4 * r.next())) / 10), rows: n, cols: 5 };
    const weights = Float64Array.from({ length: n }, (_, i) => Math.exp(points.data[i * 5 + 1]! - 0.5 * points.data[i * 5 + 2]!));
    const target = weightedMoments(points, weights);
    const ratios: number[] = [];
    for (let seed = 0; seed < 9; seed++) {
      const one = selectSystematic({ weights, size: 200, rng: createRng(seed), points, balanceRounds: 1, refine: false }).indices;
      const many = selectSystematic({ weights, size: 200, rng: createRng(seed), points, refine: false }).indices;
      const g1 = momentGap(points, one, target);
      const gm = momentGap(points, many, target);
      expect(gm).toBeLessThanOrEqual(g1);
      ratios.push(gm / g1);
      // Still a systematic draw: the floor/ceil counts hold for the balanced set.
      const total = weights.reduce((a, w) => a + w, 0);
      const counts = new Float64Array(n);
      for (const i of many) counts[i] = counts[i]! + 1;
      for (let i = 0; i < n; i++) {
        const e = (200 * weights[i]!) / total;
        expect(counts[i]).toBeGreaterThanOrEqual(Math.floor(e) - 1e-9);
        expect(counts[i]).toBeLessThanOrEqual(Math.ceil(e) + 1e-9);
      }
    }
    ratios.sort((a, b) => a - b);
    expect(ratios[4]!).toBeLessThan(0.6);
  });
  it('momentGap is zero for a set with the target moments and grows with a shift of the mean', () => {
    const points = matrixFromRows([[1, 2], [3, 2], [1, 4], [3, 4]]);
    const all = Uint32Array.of(0, 1, 2, 3);
    const target = weightedMoments(points);
    expect(momentGap(points, all, target)).toBeCloseTo(0, 14);
    // Rows 1 and 3 only: mean (3, 3) against (2, 3), sd 1 per column: (1/1)^2 for the mean, variance of x 0 vs 1.
    expect(momentGap(points, Uint32Array.of(1, 3), target)).toBeCloseTo(1 + 1 + 0 + 0, 12);
  });
});

describe('uniqueRows', () => {
  it('numbers distinct rows across matrices, treats -0 as 0, and sums weights by row', () => {
    const a = matrixFromRows([[1, 2], [3, 4], [1, 2], [0, 5]]);
    const b = matrixFromRows([[3, 4], [-0, 5], [7, 7]]);
    const u = uniqueRows([a, b]);
    expect(u.rows.rows).toBe(4);
    expect(Array.from(u.index[0]!)).toEqual([0, 1, 0, 2]);
    expect(Array.from(u.index[1]!)).toEqual([1, 2, 3]);
    expect(Array.from(sumByIndex(u.index[0]!, 4, [0.5, 1, 2, 3]))).toEqual([2.5, 1, 3, 0]);
    expect(Array.from(sumByIndex(u.index[1]!, 4))).toEqual([0, 1, 1, 1]);
  });
  it('is exact on many rows with hash collisions forced by growth', () => {
    const r = createRng(5);
    const m: Matrix = { data: Float64Array.from({ length: 3 * 50_000 }, () => r.nextInt(12)), rows: 50_000, cols: 3 };
    const u = uniqueRows([m]);
    const keys = new Set<string>();
    for (let i = 0; i < m.rows; i++) keys.add(`${m.data[i * 3]},${m.data[i * 3 + 1]},${m.data[i * 3 + 2]}`);
    expect(u.rows.rows).toBe(keys.size);
    for (let i = 0; i < m.rows; i += 97) {
      const j = u.index[0]![i]!;
      expect(Array.from(u.rows.data.subarray(j * 3, j * 3 + 3))).toEqual(Array.from(m.data.subarray(i * 3, i * 3 + 3)));
    }
  });
});
