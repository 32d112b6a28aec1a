import { describe, expect, it } from 'vitest';
import { bandwidthRules, gaussianKde, standardiser, chooseGrid, binPoints, interpolateGrid, convolveGrid } from '@/lib/stats';
import { AlignInputError, createRng, matrixFromRows } from '@/lib/numeric';
import { mat, ref } from '../../support/fixtures';

const K = ref.kde;
const data = mat(K.data, K.n, K.d);
const points = mat(K.points, K.m, K.d);

describe('gaussianKde (exact) against scipy.stats.gaussian_kde', () => {
  // Tolerance 1e-9 in log density: both are exact double-precision sums.
  for (const bw of ['scott', 'silverman', 0.3] as const) {
    it(`whitened, bandwidth ${bw}`, () => {
      const r = gaussianKde({ data, points, bandwidth: bw, standardise: 'whiten', method: 'exact' });
      r.logDensity.forEach((v, i) => expect(v).toBeCloseTo(K[`scipy_${bw}`][i], 9));
    });
    it(`whitened and weighted, bandwidth ${bw}`, () => {
      const r = gaussianKde({ data, points, weights: K.weights, bandwidth: bw, standardise: 'whiten', method: 'exact' });
      r.logDensity.forEach((v, i) => expect(v).toBeCloseTo(K[`scipy_weighted_${bw}`][i], 9));
    });
  }
  it('raw scale with h = 0.5, plain and leave-one-out (numpy formula, 1e-10)', () => {
    const r = gaussianKde({ data, points, bandwidth: 0.5, method: 'exact' });
    r.logDensity.forEach((v, i) => expect(v).toBeCloseTo(K.raw_h05[i], 10));
    const loo = gaussianKde({ data, bandwidth: 0.5, leaveOneOut: true, method: 'exact' });
    loo.logDensity.forEach((v, i) => expect(v).toBeCloseTo(K.raw_h05_loo[i], 10));
    const wl = gaussianKde({ data, weights: K.weights, bandwidth: 0.5, leaveOneOut: true, method: 'exact' });
    wl.logDensity.forEach((v, i) => expect(v).toBeCloseTo(K.raw_h05_weighted_loo[i], 10));
  });
  it('doc example: one point at 0 with h = 1', () => {
    expect(gaussianKde({ data: matrixFromRows([[0]]), points: matrixFromRows([[0]]), bandwidth: 1 }).logDensity[0]).toBeCloseTo(-0.918938533, 8);
  });
  it('stays finite far from the data (log-sum-exp)', () => {
    const r = gaussianKde({ data: matrixFromRows([[0], [0.1]]), points: matrixFromRows([[100]]), bandwidth: 0.1, method: 'exact' });
    expect(Number.isFinite(r.logDensity[0]!)).toBe(true);
  });
});

describe('bandwidth rules', () => {
  it('Scott and Silverman factors', () => {
    expect(bandwidthRules.scott({ effectiveSize: 1000, dimension: 5 })).toBeCloseTo(Math.pow(1000, -1 / 9), 12);
    expect(bandwidthRules.silverman({ effectiveSize: 1000, dimension: 5 })).toBeCloseTo(Math.pow((1000 * 7) / 4, -1 / 9), 12);
  });
  it('a constant column under a rule is a named error', () => {
    const m = matrixFromRows([[1, 3], [2, 3], [3, 3]]);
    expect(() => gaussianKde({ data: m, bandwidth: 'scott' })).toThrow(AlignInputError);
    expect(() => standardiser(m, 'whiten')).toThrow(/same value/);
  });
});

