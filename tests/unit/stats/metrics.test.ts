import { describe, expect, it } from 'vitest';
import { amw, asmd, cdfWalk, energyDistance, frechetDistance, ksStatistic, maeCorr, metricRegistry, mmd, mmdBatch, paperMetrics, paperMetricsBatchDetailed, slicedWasserstein, wasserstein1d, type MetricName } from '@/lib/stats';
import { MMD_SUBSAMPLE } from '@/lib/stats/mmd';
import { createRng, matrixFromRows, type Matrix } from '@/lib/numeric';
import { mat, ref } from '../../support/fixtures';

const M = ref.metrics;
const A = mat(M.A, M.na, M.d);
const B = mat(M.B, M.nb, M.d);
const dirs = Float64Array.from(M.directions);

describe('against scipy / POT fixtures (tolerance 1e-9 unless stated)', () => {
  it('1-D Wasserstein (ot.wasserstein_1d and scipy, weighted and not), KS and energy', () => {
    const w = ref.w1d;
    expect(wasserstein1d(w.u, w.v, w.wu, w.wv)).toBeCloseTo(w.pot, 9);
    expect(wasserstein1d(w.u, w.v, w.wu, w.wv)).toBeCloseTo(w.scipy_weighted, 9);
    expect(wasserstein1d(w.u, w.v)).toBeCloseTo(w.pot_unweighted, 9);
    expect(cdfWalk(w.u, w.v).ks).toBeCloseTo(w.ks, 12);
    const e = energyDistance({ a: mat(w.u, w.u.length, 1), b: mat(w.v, w.v.length, 1) }).value;
    expect(Math.sqrt(e)).toBeCloseTo(w.energy_scipy, 9); // scipy reports the square root
  });
  it('AMW, SW (same 16 directions), FD, MMD, MAEcorr, energy, KS; weighted variants', () => {
    expect(amw({ a: A, b: B }).value).toBeCloseTo(M.amw, 9);
    expect(amw({ a: A, b: B, aWeights: M.wa }).value).toBeCloseTo(M.amw_weighted, 9);
    expect(slicedWasserstein({ a: A, b: B, directions: dirs }).value).toBeCloseTo(M.sw, 9);
    expect(slicedWasserstein({ a: A, b: B, aWeights: M.wa, directions: dirs }).value).toBeCloseTo(M.sw_weighted, 9);
    expect(frechetDistance({ a: A, b: B }).value).toBeCloseTo(M.fd, 8);
    expect(frechetDistance({ a: A, b: B, aWeights: M.wa }).value).toBeCloseTo(M.fd_weighted, 8);
    const m = mmd({ a: A, b: B });
    expect(m.parameters.sigma as number).toBeCloseTo(M.mmd_sigma, 9);
    expect(m.value).toBeCloseTo(M.mmd, 9);
    expect(mmd({ a: A, b: B, aWeights: M.wa }).value).toBeCloseTo(M.mmd_weighted, 9);
    expect(mmd({ a: A, b: B, mmdBandwidth: 1 }).value).toBeCloseTo(M.mmd_sigma1, 9);
    expect(maeCorr({ a: A, b: B }).value).toBeCloseTo(M.maecorr, 9);
    expect(maeCorr({ a: A, b: B, aWeights: M.wa }).value).toBeCloseTo(M.maecorr_weighted, 9);
    expect(energyDistance({ a: A, b: B }).value).toBeCloseTo(M.energy, 9);
    expect(energyDistance({ a: A, b: B, aWeights: M.wa }).value).toBeCloseTo(M.energy_weighted, 9);
    ksStatistic({ a: A, b: B }).perDimension!.forEach((v, k) => expect(v).toBeCloseTo(M.ks[k], 12));
  });
});

