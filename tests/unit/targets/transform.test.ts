import { describe, expect, it } from 'vitest';
import { applyTransforms, combineTransforms, traitMoments } from '@/lib/targets/transform';

/** A seeded sample: xorshift32, 400 rows of correlated traits kept inside 1.5-4.5 so no clamping happens. */
function sample(n: number, seed = 7): Float64Array {
  let s = seed >>> 0;
  const rnd = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const out = new Float64Array(n * 5);
  for (let i = 0; i < n; i++) {
    const common = rnd();
    for (let k = 0; k < 5; k++) out[i * 5 + k] = 1.5 + 1.5 * common + 1.5 * rnd();
  }
  return out;
}

function corr(data: Float64Array, n: number, a: number, b: number): number {
  const m = traitMoments(data, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += (data[i * 5 + a]! - m.mean[a]!) * (data[i * 5 + b]! - m.mean[b]!);
  return s / (n - 1) / (m.sd[a]! * m.sd[b]!);
}

describe('slider transforms', () => {
  const n = 400;
  const x = sample(n);
  const m = traitMoments(x, n);
  const neutral = { shift: 0, spread: 1 };

  it('leave the sample unchanged at the neutral setting', () => {
    const t = combineTransforms(m, null, { E: neutral, A: neutral, C: neutral, N: neutral, O: neutral });
    expect(Array.from(applyTransforms(x, n, t))).toEqual(Array.from(x));
  });

  it('move the mean by the shift and scale the SD by the spread, keeping correlations', () => {
    const edits = { E: { shift: 0.3, spread: 1 }, A: { shift: -0.2, spread: 0.8 }, C: neutral, N: { shift: 0, spread: 1.2 }, O: neutral };
    const y = applyTransforms(x, n, combineTransforms(m, null, edits));
    const my = traitMoments(y, n);
    expect(my.mean[0]! - m.mean[0]!).toBeCloseTo(0.3, 12);
    expect(my.mean[1]! - m.mean[1]!).toBeCloseTo(-0.2, 12);
    expect(my.sd[1]! / m.sd[1]!).toBeCloseTo(0.8, 12);
    expect(my.sd[3]! / m.sd[3]!).toBeCloseTo(1.2, 12);
    expect(my.mean[3]!).toBeCloseTo(m.mean[3]!, 12);
    for (const [a, b] of [[0, 1], [1, 3], [2, 4]] as const) expect(corr(y, n, a, b)).toBeCloseTo(corr(x, n, a, b), 10);
  });

  it('reach a preset mean and SD exactly before the edits', () => {
    const preset = { E: { mean: 3.5, sd: 0.5 }, A: null, C: null, N: null, O: null };
    const y = applyTransforms(x, n, combineTransforms(m, preset, { E: neutral, A: neutral, C: neutral, N: neutral, O: neutral }));
    const my = traitMoments(y, n);
    expect(my.mean[0]!).toBeCloseTo(3.5, 12);
    expect(my.sd[0]!).toBeCloseTo(0.5, 12);
  });

  it('keep every score on the 1-5 scale', () => {
    const y = applyTransforms(x, n, combineTransforms(m, null, { E: { shift: 2, spread: 2 }, A: { shift: -2, spread: 2 }, C: neutral, N: neutral, O: neutral }));
    expect(Math.min(...y)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...y)).toBeLessThanOrEqual(5);
  });
});
