/**
 * The studio's cached metric paths give the same values as the plain metrics: SW with presorted projections of a
 * fixed sample, MMD with a cached Gram matrix, and FD / MAEcorr / ASMD from shared moments. Seeded random data.
 */
import { describe, expect, it } from 'vitest';
import { createRng, type Matrix } from '@/lib/numeric';
import {
  asmd,
  asmdFromMoments,
  frechetDistance,
  frechetFromMoments,
  maeCorr,
  maeCorrFromMoments,
  mmd,
  mmdGram,
  mmdWithGram,
  slicedWasserstein,
  slicedWassersteinSorted,
  sortedProjections,
  weightedMoments,
} from '@/lib/stats';

function sample(rows: number, seed: number, shift = 0): Matrix {
  const r = createRng(seed);
  return { rows, cols: 5, data: Float64Array.from({ length: rows * 5 }, (_, i) => 3 + shift * (i % 5 === 3 ? 1 : 0) + 0.7 * r.normal()) };
}
const weights = (n: number, seed: number) => {
  const r = createRng(seed);
  return Float64Array.from({ length: n }, () => r.next() ** 3);
};

describe('cached metric paths', () => {
  const a = sample(120, 1);
  const b = sample(150, 2, 0.4);
  const wa = weights(120, 3);
  const wb = weights(150, 4);

  it('SW with presorted projections equals slicedWasserstein with the same directions', () => {
    const pa = sortedProjections(a, { projections: 40, seed: 7 });
    for (const [aw, bw] of [
      [undefined, undefined],
      [wa, undefined],
      [wa, wb],
    ] as const) {
      const want = slicedWasserstein({ a, b, aWeights: aw, bWeights: bw, projections: 40, seed: 7 }).value;
      expect(slicedWassersteinSorted(pa, aw, b, bw)).toBeCloseTo(want, 12);
    }
    expect(slicedWassersteinSorted(pa, undefined, a)).toBeCloseTo(0, 12);
    expect(() => slicedWassersteinSorted(pa, undefined, { rows: 1, cols: 5, data: Float64Array.of(1, 2, NaN, 4, 5) })).toThrow(/row 1, column 3/);
  });

  it('MMD with a cached Gram matrix equals the exact MMD', () => {
    const g = mmdGram(a, 0.9);
    for (const [aw, bw] of [
      [undefined, undefined],
      [wa, undefined],
      [wa, wb],
    ] as const) {
      const want = mmd({ a, b, aWeights: aw, bWeights: bw, mmdBandwidth: 0.9 }).value;
      expect(mmdWithGram(g, aw, b, bw)).toBeCloseTo(want, 12);
    }
    expect(mmdWithGram(g, wa, a, wa)).toBe(0);
  });

  it('FD, MAEcorr and ASMD from shared moments equal the metric functions', () => {
    const ma = weightedMoments(a, wa);
    const mb = weightedMoments(b);
    expect(frechetFromMoments(ma, mb)).toBeCloseTo(frechetDistance({ a, b, aWeights: wa }).value, 12);
    expect(maeCorrFromMoments(ma, mb)).toBeCloseTo(maeCorr({ a, b, aWeights: wa }).value, 12);
    const per = asmd({ a, b, aWeights: wa }).perDimension!;
    asmdFromMoments(ma, mb).forEach((v, k) => expect(v).toBeCloseTo(per[k]!, 12));
  });
});