describe('invariants', () => {
  const names = Object.keys(metricRegistry) as MetricName[];
  it('every metric is zero on identical sets and symmetric (1e-9)', () => {
    const w = Float64Array.from(M.wa);
    for (const name of names) {
      const f = metricRegistry[name];
      expect(f({ a: A, b: A }).value, name).toBeCloseTo(0, 6);
      expect(f({ a: A, b: A, aWeights: w, bWeights: w }).value, name).toBeCloseTo(0, 6);
      expect(f({ a: A, b: B, aWeights: w }).value, name).toBeCloseTo(f({ a: B, b: A, bWeights: w }).value, 9);
    }
  });
  it('a weight vector equals repeating rows (weights as multiplicities)', () => {
    const a = matrixFromRows([[1, 2], [2, 4], [3, 1]]);
    const rep = matrixFromRows([[1, 2], [2, 4], [2, 4], [3, 1]]);
    const b = matrixFromRows([[2, 2], [3, 3], [1, 4]]);
    for (const name of ['amw', 'fd', 'maecorr', 'asmd', 'ks', 'energy'] as MetricName[]) {
      expect(metricRegistry[name]({ a, b, aWeights: [1, 2, 1] }).value, name).toBeCloseTo(metricRegistry[name]({ a: rep, b }).value, 9);
    }
  });
  it('FD of two known Gaussians: N(0, I) vs N(mu, 4I) in 2-D is |mu|^2 + 2 (1 + 4 - 4) = 5 + 2', () => {
    const r = createRng(4);
    const n = 40000;
    const a: Matrix = { data: Float64Array.from({ length: 2 * n }, () => r.normal()), rows: n, cols: 2 };
    const b: Matrix = { data: Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 2 : 1) + 2 * r.normal()), rows: n, cols: 2 };
    // expected: |(1,2)|^2 = 5, trace term 2 * (1 + 4 - 2 * 2) = 2; sampling tolerance 0.1
    expect(Math.abs(frechetDistance({ a, b }).value - 7)).toBeLessThan(0.15);
  });
  it('doc examples', () => {
    expect(amw({ a: matrixFromRows([[1, 1]]), b: matrixFromRows([[2, 3]]) }).value).toBe(1.5);
    expect(wasserstein1d(Float64Array.of(0, 1), Float64Array.of(1, 2))).toBe(1);
    expect(ksStatistic({ a: matrixFromRows([[0]]), b: matrixFromRows([[1]]) }).value).toBe(1);
    expect(energyDistance({ a: matrixFromRows([[0]]), b: matrixFromRows([[1]]) }).value).toBe(2);
    expect(asmd({ a: matrixFromRows([[0], [2]]), b: matrixFromRows([[2], [4]]) }).value).toBe(2);
    expect(maeCorr({ a: matrixFromRows([[0, 0], [1, 1], [2, 2]]), b: matrixFromRows([[0, 2], [1, 1], [2, 0]]) }).value).toBe(2);
  });
  it('SW is deterministic under a seed and states its settings', () => {
    const s1 = slicedWasserstein({ a: A, b: B, seed: 3 });
    expect(s1.value).toBe(slicedWasserstein({ a: A, b: B, seed: 3 }).value);
    expect(s1.parameters).toEqual({ projections: 100, seed: 3 });
  });
  it('MMD above the exact budget is an unbiased subsample estimate whose stated SE covers the exact value', () => {
    const r = createRng(8);
    const n = 600;
    const a: Matrix = { data: Float64Array.from({ length: 5 * n }, () => 3 + 0.7 * r.normal()), rows: n, cols: 5 };
    const b: Matrix = { data: Float64Array.from({ length: 5 * n }, (_, i) => 3.2 + (i % 5 === 0 ? 0.3 : 0) + 0.8 * r.normal()), rows: n, cols: 5 };
    const exact = mmd({ a, b, exactLimit: Infinity });
    expect(exact.parameters.estimator).toBe('exact V-statistic');
    const est = mmd({ a, b, exactLimit: 0 });
    expect(est.parameters.estimator).toBe('unbiased estimate on subsamples');
    expect(est.parameters.subsample).toBe(MMD_SUBSAMPLE);
    expect(Math.abs(est.value - exact.value)).toBeLessThan(3 * (est.parameters.se as number));
    // Coverage over 20 seeds of a smaller subsample: |estimate - exact| < 2 SE in most of them.
    let covered = 0;
    for (let seed = 0; seed < 20; seed++) {
      const e = mmdBatch([{ a }], b, undefined, { seed, exactLimit: 0, subsample: 300, mmdBandwidth: exact.parameters.sigma as number })[0]!;
      expect(e.se).toBeGreaterThan(0);
      if (Math.abs(e.value - exact.value) < 2 * e.se!) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(15);
  });
  it('exact MMD by parts (a small set against a large lattice target) equals the one-pass exact value', () => {
    // A target of 9,000 rows on a 0.1 lattice (questionnaire scale means) and a weighted set of 400 rows off the
    // lattice: too many rows for one pass over every pair under the default budget, so the set is measured by parts.
    const r = createRng(12);
    const lat = (n: number, shift: number) => Float64Array.from({ length: 5 * n }, () => Math.min(5, Math.max(1, Math.round(10 * (3 + shift + 0.7 * r.normal())) / 10)));
    const b: Matrix = { data: lat(9000, 0), rows: 9000, cols: 5 };
    const bw = Float64Array.from({ length: 9000 }, () => 0.5 + r.next());
    const a: Matrix = { data: Float64Array.from({ length: 5 * 400 }, () => 3.1 + 0.6 * r.normal()), rows: 400, cols: 5 };
    const aw = Float64Array.from({ length: 400 }, () => r.next());
    const byParts = mmdBatch([{ a, aWeights: aw }, { a }], b, bw, { seed: 1 });
    const onePass = mmdBatch([{ a, aWeights: aw }, { a }], b, bw, { seed: 1, exactLimit: Infinity });
    for (let k = 0; k < 2; k++) {
      expect(byParts[k]!.estimator).toBe('exact V-statistic');
      expect(byParts[k]!.sigma).toBe(onePass[k]!.sigma);
      expect(Math.abs(byParts[k]!.value - onePass[k]!.value)).toBeLessThan(1e-9);
    }
    // The target's term is cached: a second call with the same target gives the same values.
    expect(mmdBatch([{ a, aWeights: aw }], b, bw, { seed: 1 })[0]!.value).toBe(byParts[0]!.value);
    // A set on a lattice of its own (quarter steps, a different grid from the target's): its own pairs come from its
    // histogram of squared distances, the same value as the one-pass sum.
    const q: Matrix = { data: Float64Array.from({ length: 5 * 600 }, () => Math.round(4 * (3 + 0.7 * r.normal())) / 4), rows: 600, cols: 5 };
    const qw = Float64Array.from({ length: 600 }, () => r.next());
    const qParts = mmdBatch([{ a: q, aWeights: qw }], b, bw, { seed: 1 })[0]!;
    const qOne = mmdBatch([{ a: q, aWeights: qw }], b, bw, { seed: 1, exactLimit: Infinity })[0]!;
    expect(qParts.estimator).toBe('exact V-statistic');
    expect(Math.abs(qParts.value - qOne.value)).toBeLessThan(1e-9);
  }, 30_000); // two one-pass exact sums over about 9,000 x 9,000 pairs: seconds on a busy 2-core machine
  it('exact MMD: the lattice path and the pairwise path agree, duplicates change nothing', () => {
    const r = createRng(9);
    const rows = (n: number, shift: number) => Float64Array.from({ length: 5 * n }, () => Math.min(5, Math.max(1, Math.round(10 * (3 + shift + 0.8 * r.normal())) / 10)));
    const a: Matrix = { data: rows(300, 0), rows: 300, cols: 5 };
    const b: Matrix = { data: rows(400, 0.2), rows: 400, cols: 5 };
    const w = Float64Array.from({ length: 300 }, () => 0.2 + r.next());
    const lattice = mmd({ a, b, aWeights: w, mmdBandwidth: 1.1 }).value;
    // One value off the lattice forces the pairwise path (a different input: compare with the same perturbation).
    const a2: Matrix = { ...a, data: a.data.map((v, i) => (i === 0 ? v + 1e-7 : v)) };
    const pairwise = mmd({ a: a2, b, aWeights: w, mmdBandwidth: 1.1 }).value;
    expect(lattice).toBeCloseTo(pairwise, 6);
    // Repeating every row of a (doubling, weights halved) is the same measure.
    const dup: Matrix = { data: Float64Array.from([...a.data, ...a.data]), rows: 600, cols: 5 };
    const wd = Float64Array.from([...w, ...w]);
    expect(mmd({ a: dup, b, aWeights: wd, mmdBandwidth: 1.1 }).value).toBeCloseTo(lattice, 12);
    expect(mmd({ a, b: a, aWeights: w, bWeights: w }).value).toBe(0);
  });
  it('sparse target weights on a large target: energy and MMD stay finite; energy equals the value on the weighted rows alone', () => {
    // 6,000 target rows of which 2 carry weight: a uniform subsample of the target (the estimate above 1.6e7 pairs)
    // would hold no weighted row and the value was NaN.
    const r = createRng(5);
    const a: Matrix = { data: Float64Array.from({ length: 5 * 5000 }, () => r.normal()), rows: 5000, cols: 5 };
    const b: Matrix = { data: Float64Array.from({ length: 5 * 6000 }, () => r.normal()), rows: 6000, cols: 5 };
    const bw = new Float64Array(6000);
    bw[17] = 1;
    bw[4000] = 3;
    const e = energyDistance({ a, b, bWeights: bw, seed: 2 }).value;
    expect(Number.isFinite(e)).toBe(true);
    const two: Matrix = { data: Float64Array.from([...b.data.subarray(17 * 5, 18 * 5), ...b.data.subarray(4000 * 5, 4001 * 5)]), rows: 2, cols: 5 };
    expect(Math.abs(e - energyDistance({ a, b: two, bWeights: [1, 3], seed: 2 }).value)).toBeLessThan(1e-12);
    expect(Number.isFinite(mmd({ a, b, bWeights: bw, seed: 2 }).value)).toBe(true);
  });
  it('paperMetrics returns the five headline numbers', () => {
    expect(Object.keys(paperMetrics({ a: A, b: B }))).toEqual(['amw', 'fd', 'sw', 'mmd', 'maecorr']);
  });
  it('empty or mismatched inputs are named errors', () => {
    expect(() => amw({ a: matrixFromRows([]), b: B })).toThrow(/no rows/);
    expect(() => amw({ a: matrixFromRows([[1, 2]]), b: B })).toThrow(/columns/);
  });
});

