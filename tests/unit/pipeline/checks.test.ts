import { describe, expect, it } from 'vitest';
import { countTokens, hasFirstPerson, ruleFilter } from '@/lib/pipeline/filter';
import { estimateJaccard, findNearDuplicates, jaccard, minhashSignature, shingles } from '@/lib/pipeline/minhash';
import { checkConsistency, checkDuplicates, detectPii, judgeCritique } from '@/lib/pipeline/checks';
import { sourceIdFromFile } from '@/lib/pipeline/importReport';
import { formatOf } from '@/lib/pipeline/importRows';
import { parsePostRow } from '@/lib/pipeline/postRows';
import { scoreRepeated } from '@/lib/pipeline/measure';
import { ipipNeo120Items } from '@/lib/pipeline/instruments';

describe('post filter', () => {
  it('counts word tokens and detects first-person language', () => {
    expect(countTokens("I'm here, it's 3 o'clock!")).toBe(5);
    expect(hasFirstPerson('Yesterday i went out')).toBe(true);
    expect(hasFirstPerson('My cat is old')).toBe(true);
    expect(hasFirstPerson('The weather is cold in Iceland')).toBe(false);
    expect(hasFirstPerson('Mine craft')).toBe(true);
    expect(hasFirstPerson('Immediately the team left')).toBe(false);
  });
  it('applies the thresholds in order', () => {
    const long = (w: string) => Array.from({ length: 31 }, () => w).join(' ');
    expect(ruleFilter('I am short', { minTokens: 30, requireFirstPerson: true })).toEqual({ pass: false, reason: 'too_short' });
    expect(ruleFilter(long('rain'), { minTokens: 30, requireFirstPerson: true }).reason).toBe('no_first_person');
    expect(ruleFilter(long('rain'), { minTokens: 30, requireFirstPerson: false }).pass).toBe(true);
    expect(ruleFilter(`I ${long('run')}`, { minTokens: 30, requireFirstPerson: true }).pass).toBe(true);
  });
});

describe('MinHash near-duplicates', () => {
  const a = 'She bakes bread every Sunday and worries about her garden when it rains for days on end in spring.';
  it('estimates Jaccard similarity', () => {
    const s1 = shingles(a);
    const s2 = shingles(a.replace('Sunday', 'Monday'));
    const exact = jaccard(s1, s2);
    expect(exact).toBeGreaterThan(0.6);
    expect(exact).toBeLessThan(1);
    expect(Math.abs(estimateJaccard(minhashSignature(s1, 256), minhashSignature(s2, 256)) - exact)).toBeLessThan(0.12);
    expect(estimateJaccard(minhashSignature(s1), minhashSignature(s1))).toBe(1);
  });
  it('pairs near-duplicates with the earlier item and leaves different texts alone', () => {
    const items = [
      { id: 1, text: a },
      { id: 2, text: 'He repairs old radios in his garage and talks about jazz records with his neighbours most evenings.' },
      { id: 3, text: a + ' She also likes tea.' },
    ];
    const pairs = findNearDuplicates(items, { threshold: 0.8 });
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ a: 1, b: 3 });
    const flags = checkDuplicates(items.map((i) => ({ id: i.id, narrative: i.text })));
    expect(flags.get(3)!.twinId).toBe(1);
    expect(flags.get(3)!.passed).toBe(false);
    expect(flags.get(1)!.passed).toBe(true);
    expect(flags.get(2)!.passed).toBe(true);
  });
});

describe('privacy rules', () => {
  it('finds e-mails, phones, URLs, handles and street addresses', () => {
    const found = detectPii('Write to jo.smith@example.org or call +1 (555) 201-3344; see https://jo.example.net, follow @jo_bakes, I live at 42 Elm Street.');
    const kinds = found.map((f) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['email', 'phone', 'url', 'handle', 'street address']));
    expect(found.find((f) => f.kind === 'email')!.text).toBe('jo.smith@example.org');
    expect(found.some((f) => f.kind === 'handle' && f.text === '@example')).toBe(false);
  });
  it('leaves ordinary persona text alone', () => {
    expect(detectPii('The author is a nurse in her 30s who runs 10 km every Sunday and has 2 cats since 2019.')).toEqual([]);
  });
});