describe('binned KDE', () => {
  it('grid primitives: binning conserves mass, interpolation reproduces linear functions', () => {
    const g = chooseGrid([0, 0], [1, 1], [0.1, 0.1], 1e4);
    const r = createRng(3);
    const pts = { data: Float64Array.from({ length: 200 }, () => r.next()), rows: 100, cols: 2 };
    const mass = binPoints(g, pts, new Float64Array(100).fill(0.01));
    expect(mass.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    const vals = new Float64Array(g.size);
    for (let i = 0; i < g.shape[0]!; i++) for (let j = 0; j < g.shape[1]!; j++) vals[i * g.shape[1]! + j] = 2 * i * g.spacing[0]! + 3 * j * g.spacing[1]!;
    const interp = interpolateGrid(g, vals, pts);
    for (let i = 0; i < 100; i++) expect(interp[i]).toBeCloseTo(2 * pts.data[2 * i]! + 3 * pts.data[2 * i + 1]!, 10);
    // convolution of a unit mass with a normalised kernel integrates to 1 (away from edges)
    const one = new Float64Array(g.size);
    const mid = Math.floor(g.shape[0]! / 2) * g.shape[1]! + Math.floor(g.shape[1]! / 2);
    one[mid] = 1;
    const c = convolveGrid(g, one, [0.1, 0.1]);
    expect(c.reduce((s, x) => s + x, 0) * g.spacing[0]! * g.spacing[1]!).toBeCloseTo(1, 3);
  });
  it('5-D binning and interpolation (unrolled paths) match the multilinear formula with explicit corner weights', () => {
    const g = chooseGrid([1, 1, 1, 1, 1], [5, 5, 5, 5, 5], [0.5, 0.5, 0.5, 0.5, 0.5], 1 << 15);
    const r = createRng(5);
    const rows = 50;
    const pts = { data: Float64Array.from({ length: rows * 5 }, () => 0.8 + 4.4 * r.next()), rows, cols: 5 };
    const vals = Float64Array.from({ length: g.size }, () => r.next());
    const w = Float64Array.from({ length: rows }, () => r.next());
    const st = [0, 0, 0, 0, 0];
    for (let k = 4, acc = 1; k >= 0; k--) {
      st[k] = acc;
      acc *= g.shape[k]!;
    }
    // Reference: corner weights prod_k (f_k or 1 - f_k), with points outside the grid clamped to the boundary cell.
    const expectedMass = new Float64Array(g.size);
    const expectedInterp = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const base: number[] = [];
      const frac: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t = Math.min(Math.max((pts.data[i * 5 + k]! - g.lo[k]!) / g.spacing[k]!, 0), g.shape[k]! - 1);
        const i0 = Math.min(Math.floor(t), g.shape[k]! - 2);
        base.push(i0);
        frac.push(t - i0);
      }
      for (let c = 0; c < 32; c++) {
        let cw = 1;
        let node = 0;
        for (let k = 0; k < 5; k++) {
          const up = (c >> k) & 1;
          cw *= up ? frac[k]! : 1 - frac[k]!;
          node += (base[k]! + up) * st[k]!;
        }
        expectedMass[node] = expectedMass[node]! + w[i]! * cw;
        expectedInterp[i] = expectedInterp[i]! + cw * vals[node]!;
      }
    }
    const mass = binPoints(g, pts, w);
    const interp = interpolateGrid(g, vals, pts);
    for (let j = 0; j < g.size; j++) expect(mass[j]).toBeCloseTo(expectedMass[j]!, 12);
    for (let i = 0; i < rows; i++) expect(interp[i]).toBeCloseTo(expectedInterp[i]!, 12);
  });
  it('separable convolution equals the direct truncated kernel sum, including all-zero rows', () => {
    const g = chooseGrid([0, 0, 0], [1, 1, 1], [0.2, 0.2, 0.2], 400);
    const r = createRng(9);
    // Sparse input: most rows along every axis are zero, which exercises the zero-row skips.
    const vals = new Float64Array(g.size);
    for (let t = 0; t < 6; t++) vals[r.nextInt(g.size)] = r.next();
    const sd = [0.15, 0.2, 0.25];
    const out = convolveGrid(g, vals, sd, { truncate: 3 });
    const [n0, n1, n2] = Array.from(g.shape);
    const tap = (k: number, dist: number) => {
      const T = Math.ceil((3 * sd[k]!) / g.spacing[k]!);
      if (Math.abs(dist) > T) return 0;
      const x = dist * g.spacing[k]!;
      return Math.exp(-0.5 * (x / sd[k]!) ** 2) / (sd[k]! * Math.sqrt(2 * Math.PI));
    };
    for (let a = 0; a < n0!; a++)
      for (let b = 0; b < n1!; b++)
        for (let c = 0; c < n2!; c++) {
          let acc = 0;
          for (let i = 0; i < n0!; i++) for (let j = 0; j < n1!; j++) for (let k = 0; k < n2!; k++) {
            const v = vals[(i * n1! + j) * n2! + k]!;
            if (v !== 0) acc += v * tap(0, a - i) * tap(1, b - j) * tap(2, c - k);
          }
          expect(out[(a * n1! + b) * n2! + c]).toBeCloseTo(acc, 10);
        }
  });
  it('agrees with the exact KDE on 5-D trait-like data: median |log error| < 0.02 (spacing 0.5 h)', () => {
    const r = createRng(11);
    const rows = 3000;
    const d = 5;
    const X = { data: Float64Array.from({ length: rows * d }, () => Math.min(5, Math.max(1, 3 + 0.7 * r.normal()))), rows, cols: d };
    const exact = gaussianKde({ data: X, bandwidth: 0.4, leaveOneOut: true, method: 'exact' }).logDensity;
    const binned = gaussianKde({ data: X, bandwidth: 0.4, leaveOneOut: true, method: 'binned', binned: { maxNodes: 1 << 22 } });
    const err = Array.from(exact, (v, i) => Math.abs(v - binned.logDensity[i]!)).sort((a, b) => a - b);
    expect(err[Math.floor(rows / 2)]!).toBeLessThan(0.02);
    expect(binned.logDensity.every(Number.isFinite)).toBe(true);
  });
});
