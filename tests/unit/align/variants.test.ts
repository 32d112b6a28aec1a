import { describe, expect, it } from 'vitest';
import { alignPool } from '@/lib/align';
import { loadBig5Traits } from '../../support/big5';
import { biasedSplit } from '../../support/recovery';

// Evidence for the default OT variant (the bench prints the full table at 5,000 x 9,859).
describe('OT variant choice on the recovery data (1,200-persona biased pool vs 2,500 reference rows)', () => {
  const { traits } = loadBig5Traits();
  const { pool, reference } = biasedSplit(traits, { poolSize: 1200, referenceSize: 2500, seed: 3 });
  const run = (variant: 'balanced' | 'semiRelaxed' | 'unbalanced') => alignPool({ pool, reference, config: { seed: 3, size: 300, variant, estimator: 'paper', selection: 'withoutReplacement' } });
  const balanced = run('balanced');
  const semi = run('semiRelaxed');
  it('balanced row sums are the (normalised) importance weights of the candidates: OT adds nothing', () => {
    let s = 0;
    for (let i = 0; i < pool.rows; i++) if (balanced.weights[i]! > 0) s += balanced.importanceWeights[i]!;
    for (let i = 0; i < pool.rows; i++) {
      if (balanced.weights[i]! > 0) expect(balanced.weights[i]!).toBeCloseTo(balanced.importanceWeights[i]! / s, 6);
    }
  });
  it('semiRelaxed (default) gives weights that match the reference far better than balanced, with a healthy ESS', () => {
    expect(semi.config.variant).toBe('semiRelaxed');
    for (const k of ['amw', 'fd', 'sw', 'mmd'] as const) expect(semi.metrics.weighted[k], k).toBeLessThan(0.5 * balanced.metrics.weighted[k]);
    expect(semi.diagnostics.ess).toBeGreaterThan(20 * balanced.diagnostics.ess);
    for (const k of ['amw', 'fd', 'sw', 'mmd'] as const) expect(semi.metrics.weighted[k], k).toBeLessThan(0.6 * semi.metrics.raw[k]);
  });
});