describe('critic keep rule', () => {
  const c = (o: number, h: number) => ({
    hallucination: { score: h, reason: 'h' },
    comprehensiveness: { score: 9, reason: 'c' },
    conciseness: { score: 8, reason: 'c' },
    relevance: { score: 9, reason: 'r' },
    overall: { score: o, reason: 'o' },
  });
  it('keeps overall > 8 and others > 7, with reasons for failures', () => {
    expect(judgeCritique(c(9, 8)).passed).toBe(true);
    const r = judgeCritique(c(8, 9));
    expect(r.passed).toBe(false);
    expect(r.reasons[0]).toMatch(/overall 8 \(needs > 8\)/);
    expect(judgeCritique(c(9, 7)).reasons[0]).toMatch(/hallucination 7/);
    expect(judgeCritique(c(8, 7), 7, 6).passed).toBe(true);
  });
});

describe('consistency and repeated scoring', () => {
  const items = [
    { itemId: 'E1', trait: 'E' as const, keyed: '+' as const },
    { itemId: 'E2', trait: 'E' as const, keyed: '-' as const },
  ];
  it('flags contradicting reverse-keyed answers and unstable repetitions', () => {
    expect(checkConsistency(items, new Map([['E1', [4]], ['E2', [2]]])).passed).toBe(true);
    const bad = checkConsistency(items, new Map([['E1', [5]], ['E2', [5]]]));
    expect(bad.passed).toBe(false);
    expect(bad.score).toBe(4);
    const unstable = checkConsistency(items, new Map([['E1', [1, 5]], ['E2', [5, 1]]]));
    expect(unstable.reasons.some((r) => /repeated answers vary/.test(r))).toBe(true);
  });
  it('scores mean answers and the SD of repetition scores', () => {
    const key = { id: 'k', scaleMin: 1, scaleMax: 5, items: ['E', 'A', 'C', 'N', 'O'].flatMap((t) => [
      { itemId: `${t}1`, trait: t as 'E', keyed: '+' as const },
      { itemId: `${t}2`, trait: t as 'E', keyed: '-' as const },
    ]) };
    const answers = new Map(key.items.map((i) => [i.itemId, i.keyed === '+' ? [5, 3] : [1, 3]]));
    const { scores, spread } = scoreRepeated(key, answers, 2);
    expect(scores.E).toBe(4); // mean answers 4 and 2 -> 4 and 6-2
    expect(spread!.E).toBeCloseTo(Math.SQRT2, 10); // repetition scores 5 and 3
    expect(scoreRepeated(key, answers, 1).spread).toBeNull();
  });
});

describe('imports', () => {
  it('validates post rows and names the field', () => {
    expect(parsePostRow({ author_id: 'u1', text: 'hello', time: '2024-01-02', mood: 'ok' }, 5)).toMatchObject({
      authorExternalId: 'u1',
      externalId: 'line:5',
      postedAt: '2024-01-02T00:00:00.000Z',
      metadata: { mood: 'ok' },
    });
    expect(parsePostRow({ user: 'u1', body: 'x', id: 'p9', timestamp: 1700000000 }, 2)).toMatchObject({ externalId: 'p9', postedAt: '2023-11-14T22:13:20.000Z' });
    expect(parsePostRow({ text: 'x' }, 3)).toEqual({ line: 3, field: 'author_id', reason: 'the author id is missing' });
    expect(parsePostRow({ author: 'a', text: '  ' }, 4)).toMatchObject({ field: 'text' });
    expect(parsePostRow({ author: 'a', text: 'x', date: 'soon' }, 6)).toMatchObject({ field: 'date' });
  });
  it('derives source ids and formats from file names', () => {
    expect(sourceIdFromFile('posts', '/tmp/My Blog (2024).csv')).toBe('posts-my-blog-2024');
    expect(formatOf('a.JSONL')).toBe('jsonl');
    expect(() => formatOf('a.xlsx')).toThrow(/a\.xlsx: unknown file type/);
  });
  it('reads the IPIP-NEO-120 items with their keys from the package', () => {
    const items = ipipNeo120Items();
    expect(items).toHaveLength(120);
    for (const t of ['E', 'A', 'C', 'N', 'O']) expect(items.filter((i) => i.trait === t)).toHaveLength(24);
    expect(items[0]).toMatchObject({ itemId: 'N1-1', trait: 'N', keyed: '+', text: 'Worry about things' });
    expect(items.filter((i) => i.keyed === '-').length).toBeGreaterThan(30);
  });
});
