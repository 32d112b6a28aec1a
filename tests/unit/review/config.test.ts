import { describe, expect, it } from 'vitest';
import { reasonRequired } from '@/lib/review/config';

describe('POPULACE_REVIEW_REASON_REQUIRED', () => {
  it('is on unless set to false, 0, no or off', () => {
    expect(reasonRequired(undefined)).toBe(true);
    expect(reasonRequired('')).toBe(true);
    expect(reasonRequired('true')).toBe(true);
    for (const off of ['false', 'FALSE', ' 0 ', 'no', 'off']) expect(reasonRequired(off)).toBe(false);
  });
});

describe('the filter a queue works through', () => {
  it('reads as words', async () => {
    const { describeFilter } = await import('@/lib/review/describeFilter');
    expect(describeFilter('source=personallm,gpt4-biographies&ageBand=35-49&Emin=3&q=teacher')).toBe('source personallm, gpt4-biographies · age band 35-49 · E ≥ 3 · search teacher');
  });
});
