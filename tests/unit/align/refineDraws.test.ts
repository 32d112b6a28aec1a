import { describe, expect, it } from 'vitest';
import { selectSystematic } from '@/lib/align';
import { refineDraws, REFINE_GRID } from '@/lib/align/refineDraws';
import { momentGap } from '@/lib/align/momentGap';
import { hilbertOrder } from '@/lib/align/selectSystematic';
import { createRng, selectRows, type Matrix } from '@/lib/numeric';
import { amw, weightedMoments } from '@/lib/stats';

/** Seeded pool: lattice scores (steps of 0.1 on 1-5, as IPIP scale scores) or continuous ones, tilted weights. */
function pool(n: number, seed: number, lattice: boolean) {
  const r = createRng(seed);
  const v = () => 1 + 4 * r.next();
  const points: Matrix = { data: Float64Array.from({ length: n * 5 }, () => (lattice ? Math.round(10 * v()) / 10 : v())), rows: n, cols: 5 };
  const raw = Float64Array.from({ length: n }, (_, i) => Math.exp(points.data[i * 5 + 1]! - 0.7 * points.data[i * 5 + 3]! + 0.3 * r.next()));
  const total = raw.reduce((a, b) => a + b, 0);
  return { points, weights: Float64Array.from(raw, (w) => w / total) };
}

/** The curve, the cumulative shares along it and one systematic draw of k at offset u0 / k (positions on the curve). */
function curve(points: Matrix, weights: Float64Array, k: number, u0: number) {
  const order = hilbertOrder(points);
  const cum = new Float64Array(points.rows);
  let acc = 0;
  for (let p = 0; p < order.length; p++) cum[p] = acc += weights[order[p]!]!;
  const positions = new Uint32Array(k);
  let p = 0;
  for (let t = 0; t < k; t++) {
    while (p < cum.length - 1 && cum[p]! <= (t + u0) / k) p++;
    positions[t] = p;
  }
  return { points, weights, order, cum, target: weightedMoments(points, weights), positions };
}

/** The objective J computed from scratch: per-trait W1 to the weighted pool (lib/stats amw, checked against scipy) over sd, plus sqrt(moment gap). */
function objective(points: Matrix, weights: Float64Array, rows: Uint32Array) {
  const target = weightedMoments(points, weights);
  const per = amw({ a: selectRows(points, rows), b: points, bWeights: weights }).perDimension!;
  return per.reduce((s, x, a) => s + x / target.sd[a]!, 0) + Math.sqrt(momentGap(points, rows, target));
}

describe('refineDraws', () => {
  it('keeps its objective exactly on lattice scores: before and after agree with W1 and the moment gap recomputed from the sets', () => {
    const { points, weights } = pool(3000, 1, true);
    for (const seed of [1, 2, 3]) {
      const c = curve(points, weights, 150, createRng(seed).next());
      const start = Uint32Array.from(c.positions, (p) => c.order[p]!);
      const res = refineDraws(c, createRng(seed));
      expect(res.objectiveBefore).toBeCloseTo(objective(points, weights, start), 9);
      expect(res.objectiveAfter).toBeCloseTo(objective(points, weights, res.rows), 9);
      expect(res.moves).toBeGreaterThan(0);
      expect(res.objectiveAfter).toBeLessThan(res.objectiveBefore);
    }
  });
  it('on continuous scores the objective is within the grid step of the exact one', () => {
    const { points, weights } = pool(3000, 2, false);
    const c = curve(points, weights, 150, 0.5);
    const res = refineDraws(c, createRng(4));
    const sd = weightedMoments(points, weights).sd;
    // Binning each value to the nearest of REFINE_GRID points moves it by at most half a step (4 / (G - 1) / 2 on 1-5).
    const tolerance = Array.from(sd).reduce((s, x) => s + 4 / (REFINE_GRID - 1) / x, 0);
    expect(Math.abs(res.objectiveAfter - objective(points, weights, res.rows))).toBeLessThan(tolerance);
    expect(objective(points, weights, res.rows)).toBeLessThan(objective(points, weights, Uint32Array.from(c.positions, (p) => c.order[p]!)));
  });
  it.each([
    [800, 'a few heavy rows spanning several strata'],
    [300, 'most rows straddling two strata'],
  ])('each draw stays in its stratum and every row within floor(k p) .. ceil(k p) draws (%i rows: %s)', (n) => {
    const { points, weights } = pool(n, 3, true);
    if (n === 800) for (const i of [5, 50, 500]) weights[i] = 0.02;
    const total = weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! / total;
    const k = 211;
    const c = curve(points, weights, k, 0.3);
    const res = refineDraws(c, createRng(9));
    expect(res.moves).toBeGreaterThan(0);
    const position = new Uint32Array(points.rows);
    c.order.forEach((row, p) => (position[row] = p));
    res.rows.forEach((row, t) => {
      const p = position[row]!;
      expect(c.cum[p]!).toBeGreaterThan(t / k - 1e-12);
      expect(p === 0 ? 0 : c.cum[p - 1]!).toBeLessThan((t + 1) / k + 1e-12);
    });
    const counts = new Float64Array(points.rows);
    for (const i of res.rows) counts[i] = counts[i]! + 1;
    for (let i = 0; i < points.rows; i++) {
      expect(counts[i]).toBeGreaterThanOrEqual(Math.floor(k * weights[i]! + 1e-9));
      expect(counts[i]).toBeLessThanOrEqual(Math.ceil(k * weights[i]! - 1e-9));
    }
  });
  it('a pool of k rows of equal weight is one row per stratum: nothing moves', () => {
    const { points } = pool(64, 5, false);
    const weights = new Float64Array(64).fill(1 / 64);
    const c = curve(points, weights, 64, 0.5);
    const res = refineDraws(c, createRng(1));
    expect(res.moves).toBe(0);
    expect(Array.from(res.rows).sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });
  it('the default systematic draw is closer to the weighted pool than the unrefined one on marginals and moments (every seed)', () => {
    const { points, weights } = pool(20_000, 6, true);
    const target = weightedMoments(points, weights);
    for (let seed = 0; seed < 5; seed++) {
      const plain = selectSystematic({ weights, size: 300, rng: createRng(seed), points, refine: false }).indices;
      const refined = selectSystematic({ weights, size: 300, rng: createRng(seed), points }).indices;
      const w1 = (rows: Uint32Array) => amw({ a: selectRows(points, rows), b: points, bWeights: weights }).value;
      expect(w1(refined)).toBeLessThan(0.8 * w1(plain));
      expect(momentGap(points, refined, target)).toBeLessThan(0.5 * momentGap(points, plain, target));
    }
  });
});
