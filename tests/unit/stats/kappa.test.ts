import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cohenKappa, cohenKappaFromTable, fleissKappa, KappaInputError } from '@/lib/stats/kappa';

interface Fixture {
  published: {
    cohen: { name: string; table: number[][]; kappa: number; observedAgreement?: number; expectedAgreement?: number; decimals: number }[];
    fleiss: { name: string; counts: number[][]; kappa: number; observedAgreement: number; expectedAgreement: number; decimals: number }[];
  };
  cohen: { a: string[]; b: string[]; table: number[][]; expected: { kappa: number | null; observedAgreement: number; expectedAgreement: number; n: number } }[];
  fleiss: { counts: number[][]; expected: { kappa: number | null; observedAgreement: number; expectedAgreement: number; subjects: number; ratings: number; categoryShares: number[] } }[];
}

const fixture = JSON.parse(readFileSync(path.join(process.cwd(), 'tests/fixtures/kappa.json'), 'utf8')) as Fixture;
/** Random cases: the numpy reference and the TypeScript code differ only by rounding order (tolerance 1e-12). */
const TOL = 1e-12;

describe('Cohen’s kappa', () => {
  it('reproduces the published worked examples (to their stated decimals)', () => {
    for (const ex of fixture.published.cohen) {
      const r = cohenKappaFromTable(ex.table);
      expect(Math.abs(r.kappa! - ex.kappa), ex.name).toBeLessThan(0.5 * 10 ** -ex.decimals);
      if (ex.observedAgreement !== undefined) expect(r.observedAgreement).toBeCloseTo(ex.observedAgreement, 12);
      if (ex.expectedAgreement !== undefined) expect(r.expectedAgreement).toBeCloseTo(ex.expectedAgreement, 12);
    }
  });

  it('matches the numpy reference on seeded random tables, from labels and from the table', () => {
    expect(fixture.cohen.length).toBeGreaterThan(5);
    for (const c of fixture.cohen) {
      const fromLabels = cohenKappa(c.a, c.b);
      const fromTable = cohenKappaFromTable(c.table);
      for (const r of [fromLabels, fromTable]) {
        expect(Math.abs(r.kappa! - c.expected.kappa!)).toBeLessThan(TOL);
        expect(Math.abs(r.observedAgreement - c.expected.observedAgreement)).toBeLessThan(TOL);
        expect(Math.abs(r.expectedAgreement - c.expected.expectedAgreement)).toBeLessThan(TOL);
        expect(r.n).toBe(c.expected.n);
      }
    }
  });

  it('is 1 for identical ratings, symmetric in the raters, and null when every rating is one category', () => {
    expect(cohenKappa(['a', 'b', 'a', 'c'], ['a', 'b', 'a', 'c']).kappa).toBeCloseTo(1, 14);
    const a = ['accept', 'reject', 'accept', 'accept', 'reject', 'reject'];
    const b = ['accept', 'accept', 'accept', 'reject', 'reject', 'reject'];
    expect(cohenKappa(a, b).kappa).toBeCloseTo(cohenKappa(b, a).kappa!, 14);
    expect(cohenKappa(['yes', 'no', 'yes'], ['yes', 'no', 'no']).kappa).toBeCloseTo(0.4, 14);
    const constant = cohenKappa(['accept', 'accept'], ['accept', 'accept']);
    expect(constant.kappa).toBeNull();
    expect(constant.observedAgreement).toBe(1);
  });

  it('rejects unusable input with a named error', () => {
    expect(() => cohenKappa([], [])).toThrow(KappaInputError);
    expect(() => cohenKappa(['a'], ['a', 'b'])).toThrow(/same subjects/);
    expect(() => cohenKappaFromTable([[1, 2]])).toThrow(/square/);
    expect(() => cohenKappaFromTable([[0, 0], [0, 0]])).toThrow(KappaInputError);
    expect(() => cohenKappaFromTable([[1, -1], [0, 1]])).toThrow(/non-negative/);
  });
});

describe('Fleiss’ kappa', () => {
  it('reproduces the published worked example (to its stated decimals)', () => {
    for (const ex of fixture.published.fleiss) {
      const r = fleissKappa(ex.counts);
      const tol = 0.5 * 10 ** -ex.decimals;
      expect(Math.abs(r.kappa! - ex.kappa), ex.name).toBeLessThan(tol);
      expect(Math.abs(r.observedAgreement - ex.observedAgreement)).toBeLessThan(tol);
      expect(Math.abs(r.expectedAgreement - ex.expectedAgreement)).toBeLessThan(tol);
      expect(r.kappa!).toBeCloseTo(0.20993070442195522, 12);
    }
  });

  it('matches the numpy reference on seeded random tables (constant and varying raters)', () => {
    for (const c of fixture.fleiss) {
      const r = fleissKappa(c.counts);
      expect(Math.abs(r.kappa! - c.expected.kappa!)).toBeLessThan(TOL);
      expect(Math.abs(r.observedAgreement - c.expected.observedAgreement)).toBeLessThan(TOL);
      expect(Math.abs(r.expectedAgreement - c.expected.expectedAgreement)).toBeLessThan(TOL);
      expect(r.subjects).toBe(c.expected.subjects);
      expect(r.ratings).toBe(c.expected.ratings);
      r.categoryShares.forEach((p, j) => expect(Math.abs(p - c.expected.categoryShares[j]!)).toBeLessThan(TOL));
    }
  });

  it('equals Cohen’s kappa up to the pooled-marginal difference: same value when both raters share marginals', () => {
    // Two raters with identical marginals: Fleiss (pooled p_j) and Cohen (separate marginals) coincide.
    const a = ['x', 'y', 'x', 'y', 'x', 'y'];
    const b = ['x', 'x', 'y', 'y', 'x', 'y'];
    const counts = a.map((v, i) => [Number(v === 'x') + Number(b[i] === 'x'), Number(v === 'y') + Number(b[i] === 'y')]);
    expect(fleissKappa(counts).kappa).toBeCloseTo(cohenKappa(a, b).kappa!, 14);
  });

  it('is 1 for unanimous subjects over several categories and rejects unusable input', () => {
    expect(fleissKappa([[3, 0], [0, 3], [3, 0]]).kappa).toBeCloseTo(1, 14);
    expect(fleissKappa([[3, 0], [3, 0]]).kappa).toBeNull();
    expect(() => fleissKappa([])).toThrow(KappaInputError);
    expect(() => fleissKappa([[1, 0]])).toThrow(/at least two ratings/);
    expect(() => fleissKappa([[1, 1], [2]])).toThrow(/category counts/);
    expect(() => fleissKappa([[1.5, 1]])).toThrow(/integers/);
  });
});
