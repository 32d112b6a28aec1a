import { beforeEach, describe, expect, it } from 'vitest';
import {
  ACCOUNT_SLOWDOWN_AFTER,
  ADDRESS_MAX_FAILURES,
  MAX_DELAY_MS,
  PAIR_MAX_FAILURES,
  WINDOW_MS,
  accountDelayMs,
  beginAttempt,
  clientIp,
  resetRateLimit,
  serialisePerAccount,
} from '@/lib/auth/rateLimit';

beforeEach(() => resetRateLimit());

describe('sign-in limits', () => {
  it('refuses a username from one address after 5 failures and says for how long; other addresses go on', () => {
    const t0 = 1_000_000;
    for (let i = 0; i < PAIR_MAX_FAILURES; i++) expect(beginAttempt('ada', '1.1.1.1', t0 + i * 1000).retryAfter).toBe(0);
    // The oldest failure (t0) leaves the window at t0 + 15 min.
    expect(beginAttempt('ada', '1.1.1.1', t0 + 6000).retryAfter).toBe(Math.ceil((WINDOW_MS - 6000) / 1000));
    expect(beginAttempt('ada', '2.2.2.2', t0 + 6000).retryAfter).toBe(0);
    expect(beginAttempt('bob', '1.1.1.1', t0 + 6000).retryAfter).toBe(0);
  });

  it('slides: failures older than the window no longer count', () => {
    const t0 = 5_000_000;
    for (let i = 0; i < PAIR_MAX_FAILURES; i++) beginAttempt('ada', '1.1.1.1', t0 + i * 60_000);
    expect(beginAttempt('ada', '1.1.1.1', t0 + 5 * 60_000).retryAfter).toBeGreaterThan(0);
    expect(beginAttempt('ada', '1.1.1.1', t0 + WINDOW_MS + 1).retryAfter).toBe(0);
  });

  it('limits an address across usernames (spraying)', () => {
    for (let i = 0; i < ADDRESS_MAX_FAILURES; i++) expect(beginAttempt(`u${i}`, '3.3.3.3', 100 + i).retryAfter).toBe(0);
    expect(beginAttempt('someone', '3.3.3.3', 200).retryAfter).toBeGreaterThan(0);
    expect(beginAttempt('someone', '3.3.3.4', 200).retryAfter).toBe(0);
  });

  it('never locks an account: failures from many addresses only add a bounded delay', () => {
    for (let i = 0; i < 40; i++) expect(beginAttempt('admin', `10.0.0.${i}`, 1000 + i).retryAfter).toBe(0);
    const a = beginAttempt('admin', '10.1.1.1', 2000);
    expect(a.retryAfter).toBe(0);
    expect(a.delayMs).toBe(MAX_DELAY_MS);
    expect(accountDelayMs(ACCOUNT_SLOWDOWN_AFTER - 1)).toBe(0);
    expect(accountDelayMs(ACCOUNT_SLOWDOWN_AFTER)).toBe(250);
    expect(accountDelayMs(ACCOUNT_SLOWDOWN_AFTER + 2)).toBe(1000);
  });

  it('counts an attempt when it starts and takes it back on success', () => {
    const t = 9_000_000;
    for (let i = 0; i < PAIR_MAX_FAILURES - 1; i++) beginAttempt('ada', '1.1.1.1', t);
    const ok = beginAttempt('ada', '1.1.1.1', t);
    // Five counted now: a sixth started before the fifth finished is refused.
    expect(beginAttempt('ada', '1.1.1.1', t).retryAfter).toBeGreaterThan(0);
    ok.succeeded();
    expect(beginAttempt('ada', '1.1.1.1', t).retryAfter).toBe(0);
  });

  it('checks one account at a time', async () => {
    const order: string[] = [];
    const slow = (name: string, ms: number) => () => new Promise<void>((r) => setTimeout(() => (order.push(name), r()), ms));
    await Promise.all([serialisePerAccount('ada', slow('first', 30)), serialisePerAccount('ada', slow('second', 1)), serialisePerAccount('bob', slow('other', 1))]);
    expect(order).toEqual(['other', 'first', 'second']);
  });

  it('reads the client IP from X-Forwarded-For', () => {
    // The last entry: the one the dashboard's server (or a trusted proxy) wrote, not what the client claimed.
    expect(clientIp(new Headers({ 'x-forwarded-for': '1.2.3.4, 5.6.7.8' }))).toBe('5.6.7.8');
    expect(clientIp(new Headers({ 'x-forwarded-for': '9.9.9.9' }))).toBe('9.9.9.9');
    expect(clientIp(new Headers())).toBe('unknown');
  });
});
