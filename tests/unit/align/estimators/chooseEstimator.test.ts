import { describe, expect, it } from 'vitest';
import { alignPool, DEFAULT_ALIGN_CONFIG } from '@/lib/align/alignPool';
import { pickCandidate } from '@/lib/align/candidateTable';
import { AUTO_CANDIDATES, AUTO_KDE_MAX_POOL, CHOICE_FOLDS, CHOICE_ROWS, chooseEstimator, splitRows, subsampleRows, type ChooseEstimatorInput } from '@/lib/align/chooseEstimator';
import type { FitSettings } from '@/lib/align/fitWeights';
import { AlignInputError, createRng, type Matrix } from '@/lib/numeric';
import { meanRatio, PAPER_METRICS, type PaperMetrics } from '@/lib/stats';

/** n x 5 trait scores on 1-5 (one decimal): a shared factor (loading `factor`) plus noise, shifted (seeded). */
function traits(n: number, seed: number, shift = 0, spread = 0.6, factor = 0.5): Matrix {
  const r = createRng(seed);
  const data = new Float64Array(n * 5);
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    for (let k = 0; k < 5; k++) {
      const v = 3 + (k === 1 || k === 2 ? shift : -shift / 2) + spread * (0.85 * r.normal() + factor * z * (k % 2 === 0 ? 1 : -1));
      data[i * 5 + k] = Math.min(5, Math.max(1, Math.round(v * 10) / 10));
    }
  }
  return { data, rows: n, cols: 5 };
}

const settings: FitSettings = { ...DEFAULT_ALIGN_CONFIG, seed: 3 };
const base = (pool: Matrix, reference: Matrix): ChooseEstimatorInput => ({
  pool,
  reference,
  size: 100,
  selection: 'systematic',
  settings,
  metricsSeed: 0,
  projections: 20,
});
const scores = (r: ReturnType<typeof chooseEstimator>) => r.table.map((row) => [row.label, row.score, row.error]);

describe('splitRows', () => {
  it('a seeded partition of 0..m-1 into a held-out share and the rest, both sorted', () => {
    const a = splitRows(101, 0.3, 5);
    expect(a.heldOut.length).toBe(30);
    expect(a.fit.length).toBe(71);
    expect([...a.heldOut, ...a.fit].sort((x, y) => x - y)).toEqual(Array.from({ length: 101 }, (_, i) => i));
    for (const part of [a.heldOut, a.fit]) for (let t = 1; t < part.length; t++) expect(part[t]!).toBeGreaterThan(part[t - 1]!);
    expect(splitRows(101, 0.3, 5)).toEqual(a);
    expect(Array.from(splitRows(101, 0.3, 6).heldOut)).not.toEqual(Array.from(a.heldOut));
    // At least two rows on each side.
    expect(splitRows(8, 0.01, 1).heldOut.length).toBe(2);
    expect(splitRows(8, 0.99, 1).fit.length).toBe(2);
  });
});

describe('subsampleRows', () => {
  it('keeps every row within the cap, else a seeded, sorted subset of the requested size', () => {
    const rows = Uint32Array.from({ length: 50 }, (_, i) => 2 * i);
    expect(subsampleRows(rows, 50, 1)).toBe(rows);
    expect(subsampleRows(rows, 80, 1)).toBe(rows);
    const a = subsampleRows(rows, 20, 7);
    expect(a.length).toBe(20);
    for (let t = 1; t < a.length; t++) expect(a[t]!).toBeGreaterThan(a[t - 1]!);
    expect(Array.from(a).every((v) => v % 2 === 0 && v < 100)).toBe(true);
    expect(Array.from(subsampleRows(rows, 20, 7))).toEqual(Array.from(a));
    expect(Array.from(subsampleRows(rows, 20, 8))).not.toEqual(Array.from(a));
  });
});

