import { describe, expect, it } from 'vitest';
import { coverage, coverageIndex } from '@/lib/align/coverage';
import { createRng } from '@/lib/numeric/rng';

/** Seeded standard-normal samples in d dimensions, shifted by `shift`. */
function gaussian(n: number, d: number, seed: number, shift = 0) {
  const rng = createRng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal() + shift;
  return { data, rows: n, cols: d };
}

const mean = new Float64Array(5);
const sd = new Float64Array(5).fill(1);

describe('coverage', () => {
  it('finds no gap when the target is the pool', () => {
    const x = gaussian(400, 5, 1);
    expect(coverage({ index: coverageIndex({ pool: x, mean, sd }), target: x }).uncoveredShare).toBe(0);
  });

  it('finds everything uncovered when the target is far from the pool, and names the direction', () => {
    const pool = gaussian(300, 5, 2);
    const far = gaussian(200, 5, 3, 6);
    const r = coverage({ index: coverageIndex({ pool, mean, sd }), target: far });
    expect(r.uncoveredShare).toBeCloseTo(1, 12);
    expect(Array.from(r.gaps[0]!.pattern)).toEqual([1, 1, 1, 1, 1]);
    expect(r.gaps[0]!.share).toBeCloseTo(1, 12);
  });

  it('brackets the exact nearest-neighbour answer', () => {
    const pool = gaussian(300, 5, 4);
    const target = gaussian(500, 5, 5, 0.7);
    const radius = 1;
    const r = coverage({ index: coverageIndex({ pool, mean, sd, radius }), target });
    const nn = (j: number) => {
      let best = Infinity;
      for (let i = 0; i < pool.rows; i++) {
        let s = 0;
        for (let k = 0; k < 5; k++) s += (pool.data[i * 5 + k]! - target.data[j * 5 + k]!) ** 2;
        best = Math.min(best, Math.sqrt(s));
      }
      return best;
    };
    const dists = Array.from({ length: target.rows }, (_, j) => nn(j));
    // Covered -> a persona within 2 * radius (touching cells of side radius / sqrt(5) span at most 2 * radius);
    // a persona within radius / sqrt(5) -> covered.
    const surelyUncovered = dists.filter((d) => d > 2 * radius).length / target.rows;
    const surelyCovered = dists.filter((d) => d <= radius / Math.sqrt(5)).length / target.rows;
    expect(r.uncoveredShare).toBeGreaterThanOrEqual(surelyUncovered);
    expect(r.uncoveredShare).toBeLessThanOrEqual(1 - surelyCovered);
    const total = r.gaps.reduce((a, g) => a + g.share, 0);
    expect(total).toBeLessThanOrEqual(r.uncoveredShare + 1e-12);
  });
});
