import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { calibrationWeights, logisticWeights, rakingWeights } from '@/lib/align/estimators';
import type { Matrix } from '@/lib/numeric';

// Reference weights from tests/fixtures/generate_estimators.py (scipy.optimize trust-exact on the same standardised
// features, plain numpy IPF); regenerate with /usr/bin/python3 tests/fixtures/generate_estimators.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fx: any = JSON.parse(readFileSync(fileURLToPath(new URL('../../../fixtures/estimators.json', import.meta.url)), 'utf8'));

const mat = (values: number[], rows: number): Matrix => ({ data: Float64Array.from(values), rows, cols: 5 });

/** Largest |a_i - b_i| / b_i over the weights (all positive here). */
function maxRelativeError(a: ArrayLike<number>, b: number[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / b[i]!);
  return worst;
}

describe('calibrationWeights against scipy (entropy-balancing dual, trust-exact)', () => {
  const c = fx.calibration.exact;
  const pool = mat(c.pool, c.n);
  const reference = mat(c.reference, c.m);
  const common = { pool, reference, baseWeights: c.baseWeights, targetWeights: c.targetWeights };

  it('exact balancing of means, variances and covariances: weights within 1e-9 relative, lambda within 1e-7', () => {
    const r = calibrationWeights({ ...common, calibration: { gradientTolerance: 1e-12 } });
    expect(r.converged).toBe(true);
    expect(maxRelativeError(r.weights, c.weights)).toBeLessThan(1e-9);
    expect(r.parameters.length).toBe(20);
    c.lambda.forEach((v: number, j: number) => expect(Math.abs(r.parameters[j]! - v)).toBeLessThan(1e-7));
  });

  it('default settings reach the same weights within 1e-7 relative', () => {
    const r = calibrationWeights(common);
    expect(maxRelativeError(r.weights, c.weights)).toBeLessThan(1e-7);
  });

  it('means plus quartile-bin shares: the same cuts and weights within 1e-9 relative', () => {
    const b = fx.calibration.bins4;
    const r = calibrationWeights({ ...common, calibration: { moments: 'means', bins: 4, gradientTolerance: 1e-12 } });
    expect(r.converged).toBe(true);
    expect(r.warnings).toEqual([]);
    // 5 means, then 4 shares per trait; the share constraints carry the cut points in their names.
    expect(r.constraints.length).toBe(5 + 5 * 4);
    for (let k = 0; k < 5; k++) {
      const name = r.constraints[5 + 4 * k]!.name;
      expect(name).toContain(`<= ${Number(b.cuts[k][0].toFixed(3))}`);
    }
    expect(maxRelativeError(r.weights, b.weights)).toBeLessThan(1e-9);
  });

  it('every moment plus quartile-bin shares (the five-trait pass with bins): weights within 1e-9 relative, lambda within 1e-7', () => {
    const a = fx.calibration.allBins4;
    const r = calibrationWeights({
      pool: mat(a.pool, a.n),
      reference: mat(a.reference, a.m),
      baseWeights: a.baseWeights,
      targetWeights: a.targetWeights,
      calibration: { bins: 4, gradientTolerance: 1e-12 },
    });
    expect(r.converged).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(r.constraints.length).toBe(20 + 5 * 4);
    expect(maxRelativeError(r.weights, a.weights)).toBeLessThan(1e-9);
    // lambda: 20 moments, then 3 of the 4 bins of each trait (the last bin of a trait is implied and reported as 0).
    const active = Array.from(r.parameters).filter((_, j) => j < 20 || (j - 20) % 4 !== 3);
    expect(active.length).toBe(a.lambda.length);
    a.lambda.forEach((v: number, j: number) => expect(Math.abs(active[j]! - v)).toBeLessThan(1e-7));
  });

  it('the same constraints beyond 120 personas: exact balancing is proved impossible early and the ridge fall-back (0.01) matches scipy within 1e-8', () => {
    const g = fx.calibration.allBins4Ridge;
    const r = calibrationWeights({ ...common, calibration: { bins: 4, gradientTolerance: 1e-12 } });
    expect(r.converged).toBe(false);
    expect(r.warnings[0]).toMatch(/outside what reweighting this pool can reach.*ridge of 0\.01/);
    expect(maxRelativeError(r.weights, g.weights)).toBeLessThan(1e-8);
    // Few exact Newton steps before the dual value crosses log(min b), then the ridge phase.
    expect(r.iterations).toBeLessThan(40);
  });

  it('ridge-penalised dual (rho = 0.05) on a target beyond the pool: weights within 1e-8, lambda within 1e-6', () => {
    const g = fx.calibration.ridge;
    const r = calibrationWeights({ pool, reference: mat(g.reference, g.m), baseWeights: c.baseWeights, calibration: { ridge: g.ridge, gradientTolerance: 1e-12 } });
    expect(maxRelativeError(r.weights, g.weights)).toBeLessThan(1e-8);
    g.lambda.forEach((v: number, j: number) => expect(Math.abs(r.parameters[j]! - v)).toBeLessThan(1e-6));
    // The mean of E cannot be reached: reported, named, not converged.
    const meanE = r.constraints.find((x) => x.name === 'mean E')!;
    expect(meanE.holds).toBe(false);
    expect(r.converged).toBe(false);
    expect(r.warnings.join(' ')).toContain('mean E');
  });
});

describe('rakingWeights against numpy IPF', () => {
  const c = fx.raking;
  it('same quantile cuts, weights within 1e-9 relative, sweeps within one of numpy', () => {
    const r = rakingWeights({
      pool: mat(c.pool, c.n),
      reference: mat(c.reference, c.m),
      baseWeights: c.baseWeights,
      targetWeights: c.targetWeights,
      raking: { bins: c.bins },
      tolerance: 1e-13,
    });
    expect(r.converged).toBe(true);
    expect(r.warnings).toEqual([]);
    for (let k = 0; k < 5; k++) {
      const shares = r.constraints.filter((x) => x.traits[0] === k);
      expect(shares.length).toBe(c.cuts[k].length + 1);
      expect(shares[0]!.name).toContain(`<= ${Number(c.cuts[k][0].toFixed(3))}`);
    }
    expect(maxRelativeError(r.weights, c.weights)).toBeLessThan(1e-9);
    expect(Math.abs(r.iterations - c.sweeps)).toBeLessThanOrEqual(1);
  });
});

describe('logisticWeights against scipy (penalised logistic regression, trust-exact)', () => {
  const c = fx.logistic;
  it('weights within 1e-9 relative and coefficients within 1e-8 (penalty 0.01)', () => {
    const r = logisticWeights({
      pool: mat(c.pool, c.n),
      reference: mat(c.reference, c.m),
      baseWeights: c.baseWeights,
      targetWeights: c.targetWeights,
      logistic: { penalty: c.penalty },
    });
    expect(r.converged).toBe(true);
    expect(maxRelativeError(r.weights, c.weights)).toBeLessThan(1e-9);
    expect(r.parameters.length).toBe(21);
    c.beta.forEach((v: number, j: number) => expect(Math.abs(r.parameters[j]! - v)).toBeLessThan(1e-8));
  });
});
