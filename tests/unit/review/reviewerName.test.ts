import { describe, expect, it } from 'vitest';
import { normaliseReviewerName, reviewerCookieString, reviewerFromCookieHeader, REVIEWER_COOKIE } from '@/lib/review/reviewerName';
import { DEFAULT_SHORTCUTS, SHORTCUT_ACTIONS, isUsableKey } from '@/components/review/shortcuts';

describe('reviewer name cookie', () => {
  it('normalises names and refuses empty, long or control-character names', () => {
    expect(normaliseReviewerName('  Ada   Lovelace ')).toBe('Ada Lovelace');
    expect(normaliseReviewerName('')).toBeNull();
    expect(normaliseReviewerName('   ')).toBeNull();
    expect(normaliseReviewerName('x'.repeat(65))).toBeNull();
    expect(normaliseReviewerName('a\u0000b')).toBeNull();
    expect(normaliseReviewerName(undefined)).toBeNull();
  });

  it('reads the cookie among others, decoding what the browser encoded', () => {
    const set = reviewerCookieString('Zoë Ünal; admin=1');
    expect(set.startsWith(`${REVIEWER_COOKIE}=`)).toBe(true);
    const value = set.split(';')[0]!;
    expect(reviewerFromCookieHeader(`theme=dark; ${value}; other=x`)).toBe('Zoë Ünal; admin=1');
    expect(reviewerFromCookieHeader('theme=dark')).toBeNull();
    expect(reviewerFromCookieHeader(`${REVIEWER_COOKIE}=%E0%A4%A`)).toBeNull();
    expect(reviewerFromCookieHeader(`${REVIEWER_COOKIE}=`)).toBeNull();
    expect(reviewerFromCookieHeader(null)).toBeNull();
  });
});

describe('review shortcuts', () => {
  it('default keys are distinct single characters that leave the digits to reason codes', () => {
    const keys = SHORTCUT_ACTIONS.map((a) => DEFAULT_SHORTCUTS[a]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every(isUsableKey)).toBe(true);
    expect(isUsableKey('3')).toBe(false);
    expect(isUsableKey(' ')).toBe(false);
    expect(isUsableKey('Enter')).toBe(false);
  });
});