describe('batched metrics', () => {
  it('paperMetricsBatch equals paperMetrics pair by pair (1e-12)', async () => {
    const { paperMetricsBatch } = await import('@/lib/stats');
    const w = Float64Array.from(M.wa);
    const items = [{ a: A }, { a: A, aWeights: w }, { a: B }];
    const batch = paperMetricsBatch(items, B, undefined, { seed: 2, projections: 20 });
    items.forEach((it, k) => {
      const single = paperMetrics({ ...it, b: B, seed: 2, projections: 20 });
      for (const key of Object.keys(single) as (keyof typeof single)[]) expect(batch[k]![key]).toBeCloseTo(single[key], 12);
    });
  });
});

describe('questionnaire-like scores (0.1 lattice, repeated rows, both sides weighted) against scipy / POT', () => {
  const LM = ref.lattice_metrics;
  const LA = mat(LM.A, LM.na, LM.d);
  const LB = mat(LM.B, LM.nb, LM.d);
  it('the batch measured on distinct rows matches the definitions; MMD exact on the lattice path', () => {
    const { metrics, estimation } = paperMetricsBatchDetailed([{ a: LA, aWeights: LM.wa }], LB, LM.wb, { seed: 0, projections: 12 });
    const m = metrics[0]!;
    expect(estimation[0]).toEqual({});
    expect(m.amw).toBeCloseTo(LM.amw, 9);
    expect(m.fd).toBeCloseTo(LM.fd, 8);
    expect(m.maecorr).toBeCloseTo(LM.maecorr, 9);
    expect(m.mmd).toBeCloseTo(LM.mmd, 9);
    const sw = slicedWasserstein({ a: LA, b: LB, aWeights: LM.wa, bWeights: LM.wb, directions: Float64Array.from(LM.directions) }).value;
    expect(sw).toBeCloseTo(LM.sw, 9);
    expect(mmd({ a: LA, b: LB, aWeights: LM.wa, bWeights: LM.wb }).parameters.sigma as number).toBeCloseTo(LM.mmd_sigma, 9);
    expect(mmd({ a: LA, b: LB, aWeights: LM.wa, bWeights: LM.wb, mmdBandwidth: 0.7 }).value).toBeCloseTo(LM.mmd_sigma07, 9);
    expect(mmd({ a: LA, b: LB }).value).toBeCloseTo(LM.mmd_unweighted, 9);
  });
  it('the batch SW equals slicedWassersteinBatch on the rows as given (same seeded directions)', () => {
    const { metrics } = paperMetricsBatchDetailed([{ a: LA }, { a: LA, aWeights: LM.wa }], LB, LM.wb, { seed: 4, projections: 20 });
    expect(metrics[0]!.sw).toBeCloseTo(slicedWasserstein({ a: LA, b: LB, bWeights: LM.wb, seed: 4, projections: 20 }).value, 12);
    expect(metrics[1]!.sw).toBeCloseTo(slicedWasserstein({ a: LA, b: LB, aWeights: LM.wa, bWeights: LM.wb, seed: 4, projections: 20 }).value, 12);
  });
});
