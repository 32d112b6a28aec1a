import { describe, expect, it } from 'vitest';
import { createRng, lowerBound, upperBound } from '@/lib/numeric';

describe('lowerBound / upperBound', () => {
  it('doc examples', () => {
    const a = Float64Array.of(1, 2, 2, 3);
    expect(lowerBound(a, 2)).toBe(1);
    expect(lowerBound(a, 9)).toBe(4);
    expect(lowerBound(a, 9, 3)).toBe(3);
    expect(upperBound(a, 2)).toBe(3);
    expect(upperBound(Float64Array.of(0.2, 0.7, 1), 0.5)).toBe(1);
  });
  it('count the values below (at or below) x, capped at end, as a linear scan does', () => {
    const r = createRng(5);
    for (let trial = 0; trial < 200; trial++) {
      const n = r.nextInt(20);
      const a = Float64Array.from({ length: n }, () => r.nextInt(6)).sort();
      const x = r.nextInt(8) - 1;
      const end = r.nextInt(n + 1);
      const below = Math.min(end, a.filter((v) => v < x).length);
      const atOrBelow = Math.min(end, a.filter((v) => v <= x).length);
      expect(lowerBound(a, x, end)).toBe(below);
      expect(upperBound(a, x, end)).toBe(atOrBelow);
    }
  });
});
