import { describe, expect, it } from 'vitest';
import { selectionMethods, selectMultinomial, selectSystematic, selectTopFraction, selectWithoutReplacement } from '@/lib/align';
import { AlignInputError, createRng } from '@/lib/numeric';

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
