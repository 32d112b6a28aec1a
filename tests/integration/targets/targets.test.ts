import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTarget, getNamedTarget, listNamedTargets, saveNamedTarget } from '@/lib/targets/service';
import { traitMoments } from '@/lib/targets/transform';
import { useSeededDatabase } from '../../support/db';

let env: ReturnType<typeof useSeededDatabase>;
beforeAll(() => {
  env = useSeededDatabase();
});
afterAll(() => env.cleanup());

/** Counts respondents straight from the shipped data file, independently of the database. */
function handCount(pred: (r: Record<string, string>) => boolean): number {
  const lines = readFileSync('db/seed-data/reference/big5-openpsychometrics/data.csv', 'utf8').split(/\r?\n/).filter(Boolean);
  const header = lines[0]!.split('\t');
  let n = 0;
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    const r = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    const items = header.slice(7).map((h) => Number(r[h]));
    if (items.some((v) => v === 0)) continue;
    if (pred(r)) n++;
  }
  return n;
}

describe('targets', () => {
  it('match the hand-counted respondents for a region, an age band and a gender', () => {
    const eastAsia = ['CN', 'JP', 'KR', 'HK', 'MN', 'TW', 'MO'];
    const t = buildTarget({ filters: { countries: eastAsia } });
    expect(t.n).toBe(handCount((r) => eastAsia.includes(r.country!)));
    const young = buildTarget({ filters: { ageMin: 18, ageMax: 24, genders: ['female'] } });
    expect(young.n).toBe(handCount((r) => Number(r.age) >= 18 && Number(r.age) <= 24 && r.gender === '2'));
    expect(buildTarget({}).n).toBe(19_718);
  });

  it('warns when fewer than 100 respondents match and refuses an empty target', () => {
    const t = buildTarget({ filters: { countries: ['JP'] } });
    expect(t.n).toBeLessThan(100);
    expect(t.warnings[0]).toMatch(/Only \d+ respondents match/);
    expect(() => buildTarget({ filters: { countries: ['ZZ'] } })).toThrow(/No respondent matches/);
  });

  it('applies the Johnson preset: trait means become the norm sums divided by 24', () => {
    const t = buildTarget({ preset: { kind: 'johnson', sex: 'Female', ageGroup: '21-40' } });
    const m = traitMoments(t.data, t.n);
    // Johnson's Female 21-40 domain norms are checked against the seeded norms table, not re-typed here.
    const expected = t.presetTargets!;
    // Clamping at the scale ends moves the mean slightly; the tolerance states it.
    expect(Math.abs(m.mean[0]! - expected.E!.mean)).toBeLessThan(0.02);
    expect(Math.abs(m.mean[3]! - expected.N!.mean)).toBeLessThan(0.02);
    expect(expected.E!.mean).toBeGreaterThan(2.5);
    expect(expected.E!.mean).toBeLessThan(4);
  });

  it('saves targets by name and reloads them', () => {
    const spec = { filters: { countries: ['US', 'CA'] }, edits: { A: { shift: -0.3, spread: 1.1 } } };
    saveNamedTarget('North America, less agreeable', spec);
    const again = getNamedTarget('North America, less agreeable');
    expect(again.spec.filters.countries).toEqual(['US', 'CA']);
    expect(again.spec.edits.A).toEqual({ shift: -0.3, spread: 1.1 });
    expect(again.spec.edits.E).toEqual({ shift: 0, spread: 1 });
    saveNamedTarget('North America, less agreeable', { ...spec, edits: { A: { shift: -0.5, spread: 1 } } });
    expect(listNamedTargets().filter((t) => t.name === 'North America, less agreeable')).toHaveLength(1);
    expect(getNamedTarget('North America, less agreeable').spec.edits.A.shift).toBe(-0.5);
    expect(() => getNamedTarget('nope')).toThrow(/no saved target/);
  });
});