describe('chooseEstimator: bounded cost on large inputs', { timeout: 60_000 }, () => {
  // A pool shifted far enough from the reference that one candidate wins clearly (by about 0.2 in score, also on the
  // capped rows), so the capped choice can be compared with the full one.
  const pool = traits(900, 1, 0.6, 0.5);
  const reference = traits(1200, 2);

  it('caps that do not bind change nothing: the rows used are the whole pool and both parts of the split', () => {
    const r = chooseEstimator(base(pool, reference));
    expect(r.choiceRows).toEqual({ pool: 900, fit: r.fitRows, heldOut: r.heldOutRows });
    expect(r.fitRows + r.heldOutRows).toBe(1200);
    expect(CHOICE_ROWS).toEqual({ pool: 10_000, fit: 10_000, heldOut: 5_000 });
    expect(r.folds).toBe(CHOICE_FOLDS);
    const loose = chooseEstimator({ ...base(pool, reference), maxRows: { pool: 900, fit: 10_000, heldOut: 600 } });
    expect(scores(loose)).toEqual(scores(r));
    expect(loose.raw).toEqual(r.raw);
  });

  it('a binding cap: seeded subsamples, deterministic, reported, and the same choice as on every row', () => {
    const full = chooseEstimator(base(pool, reference));
    const maxRows = { pool: 500, fit: 400, heldOut: 300 };
    const a = chooseEstimator({ ...base(pool, reference), maxRows });
    const b = chooseEstimator({ ...base(pool, reference), maxRows });
    expect(a.choiceRows).toEqual({ pool: 500, fit: 400, heldOut: 300 });
    // The split itself is unchanged; only the rows the choice uses are capped.
    expect([a.fitRows, a.heldOutRows]).toEqual([full.fitRows, full.heldOutRows]);
    expect(scores(b)).toEqual(scores(a));
    expect(b.raw).toEqual(a.raw);
    expect(a.best.label).toBe(full.best.label);
    // A different run seed draws different subsamples.
    const c = chooseEstimator({ ...base(pool, reference), settings: { ...settings, seed: 4 }, maxRows });
    expect(c.raw).not.toEqual(a.raw);
    expect(() => chooseEstimator({ ...base(pool, reference), maxRows: { pool: 1.5 } })).toThrow(AlignInputError);
    expect(() => chooseEstimator({ ...base(pool, reference), maxRows: { heldOut: 1 } })).toThrow(/held-out rows of auto/);
  });

  it(`above ${AUTO_KDE_MAX_POOL} personas in the choice both KDE candidates are listed, not measured; named candidates always run`, () => {
    const big = traits(AUTO_KDE_MAX_POOL + 1, 5, 0.35, 0.55);
    const small = traits(300, 6);
    const r = chooseEstimator({ ...base(big, small), projections: 10 });
    expect(r.table.map((row) => row.label)).toEqual(AUTO_CANDIDATES.map((c) => c.label));
    const kde = r.table.filter((row) => row.spec.estimator === 'kde');
    expect(kde.length).toBe(2);
    for (const row of kde) {
      expect(row.error).toMatch(/Not measured: with more than 5,000 personas/);
      expect(row.score).toBe(Infinity);
    }
    expect(r.table.filter((row) => row.error === null).length).toBe(AUTO_CANDIDATES.length - 2);
    expect(r.best.estimator).not.toBe('kde');
    // The rule follows the rows the choice uses: a pool capped at 1,000 rows measures them.
    const capped = chooseEstimator({ ...base(big, small), projections: 10, maxRows: { pool: 1000 } });
    expect(capped.table.filter((row) => row.spec.estimator === 'kde').every((row) => row.error === null)).toBe(true);
    // Named candidates are measured whatever the size.
    const named = chooseEstimator({ ...base(big, small), projections: 10, candidates: AUTO_CANDIDATES.filter((c) => c.refine === 'ot') });
    expect(named.table[0]!.error).toBeNull();
    expect(Number.isFinite(named.table[0]!.score)).toBe(true);
  });
});

