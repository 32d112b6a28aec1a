import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evenGrid, marginalDensities } from '@/lib/stats/marginalDensities';

const ref = JSON.parse(readFileSync('tests/fixtures/studioReference.json', 'utf8')) as {
  n: number;
  bandwidth: number;
  grid: number[];
  data: number[];
  weights: number[];
  density: number[][];
};

describe('marginalDensities', () => {
  it('matches scipy.stats.gaussian_kde (weighted, fixed bandwidth) within 1% of the peak', () => {
    const x = { data: Float64Array.from(ref.data), rows: ref.n, cols: 2 };
    const got = marginalDensities(x, ref.weights, ref.grid, ref.bandwidth);
    for (let k = 0; k < 2; k++) {
      const peak = Math.max(...ref.density[k]!);
      // Linear binning at spacing 0.05 = h / 3: tolerance 1% of the peak (stated in the doc comment).
      ref.density[k]!.forEach((v, g) => expect(Math.abs(got[k]![g]! - v)).toBeLessThan(0.01 * peak));
    }
  });

  it('puts the kernel peak where a single point is, with height 1 / (h sqrt(2 pi))', () => {
    const grid = evenGrid(1, 5, 81);
    const [d] = marginalDensities({ data: Float64Array.of(3), rows: 1, cols: 1 }, undefined, grid, 0.2);
    expect(d![40]).toBeCloseTo(1 / (0.2 * Math.sqrt(2 * Math.PI)), 10);
    // integrates to 1 (trapezoid rule) when the grid covers the kernel
    let area = 0;
    for (let g = 1; g < 81; g++) area += ((d![g]! + d![g - 1]!) / 2) * 0.05;
    expect(area).toBeCloseTo(1, 4); // the kernel is cut at 4 h: 0.99994 of its mass
  });
});
