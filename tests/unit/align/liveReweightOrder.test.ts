import { describe, expect, it } from 'vitest';
import { createPoolDensityCache, liveReweight, traitOrder } from '@/lib/align';
import { createRng } from '@/lib/numeric';
import { applyTransforms, traitMoments } from '@/lib/targets/transform';

describe('liveReweight with a reused per-trait order', () => {
  it('gives the same weights and AMW as sorting afresh, after increasing per-trait slider maps', () => {
    const rng = createRng(3);
    const sample = (n: number) => Float64Array.from({ length: n * 5 }, () => Math.min(5, Math.max(1, 3 + 0.8 * rng.normal())));
    const pool = { data: sample(800), rows: 800, cols: 5 };
    const reference = sample(1200);
    const order = traitOrder({ data: reference, rows: 1200, cols: 5 });
    const cache = createPoolDensityCache({ pool, options: { bandwidth: 0.5 } });
    const m = traitMoments(reference, 1200);
    const moved = applyTransforms(reference, 1200, [{ shift: 0.3, scale: 1.2 }, { shift: -0.2, scale: 0.7 }, { shift: 0, scale: 1 }, { shift: 0.5, scale: 1.5 }, { shift: 0, scale: 0.5 }], m);
    const a = liveReweight({ cache, target: { data: moved, rows: 1200, cols: 5 } });
    const b = liveReweight({ cache, target: { data: moved.slice(), rows: 1200, cols: 5 }, targetOrder: order });
    expect(b.amw).toBeCloseTo(a.amw, 12);
    expect(Array.from(b.amwPerTrait)).toEqual(Array.from(a.amwPerTrait).map((v) => expect.closeTo(v, 12)));
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
  });

  it('orders each trait ascending', () => {
    const o = traitOrder({ data: Float64Array.of(2, 9, 1, 8, 3, 7), rows: 3, cols: 2 });
    expect(Array.from(o)).toEqual([1, 0, 2, 2, 1, 0]);
  });
});
