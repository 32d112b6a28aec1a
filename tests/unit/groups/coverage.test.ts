/** The coverage verdict of a group set and the drift of a revision. */
import { describe, expect, it } from 'vitest';
import { groupCoverage } from '@/lib/groups/coverage';
import { traitDrift } from '@/lib/groups/revise';
import { createRng } from '@/lib/numeric/rng';

function sample(n: number, seed: number, mean: number[], sd: number | number[] = 0.5): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n * 5);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 5; k++) {
      // Box-Muller
      const u = Math.max(rng.next(), 1e-12);
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
      out[i * 5 + k] = Math.min(5, Math.max(1, mean[k]! + (Array.isArray(sd) ? sd[k]! : sd) * z));
    }
  return out;
}

describe('groupCoverage', () => {
  it('is ok when the set is drawn like the target', () => {
    const target = sample(400, 1, [3, 3, 3, 3, 3]);
    // in five dimensions a set needs thousands of points to reach the target's tails at 1 SD
    const set = sample(20000, 2, [3, 3, 3, 3, 3]);
    const c = groupCoverage({ set, setN: 20000, target, targetN: 400, reference: target, referenceN: 400, ess: 15000, khat: 0.3 });
    expect(c.ok).toBe(true);
    expect(c.problems).toEqual([]);
    expect(c.uncoveredShare).toBeLessThan(0.05);
    expect(c.statement).toMatch(/^The set covers the group: ESS 15000\.0 of 20000, k-hat 0\.30/);
  });

  it('names the missing region, and flags low ESS and high k-hat', () => {
    const target = sample(400, 3, [3, 3, 3, 3, 3]);
    // the set only has extraverts: the low-E half of the target is uncovered
    const set = sample(20000, 4, [3.8, 3, 3, 3, 3], [0.35, 0.5, 0.5, 0.5, 0.5]);
    const c = groupCoverage({ set, setN: 400, target, targetN: 400, reference: target, referenceN: 400, ess: 20, khat: 0.9 });
    expect(c.ok).toBe(false);
    expect(c.problems).toHaveLength(3);
    expect(c.problems[0]).toMatch(/ESS 20\.0 is under 10% of the 400/);
    expect(c.problems[1]).toMatch(/k-hat 0\.90 is above 0\.7/);
    expect(c.uncoveredShare).toBeGreaterThan(0.3);
    expect(c.directions[0]).toMatchObject({ trait: 'E', side: 'low' });
    expect(c.directions[0]!.uncoveredWithin).toBeGreaterThan(0.9);
    expect(c.directions.some((d) => d.trait === 'E' && d.side === 'high')).toBe(false);
    expect(c.statement).toMatch(/Missing: personas with low extraversion \(E ≤ \d\.\d: \d+% of that part/);
    expect(c.gaps[0]!.label).toMatch(/^low E \(≤ \d\.\d\)/);
  });

  it('treats a k-hat that could not be estimated as unknown', () => {
    const x = sample(50, 5, [3, 3, 3, 3, 3]);
    const c = groupCoverage({ set: x, setN: 50, target: x, targetN: 50, reference: x, referenceN: 50, ess: 50, khat: Number.NaN });
    expect(c.khat).toBeNull();
    expect(c.ok).toBe(true);
    expect(c.statement).toMatch(/k-hat not estimated/);
  });
});

describe('traitDrift', () => {
  it('is the per-trait absolute change and its maximum', () => {
    const d = traitDrift({ E: 3, A: 3, C: 3, N: 3, O: 3 }, { E: 3.2, A: 2.4, C: 3, N: 3, O: 3.1 });
    expect(d.drift.E).toBeCloseTo(0.2, 12);
    expect(d.drift.A).toBeCloseTo(0.6, 12);
    expect(d.maxDrift).toBeCloseTo(0.6, 12);
  });
});