describe('chooseEstimator: two folds, deterministic, and never knowingly worse than Raw', { timeout: 60_000 }, () => {
  const pool = traits(700, 11, 0.4, 0.5);
  const reference = traits(900, 12);
  const noKde = AUTO_CANDIDATES.filter((c) => c.estimator !== 'kde');

  it('is deterministic for a seed: the same table, Raw and winner', () => {
    const a = chooseEstimator({ ...base(pool, reference), candidates: noKde });
    const b = chooseEstimator({ ...base(pool, reference), candidates: noKde });
    expect(b.table).toEqual(a.table);
    expect(b.raw).toEqual(a.raw);
    expect(b.best).toEqual(a.best);
  });

  it("the table's held-out metrics and Raw are means over the two folds, the score the mean ratio per fold", () => {
    const r = chooseEstimator({ ...base(pool, reference), candidates: noKde.slice(0, 1) });
    const row = r.table[0]!;
    expect(r.folds).toBe(2);
    // Averaging ratios per fold differs from the ratio of the averages, but both are near each other and positive.
    expect(row.score).toBeGreaterThan(0);
    expect(Math.abs(row.score - meanRatio(row.heldOut, r.raw))).toBeLessThan(0.25 * row.score);
    for (const k of PAPER_METRICS) expect(Number.isFinite(row.heldOut[k]) && Number.isFinite(r.raw[k])).toBe(true);
  });

  it('the winner is no worse than Raw on any metric whenever some candidate is, and has the lowest score among those', () => {
    const safe = (m: PaperMetrics, raw: PaperMetrics) => PAPER_METRICS.every((k) => m[k] <= raw[k]);
    for (const seed of [1, 2]) {
      const r = chooseEstimator({ ...base(pool, reference), settings: { ...settings, seed }, candidates: noKde });
      const ok = r.table.filter((row) => row.error === null && safe(row.heldOut, r.raw));
      const won = r.table.find((row) => row.spec === r.best)!;
      if (ok.length > 0) {
        expect(safe(won.heldOut, r.raw)).toBe(true);
        expect(won.score).toBe(Math.min(...ok.map((row) => row.score)));
      }
    }
  });

  it('a candidate worse than Raw on one metric is not picked over one that is not, even with a lower score', () => {
    // A shifted pool without the reference's correlations: every candidate beats Raw on every metric; the winner is
    // then made worse than Raw on FD alone (with the best score of all), and a candidate that is not must win instead.
    const shifted = traits(600, 21, 0.6, 0.5, 0);
    const r = chooseEstimator({ ...base(shifted, traits(800, 22)), candidates: noKde });
    const safe = (m: PaperMetrics) => PAPER_METRICS.every((k) => m[k] <= r.raw[k]);
    const table = r.table.map((row) => ({ ...row }));
    const won = table.findIndex((row) => row.spec === r.best);
    expect(table.filter((row, i) => i !== won && row.error === null && safe(row.heldOut)).length).toBeGreaterThan(0);
    table[won] = { ...table[won]!, score: 0, heldOut: { ...table[won]!.heldOut, fd: r.raw.fd * 1.01 } };
    const next = pickCandidate(table, r.raw);
    expect(next).not.toBe(won);
    expect(safe(table[next]!.heldOut)).toBe(true);
    expect(pickCandidate(table, r.raw)).not.toBe(won);
  });
});

describe('pickCandidate: the winner of the candidate table', () => {
  const raw = { amw: 0.5, fd: 1, sw: 0.4, mmd: 0.3, maecorr: 0.1 };
  const row = (score: number, over: Partial<typeof raw> = {}, error: string | null = null) => ({ score, heldOut: { amw: 0.1, fd: 0.1, sw: 0.1, mmd: 0.1, maecorr: 0.05, ...over }, error });

  it('the lowest score wins among candidates no worse than Raw on any metric', () => {
    expect(pickCandidate([row(0.3), row(0.2), row(0.25)], raw)).toBe(1);
    // Ties keep the earlier candidate.
    expect(pickCandidate([row(0.2), row(0.2)], raw)).toBe(0);
  });

  it('a lower score that is worse than Raw on one metric loses to a candidate that is not', () => {
    expect(pickCandidate([row(0.15, { maecorr: 0.2 }), row(0.3)], raw)).toBe(1);
    // When every candidate is worse than Raw somewhere, the one least worse on its worst metric wins (fd 2 / 1 is
    // twice Raw, sw 0.5 / 0.4 a quarter over it), even against a lower mean score.
    expect(pickCandidate([row(0.4, { fd: 2 }), row(0.35, { sw: 0.5 })], raw)).toBe(1);
    expect(pickCandidate([row(0.3, { fd: 2 }), row(0.35, { sw: 0.5 })], raw)).toBe(1);
    expect(pickCandidate([row(0.3, { sw: 0.6 }), row(0.35, { amw: 0.6 })], raw)).toBe(1);
  });

  it('failed candidates never win; all failed gives -1', () => {
    expect(pickCandidate([row(0.01, {}, 'boom'), row(0.5)], raw)).toBe(1);
    expect(pickCandidate([row(0.1, {}, 'a'), row(0.2, {}, 'b')], raw)).toBe(-1);
  });
});

describe('auto when no candidate can be fitted on a part of the reference', () => {
  it('fits the first candidate to the whole target and says so, instead of failing the run', () => {
    // Ten reference rows, Agreeableness 5 in all but one: whichever half lacks that row has a trait without spread,
    // so every candidate fails in one fold; the whole reference has spread and can be fitted.
    const reference = traits(10, 21);
    for (let i = 0; i < 10; i++) reference.data[i * 5 + 1] = i === 0 ? 4 : 5;
    const pool = traits(40, 22);
    const r = alignPool({ pool, reference, config: { estimator: 'auto', size: 20, seed: 1 } });
    expect(r.estimator.used.label).toBe(AUTO_CANDIDATES[0]!.label);
    expect(r.diagnostics.warnings.some((w) => /without a choice/.test(w))).toBe(true);
    expect(r.estimator.candidates!.every((c) => c.error !== null)).toBe(true);
    expect(r.selection.length).toBe(20);
  });
});
