import { describe, expect, it } from 'vitest';
import { LIVE_MMD_SUBSAMPLE, LIVE_PROJECTIONS, LIVE_SUBSAMPLE, LiveSession, SCATTER_POINTS } from '@/lib/studio/live';
import { createRng } from '@/lib/numeric/rng';
import { sampleIndices } from '@/lib/numeric/sampleIndices';
import { selectRows, type Matrix } from '@/lib/numeric/matrix';
import { amw, frechetDistance, maeCorr, mmd, slicedWasserstein } from '@/lib/stats';
import { applyTransforms, combineTransforms, traitMoments } from '@/lib/targets/transform';
import { loadBig5Traits } from '../../support/big5';

const neutral = { shift: 0, spread: 1 };
const NEUTRAL = { E: neutral, A: neutral, C: neutral, N: neutral, O: neutral };
const METRICS = ['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const;

/** The real BIG5 respondents; the pool is a seeded draw of 1,500 of them (so it resembles the reference). */
function setup() {
  const big5 = loadBig5Traits().traits;
  const rng = createRng(99);
  const poolN = 1500;
  const pool = new Float64Array(poolN * 5);
  for (let i = 0; i < poolN; i++) {
    const j = rng.nextInt(big5.rows);
    pool.set(big5.data.subarray(j * 5, j * 5 + 5), i * 5);
  }
  const refN = 4000;
  const reference = big5.data.slice(0, refN * 5);
  // A no-persona "baseline" of 200 later respondents.
  const baseline = big5.data.slice(10_000 * 5, 10_200 * 5);
  return { pool, poolN, reference, refN, baseline };
}

/** The seeded subsample the session uses (same seed, same sampler). */
function subsample(x: Matrix, k: number, seed: number): Matrix {
  return x.rows <= k ? x : selectRows(x, sampleIndices(x.rows, k, createRng(seed)).slice().sort());
}

describe('LiveSession (the studio worker computation)', () => {
  const s = setup();
  const baselines = [{ id: 'b', label: 'Baseline', data: s.baseline, n: 200 }];
  const input = { pool: s.pool, poolN: s.poolN, reference: s.reference, referenceN: s.refN, baselines };
  const session = new LiveSession(input);
  const moments = traitMoments(s.reference, s.refN);
  const poolM: Matrix = { data: s.pool, rows: s.poolN, cols: 5 };
  const targetOf = (edits: typeof NEUTRAL): Matrix => ({
    data: applyTransforms(s.reference, s.refN, combineTransforms(moments, null, edits), moments),
    rows: s.refN,
    cols: 5,
  });

  it('weights by calibration by default: the weighted pool has the target means, variances and covariances', () => {
    const shiftedEdits = { ...NEUTRAL, N: { shift: -0.4, spread: 1 } };
    const r = session.update(1, combineTransforms(moments, null, shiftedEdits));
    expect(r.requestId).toBe(1);
    expect(r.method).toBe('calibration');
    // 1,500 personas: the dual is solved on all of them, so the balance is exact.
    expect(r.balance!.solvedRows).toBe(s.poolN);
    expect(r.balance!.converged).toBe(true);
    expect(r.balance!.maxGap).toBeLessThan(1e-3);
    expect(r.asmd.before[3]!).toBeGreaterThan(0.3);
    for (const v of r.asmd.after) expect(v).toBeLessThan(1e-3);
    for (const row of r.correlationDiff.after) for (const v of row) expect(Math.abs(v)).toBeLessThan(1e-3);
    expect(r.metrics.weighted.fd).toBeLessThan(1e-5);
    expect(r.metrics.weighted.maecorr).toBeLessThan(1e-3);
    for (const m of METRICS) expect(r.metrics.weighted[m]).toBeLessThan(r.metrics.raw[m]);
    expect(r.weightHistogram.reduce((a, b) => a + b.count, 0)).toBe(s.poolN);
    expect(r.notes[0]).toMatch(/^Live weights: calibration/);
    expect(r.warnings).toEqual([]);
  });

  it('measures the raw pool and each baseline against the current target on every edit, as the plain metrics do', () => {
    const edits = { ...NEUTRAL, E: { shift: 0.3, spread: 0.8 } };
    const r = session.update(2, combineTransforms(moments, null, edits));
    const target = targetOf(edits);
    const targetSub = subsample(target, LIVE_SUBSAMPLE, 12);
    const targetMmd = subsample(target, LIVE_MMD_SUBSAMPLE, 16);
    const poolSub = subsample(poolM, LIVE_SUBSAMPLE, 11);
    const poolMmd = subsample(poolM, LIVE_MMD_SUBSAMPLE, 15);
    const sigma = Number(/bandwidth ([\d.]+) by the median heuristic/.exec(r.notes[1]!)![1]);
    const check = (got: Record<(typeof METRICS)[number], number>, a: Matrix, aSub: Matrix, aMmd: Matrix) => {
      expect(got.amw).toBeCloseTo(amw({ a, b: target }).value, 10);
      expect(got.fd).toBeCloseTo(frechetDistance({ a, b: target }).value, 10);
      expect(got.maecorr).toBeCloseTo(maeCorr({ a, b: target }).value, 10);
      expect(got.sw).toBeCloseTo(slicedWasserstein({ a: aSub, b: targetSub, projections: LIVE_PROJECTIONS, seed: 0 }).value, 10);
      // The note rounds sigma to three decimals.
      expect(got.mmd).toBeCloseTo(mmd({ a: aMmd, b: targetMmd, mmdBandwidth: sigma }).value, 3);
    };
    check(r.metrics.raw, poolM, poolSub, poolMmd);
    const base: Matrix = { data: s.baseline, rows: 200, cols: 5 };
    expect(r.baselines.map((b) => b.id)).toEqual(['b']);
    check(r.baselines[0]!.metrics, base, base, base);
    // The weighted pool's SW and AMW agree with the plain weighted metrics on the same subsample.
    const w = Float64Array.from(sampleIndices(s.poolN, LIVE_SUBSAMPLE, createRng(11)).slice().sort(), (i) => session['lastWeights']![i]!);
    expect(r.metrics.weighted.sw).toBeCloseTo(slicedWasserstein({ a: poolSub, aWeights: w, b: targetSub, projections: LIVE_PROJECTIONS, seed: 0 }).value, 10);
    expect(r.metrics.weighted.amw).toBeCloseTo(amw({ a: poolM, aWeights: session['lastWeights']!, b: target }).value, 10);
  });

  it('moves every figure with the target: metrics, coverage, scatter', () => {
    const a = session.update(3, combineTransforms(moments, null, NEUTRAL));
    const b = session.update(4, combineTransforms(moments, null, { ...NEUTRAL, N: { shift: 0.6, spread: 1.3 } }));
    for (const m of METRICS) {
      expect(b.metrics.raw[m]).not.toBe(a.metrics.raw[m]);
      expect(b.baselines[0]!.metrics[m]).not.toBe(a.baselines[0]!.metrics[m]);
    }
    expect(b.coverage.uncoveredShare).toBeGreaterThanOrEqual(0);
    expect(b.coverage.uncoveredShare).toBeLessThanOrEqual(1);
    // A wider, higher N target leaves more of it uncovered than the reference itself.
    expect(b.coverage.uncoveredShare).toBeGreaterThan(a.coverage.uncoveredShare);
    expect(b.scatter.traits).toEqual([0, 3]);
    expect(b.scatter.target).toHaveLength(SCATTER_POINTS);
    expect(b.scatter.weighted).toHaveLength(SCATTER_POINTS);
    expect(b.scatter.target).not.toEqual(a.scatter.target);
    expect(b.scatter.weighted).not.toEqual(a.scatter.weighted);
    // Weighted points are personas: each (E, N) pair is some pool row's.
    const pairs = new Set(Array.from({ length: s.poolN }, (_, i) => `${s.pool[i * 5]},${s.pool[i * 5 + 3]}`));
    for (const [x, y] of b.scatter.weighted) expect(pairs.has(`${x},${y}`)).toBe(true);
    const other = session.update(5, combineTransforms(moments, null, NEUTRAL), [1, 2]);
    expect(other.scatter.traits).toEqual([1, 2]);
    expect(session.scatter([1, 2])).toEqual(other.scatter);
  });

  it('recovers after an unreachable target: the next edit starts cold and balances again', () => {
    const far = session.update(6, combineTransforms(moments, null, { ...NEUTRAL, E: { shift: 1, spread: 0.5 }, N: { shift: -1, spread: 0.5 } }));
    expect(far.balance!.maxGap).toBeGreaterThan(0);
    for (const m of METRICS) expect(Number.isFinite(far.metrics.weighted[m])).toBe(true);
    const back = session.update(7, combineTransforms(moments, null, { ...NEUTRAL, N: { shift: -0.2, spread: 1 } }));
    expect(back.balance!.converged).toBe(true);
    expect(back.balance!.maxGap).toBeLessThan(1e-3);
  });

  it('is deterministic: the same edits give the same figures in a fresh session', () => {
    const edits = [{ ...NEUTRAL, E: { shift: 0.2, spread: 0.9 } }, { ...NEUTRAL, E: { shift: 0.25, spread: 0.9 } }];
    const run = () => {
      const s2 = new LiveSession(input);
      return edits.map((e, i) => s2.update(i, combineTransforms(moments, null, e)));
    };
    const [a, b] = [run(), run()];
    for (let i = 0; i < edits.length; i++) {
      expect(b[i]!.metrics).toEqual(a[i]!.metrics);
      expect(b[i]!.diagnostics).toEqual(a[i]!.diagnostics);
      expect(b[i]!.scatter).toEqual(a[i]!.scatter);
    }
  });

  describe('with the paper’s KDE importance weights', () => {
    const kde = new LiveSession({ ...input, method: 'kde' });

    it('gives healthy weights when the pool is drawn from the target population (the default bandwidth evidence)', () => {
      const r = kde.update(1, combineTransforms(moments, null, NEUTRAL));
      expect(r.method).toBe('kde');
      expect(r.balance).toBeNull();
      // With the paper's 0.20 the same pool collapses onto a few personas (see STUDIO_KDE_BANDWIDTH in lib/core/defaults.ts).
      const narrow = new LiveSession({ ...input, method: 'kde', bandwidth: 0.2 });
      expect(narrow.update(1, combineTransforms(moments, null, NEUTRAL)).diagnostics.ess).toBeLessThan(0.05 * s.poolN);
      expect(r.diagnostics.ess).toBeGreaterThan(0.5 * s.poolN);
      expect(r.diagnostics.khat).toBeLessThan(0.7);
      for (const v of r.asmd.after) expect(v).toBeLessThan(0.1);
      expect(r.metrics.weighted.amw).toBeLessThan(0.05);
      expect(r.weightHistogram.reduce((a, b) => a + b.count, 0)).toBe(s.poolN);
    });

    it('moves the weighted pool toward a shifted target', () => {
      const shifted = kde.update(2, combineTransforms(moments, null, { ...NEUTRAL, N: { shift: -0.4, spread: 1 } }));
      const base = kde.update(3, combineTransforms(moments, null, NEUTRAL));
      expect(shifted.asmd.before[3]!).toBeGreaterThan(0.3);
      expect(shifted.asmd.after[3]!).toBeLessThan(0.5 * shifted.asmd.before[3]!);
      expect(shifted.diagnostics.ess).toBeLessThan(base.diagnostics.ess);
      // The raw pool's figures do not depend on the weights: the same as with calibration.
      const cal = session.update(8, combineTransforms(moments, null, NEUTRAL)).metrics.raw;
      for (const m of METRICS) expect(base.metrics.raw[m]).toBeCloseTo(cal[m], 10);
    });
  });
});
