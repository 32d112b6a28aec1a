import { describe, expect, it } from 'vitest';
import { instrumentItems } from '@/db/schema';
import { alignPool } from '@/lib/align/alignPool';
import { TRAIT_CODES, TRAIT_NAMES as ALIGN_TRAIT_NAMES } from '@/lib/align/traitSpace';
import { DEFAULT_ESTIMATOR, DEFAULT_SELECTION, DEFAULT_SET_SIZE, defaultSetSize, STUDIO_KDE_BANDWIDTH } from '@/lib/core/defaults';
import { METRIC_NAMES, METRICS, metricTitle } from '@/lib/core/metrics';
import { isTrait, traitCode, traitLabel, TRAIT_NAMES, TRAITS } from '@/lib/core/traits';
import { TRAITS as INSTRUMENT_TRAITS } from '@/lib/instruments/traits';
import { matrixFromRows } from '@/lib/numeric/matrix';
import { createRng } from '@/lib/numeric/rng';
import { PAPER_METRICS } from '@/lib/stats/metrics';
import { defaultStudioState } from '@/components/studio/urlState';

describe('trait codes, names and order', () => {
  it('are E A C N O, named, and the same wherever they are still written out', () => {
    expect(TRAITS).toEqual(['E', 'A', 'C', 'N', 'O']);
    expect(INSTRUMENT_TRAITS).toBe(TRAITS);
    // the engine's own copy (lib/align) and the database's column enum (db/ imports nothing from lib/)
    expect([...TRAIT_CODES]).toEqual([...TRAITS]);
    expect(ALIGN_TRAIT_NAMES).toEqual(TRAIT_NAMES);
    expect(instrumentItems.trait.enumValues).toEqual([...TRAITS]);
    expect(traitLabel('N')).toBe('Neuroticism (N)');
    expect(traitCode(' openness ')).toBe('O');
    expect(traitCode('X')).toBeUndefined();
    expect(isTrait('A') && !isTrait('a')).toBe(true);
  });
});

describe('metric keys and labels', () => {
  it('are the five headline metrics in the engine order', () => {
    expect([...METRICS]).toEqual([...PAPER_METRICS]);
    expect(METRICS.map((m) => METRIC_NAMES[m])).toEqual(['AMW', 'FD', 'SW', 'MMD', 'MAEcorr']);
    expect(metricTitle('sw')).toBe('SW (sliced Wasserstein)');
    expect(metricTitle('maecorr')).toBe('MAEcorr');
  });
});

describe('shared alignment defaults', () => {
  it("are the engine's defaults and the studio's starting state", () => {
    const studio = defaultStudioState();
    expect(studio.estimator).toBe(DEFAULT_ESTIMATOR);
    expect(studio.selection).toBe(DEFAULT_SELECTION);
    expect(studio.bandwidth).toBe(STUDIO_KDE_BANDWIDTH);
    expect([defaultSetSize(10), defaultSetSize(5000)]).toEqual([10, DEFAULT_SET_SIZE]);
  });

  it('give the set size the engine uses when none is asked for', () => {
    const rng = createRng(7);
    const rows = (n: number) => Array.from({ length: n }, () => Array.from({ length: 5 }, () => 1 + 4 * rng.next()));
    const pool = matrixFromRows(rows(DEFAULT_SET_SIZE + 50));
    const reference = matrixFromRows(rows(200));
    const r = alignPool({ pool, reference, config: { estimator: 'calibration', seed: 1 } });
    expect(r.config.size).toBe(defaultSetSize(pool.rows));
    expect(r.config.estimator).toBe('calibration');
    expect(alignPool({ pool: matrixFromRows(rows(40)), reference, config: { estimator: 'calibration', seed: 1 } }).config.size).toBe(40);
  });
});
