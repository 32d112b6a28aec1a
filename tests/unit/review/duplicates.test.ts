import { describe, expect, it } from 'vitest';
import { checkDuplicates, findExactDuplicates, flagDuplicateRows, normalisedText } from '@/lib/pipeline/checks';

const bio = 'Markus Braun is 38 years old and works as an Engineer. Hobbies and interests: model building, hiking, chess. Logical thinker Very organized Can be stubborn';

describe('exact duplicates', () => {
  it('compare words ignoring case, punctuation and spacing, and point at the first persona with the text', () => {
    expect(normalisedText('  Model building,  Hiking; CHESS! ')).toBe('model building hiking chess');
    const dupes = findExactDuplicates([
      { id: 10, narrative: bio },
      { id: 11, narrative: 'Someone else entirely.' },
      { id: 12, narrative: bio.replace('model building, hiking, chess', 'Model building, Hiking, Chess') },
      { id: 13, narrative: `${bio}!` },
    ]);
    expect([...dupes]).toEqual([
      [12, 10],
      [13, 10],
    ]);
  });

  it('are reported by checkDuplicates as identical (score 1) before near-duplicates', () => {
    const r = checkDuplicates([
      { id: 1, narrative: bio },
      { id: 2, narrative: bio.toUpperCase() },
      { id: 3, narrative: `${bio} at times` },
    ]);
    expect(r.get(1)).toMatchObject({ passed: true, twinId: null });
    expect(r.get(2)).toMatchObject({ passed: false, score: 1, exact: true, twinId: 1, reasons: ['identical text to persona 1'] });
    expect(r.get(3)).toMatchObject({ passed: false, exact: false, twinId: 1 });
    expect(r.get(3)!.reasons[0]).toMatch(/^near-duplicate of persona 1 \(Jaccard 0\.\d\d\)$/);
  });
});

describe('flagDuplicateRows', () => {
  it('adds a duplicate flag naming the earlier twin within a source, and changes nothing else', () => {
    const row = (sourceId: string, externalId: string, narrative: string, extra: object = {}) => ({ sourceId, externalId, narrative, flags: [], status: 'measured' as const, ...extra });
    const rows = [
      row('a', 'x1', bio),
      row('b', 'y1', bio), // another source: not a duplicate
      row('a', 'x2', bio.toLowerCase()),
      row('a', 'x3', 'A different person with a different life.'),
      row('a', 'x4', bio, { flags: [{ code: 'duplicate', reason: 'known' }], duplicateOf: 'x1' }), // already flagged
    ];
    const out = flagDuplicateRows(rows);
    expect(out).toHaveLength(rows.length);
    expect(out[0]).toBe(rows[0]);
    expect(out[1]).toBe(rows[1]);
    expect(out[2]).toEqual({ ...rows[2], flags: [{ code: 'duplicate', reason: 'identical text to profile x1' }], duplicateOf: 'x1' });
    expect(out[3]).toBe(rows[3]);
    expect(out[4]).toBe(rows[4]);
  });
});
