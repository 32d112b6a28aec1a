import { describe, expect, it } from 'vitest';
import { loadInstruments } from '@/lib/demo/instruments';
import { ScoringError, scoreCommon, scoreTraits, toCommonScale } from '@/lib/instruments/score';

const instruments = new Map(loadInstruments().map((i) => [i.id, i]));
const ipip = instruments.get('ipip50')!;
const bfi = instruments.get('bfi44')!;
const mm = instruments.get('mini-markers-40')!;

describe('instrument keys', () => {
  it('have the published item counts per trait', () => {
    const counts = (items: { trait: string }[]) =>
      items.reduce<Record<string, number>>((a, i) => ({ ...a, [i.trait]: (a[i.trait] ?? 0) + 1 }), {});
    expect(counts(ipip.items)).toEqual({ E: 10, N: 10, A: 10, C: 10, O: 10 });
    expect(counts(bfi.items)).toEqual({ E: 8, A: 9, C: 9, N: 8, O: 10 });
    expect(counts(mm.items)).toEqual({ E: 8, A: 8, C: 8, N: 8, O: 8 });
    expect(bfi.items.filter((i) => i.keyed === '-').map((i) => Number(i.itemId))).toEqual([
      2, 6, 8, 9, 12, 18, 21, 23, 24, 27, 31, 34, 35, 37, 41, 43,
    ]);
  });
});

describe('IPIP-50 scoring of the first BIG5 respondent (data.csv line 2), checked by hand', () => {
  // E1..O10 exactly as in the file.
  const row = '4 2 5 2 5 1 4 3 5 1 1 5 2 5 1 1 1 1 1 1 1 5 1 5 2 3 1 5 4 5 4 1 5 1 5 1 4 1 4 5 4 1 3 1 5 1 4 2 5 5';
  const values = row.split(' ').map(Number);
  const order = ['E', 'N', 'A', 'C', 'O'].flatMap((t) => Array.from({ length: 10 }, (_, i) => `${t}${i + 1}`));
  const answers = new Map(order.map((id, i) => [id, values[i]!]));

  it('reverse-keys the - items as 6 - x', () => {
    // E: + items 1,3,5,7,9 = 4+5+5+4+5 = 23; - items 2,4,6,8,10 = (6-2)+(6-2)+(6-1)+(6-3)+(6-1) = 21; 44/10.
    // N: - items 2,4 = 1+1; + items = 1+2+1+1+1+1+1+1 = 9; 11/10.
    // A: - items 1,3,5,7 = 5+5+4+5 = 19; + items = 5+5+3+5+4+5 = 27; 46/10.
    // C: - items 2,4,6,8 = 5+5+5+5; + items = 4+5+5+4+4+5 = 27; 47/10.
    // O: - items 2,4,6 = 5+5+5; + items = 4+3+5+4+2+5+5 = 28; 43/10.
    const s = scoreTraits(ipip, answers);
    expect(s.E).toBeCloseTo(4.4, 12);
    expect(s.N).toBeCloseTo(1.1, 12);
    expect(s.A).toBeCloseTo(4.6, 12);
    expect(s.C).toBeCloseTo(4.7, 12);
    expect(s.O).toBeCloseTo(4.3, 12);
    expect(scoreCommon(ipip, answers)).toEqual(s); // 1-5 already is the common scale
  });

  it('names the item when an answer is missing or off the scale', () => {
    const missing = new Map(answers);
    missing.delete('C7');
    expect(() => scoreTraits(ipip, missing)).toThrow(new ScoringError('ipip50: item C7 has no answer'));
    const bad = new Map(answers).set('O3', 6);
    expect(() => scoreTraits(ipip, bad)).toThrow(/item O3 answer 6 is outside the scale 1-5/);
  });
});

describe('BFI-44 scoring of PersonaLLM gpt-3.5 extr_agre_cons_emot_clos iteration 2, checked by hand', () => {
  const a = [5, 2, 4, 2, 2, 2, 5, 3, 4, 4, 5, 1, 5, 2, 4, 4, 5, 2, 3, 4, 2, 5, 2, 5, 3, 4, 2, 5, 2, 3, 2, 5, 4, 5, 3, 5, 2, 4, 2, 5, 1, 5, 2, 3];
  const answers = new Map(a.map((v, i) => [String(i + 1), v]));
  it('matches the hand computation', () => {
    const s = scoreTraits(bfi, answers);
    expect(s.E).toBeCloseTo(35 / 8, 12); // 5+4+5+4+4+4+4+5
    expect(s.A).toBeCloseTo(42 / 9, 12); // 4+5+5+5+5+4+5+4+5
    expect(s.C).toBeCloseTo(37 / 9, 12); // 4+3+5+4+4+5+4+4+4
    expect(s.N).toBeCloseTo(15 / 8, 12); // 2+2+2+3+1+2+1+2
    expect(s.O).toBeCloseTo(36 / 10, 12); // 2+4+4+4+3+3+3+5+5+3
  });
});

describe('Mini-Markers (1-9) scoring of the biography "Dave Thomas", checked by hand', () => {
  it('reverse-keys as 10 - x and maps to the common scale', () => {
    const ratings: Record<string, number> = {
      organized: 9, efficient: 9, systematic: 9, practical: 9, disorganized: 1, sloppy: 1, inefficient: 1, careless: 1,
      talkative: 3, extraverted: 3, bold: 8, energetic: 7, shy: 1, quiet: 3, bashful: 1, withdrawn: 1,
    };
    const answers = new Map(mm.items.map((it) => [it.itemId, ratings[it.itemId] ?? 5]));
    const raw = scoreTraits(mm, answers);
    expect(raw.C).toBe(9); // 9*4 + (10-1)*4 = 72; 72/8
    expect(raw.E).toBeCloseTo(55 / 8, 12); // 3+3+8+7 + 9+7+9+9
    const common = scoreCommon(mm, answers);
    expect(common.C).toBe(5);
    expect(common.E).toBeCloseTo(1 + (4 * (55 / 8 - 1)) / 8, 12);
    expect(common.A).toBe(3); // all 5s: the midpoint of 1-9 is the midpoint of 1-5
  });
  it('toCommonScale is the POMP rule', () => {
    expect(toCommonScale(1, 1, 9)).toBe(1);
    expect(toCommonScale(9, 1, 9)).toBe(5);
    expect(toCommonScale(3, 1, 5)).toBe(3);
  });
});
