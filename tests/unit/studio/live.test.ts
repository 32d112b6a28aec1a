import { describe, expect, it } from 'vitest';
import { LiveSession } from '@/lib/studio/live';
import { createRng } from '@/lib/numeric/rng';
import { amw, frechetDistance, maeCorr } from '@/lib/stats';
import { applyTransforms, combineTransforms, traitMoments } from '@/lib/targets/transform';
import { loadBig5Traits } from '../../support/big5';

const neutral = { shift: 0, spread: 1 };
const NEUTRAL = { E: neutral, A: neutral, C: neutral, N: neutral, O: neutral };

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
  return { pool, poolN, reference, refN };
}

describe('LiveSession (the studio worker computation)', () => {
  const s = setup();
  const session = new LiveSession({ pool: s.pool, poolN: s.poolN, reference: s.reference, referenceN: s.refN });
  const moments = traitMoments(s.reference, s.refN);

  it('gives healthy weights when the pool is drawn from the target population (the default bandwidth evidence)', () => {
    const r = session.update(1, combineTransforms(moments, null, NEUTRAL));
    expect(r.requestId).toBe(1);
    // With the paper's 0.20 the same pool collapses onto a few personas (see STUDIO_DEFAULT_BANDWIDTH).
    const narrow = new LiveSession({ pool: s.pool, poolN: s.poolN, reference: s.reference, referenceN: s.refN, bandwidth: 0.2 });
    expect(narrow.update(1, combineTransforms(moments, null, NEUTRAL)).diagnostics.ess).toBeLessThan(0.05 * s.poolN);
    expect(r.diagnostics.ess).toBeGreaterThan(0.5 * s.poolN);
    expect(r.diagnostics.khat).toBeLessThan(0.7);
    for (const v of r.asmd.after) expect(v).toBeLessThan(0.1);
    expect(r.metrics.weighted.amw).toBeLessThan(0.05);
    const total = r.weightHistogram.reduce((a, b) => a + b.count, 0);
    expect(total).toBe(s.poolN);
  });

  it('moves the weighted pool toward a shifted target', () => {
    const shifted = session.update(2, combineTransforms(moments, null, { ...NEUTRAL, N: { shift: -0.4, spread: 1 } }));
    const base = session.update(3, combineTransforms(moments, null, NEUTRAL));
    // After weighting, the imbalance on N is much smaller than before weighting.
    expect(shifted.asmd.before[3]!).toBeGreaterThan(0.3);
    expect(shifted.asmd.after[3]!).toBeLessThan(0.5 * shifted.asmd.before[3]!);
    expect(shifted.diagnostics.ess).toBeLessThan(base.diagnostics.ess);
    const secondary = session.secondary()!;
    expect(secondary.rawMetrics.amw).toBeGreaterThan(0);
    // The raw pool's figures from cached moments equal the plain metrics of the whole pool against the last target.
    const pool = { data: s.pool, rows: s.poolN, cols: 5 };
    const target = { data: applyTransforms(s.reference, s.refN, combineTransforms(moments, null, NEUTRAL), moments), rows: s.refN, cols: 5 };
    expect(secondary.rawMetrics.fd).toBeCloseTo(frechetDistance({ a: pool, b: target }).value, 10);
    expect(secondary.rawMetrics.maecorr).toBeCloseTo(maeCorr({ a: pool, b: target }).value, 10);
    expect(secondary.rawMetrics.amw).toBeCloseTo(amw({ a: pool, b: target }).value, 10);
    expect(secondary.coverage.uncoveredShare).toBeGreaterThanOrEqual(0);
  });

  it('is deterministic', () => {
    const a = session.update(4, combineTransforms(moments, null, { ...NEUTRAL, E: { shift: 0.2, spread: 0.9 } }));
    const b = session.update(5, combineTransforms(moments, null, { ...NEUTRAL, E: { shift: 0.2, spread: 0.9 } }));
    expect(b.metrics).toEqual(a.metrics);
    expect(b.diagnostics).toEqual(a.diagnostics);
    expect(session.scatter([0, 3])).toEqual(session.scatter([0, 3]));
  });
});
