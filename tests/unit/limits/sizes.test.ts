import { afterEach, describe, expect, it } from 'vitest';
import { checkRetrieveCount, checkSetSize, maxSetSize, retrieveCountLimit, setSizeLimit } from '@/lib/limits/sizes';

afterEach(() => {
  delete process.env.POPULACE_MAX_SET_SIZE;
});

describe('size bounds', () => {
  it('reads POPULACE_MAX_SET_SIZE (default 100,000; separators allowed; nonsense refused by name)', () => {
    expect(maxSetSize({})).toBe(100_000);
    expect(maxSetSize({ POPULACE_MAX_SET_SIZE: ' 2_500 ' })).toBe(2_500);
    expect(maxSetSize({ POPULACE_MAX_SET_SIZE: '1,000' })).toBe(1_000);
    for (const bad of ['0', '-3', '1.5', 'many']) {
      expect(() => maxSetSize({ POPULACE_MAX_SET_SIZE: bad })).toThrow(`POPULACE_MAX_SET_SIZE must be a whole number of at least 1, got "${bad}".`);
    }
  });

  it('allows 10 times the pool with repeats, the pool for distinct sets, and never more than the ceiling', () => {
    expect(setSizeLimit({ poolSize: 50, distinct: false }).limit).toBe(500);
    expect(setSizeLimit({ poolSize: 50, distinct: true }).limit).toBe(50);
    expect(setSizeLimit({ poolSize: 1_000_000, distinct: true })).toEqual({ limit: 100_000, why: 'POPULACE_MAX_SET_SIZE' });
    expect(() => checkSetSize({ field: 'size', value: 500, poolSize: 50, distinct: false })).not.toThrow();
    expect(() => checkSetSize({ field: 'size', value: 501, poolSize: 50, distinct: false })).toThrow(
      'size: 501 was asked for, but the limit is 500 (a draw with repeats holds at most 10 times the 50 personas of the pool).',
    );
    expect(() => checkSetSize({ field: 'k', value: 51, poolSize: 50, distinct: true, poolLabel: 'the group set' })).toThrow(
      'k: 51 was asked for, but the limit is 50 (a set of distinct personas holds at most the 50 personas of the group set).',
    );
    process.env.POPULACE_MAX_SET_SIZE = '100';
    expect(() => checkSetSize({ field: 'size', value: 101, poolSize: 1_000, distinct: true })).toThrow(
      'size: 101 was asked for, but the limit is 100 (POPULACE_MAX_SET_SIZE).',
    );
  });

  it('bounds a retrieval count by 5,000 and by the ceiling', () => {
    expect(retrieveCountLimit()).toBe(5_000);
    expect(() => checkRetrieveCount('retrieveCount', 5_000)).not.toThrow();
    expect(() => checkRetrieveCount('retrieveCount', 5_001)).toThrow('retrieveCount: 5,001 was asked for, but the limit is 5,000 (at most 5,000 hits per retrieval).');
    process.env.POPULACE_MAX_SET_SIZE = '300';
    expect(retrieveCountLimit()).toBe(300);
    expect(() => checkRetrieveCount('limit', 301)).toThrow('limit: 301 was asked for, but the limit is 300 (POPULACE_MAX_SET_SIZE).');
  });
});
