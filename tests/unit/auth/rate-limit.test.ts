import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_FAILURES, WINDOW_MS, clearFailures, clientIp, recordFailure, resetRateLimit, retryAfterSeconds } from '@/lib/auth/rate-limit';

beforeEach(() => resetRateLimit());

describe('sign-in rate limit (sliding window)', () => {
  it('blocks after 5 failures within 15 minutes and says for how long', () => {
    const t0 = 1_000_000;
    for (let i = 0; i < MAX_FAILURES - 1; i++) recordFailure(['user:a'], t0 + i * 1000);
    expect(retryAfterSeconds(['user:a'], t0 + 5000)).toBe(0);
    recordFailure(['user:a'], t0 + 5000);
    // The oldest failure (t0) leaves the window at t0 + 15 min.
    expect(retryAfterSeconds(['user:a'], t0 + 6000)).toBe(Math.ceil((WINDOW_MS - 6000) / 1000));
    expect(retryAfterSeconds(['user:b'], t0 + 6000)).toBe(0);
  });

  it('slides: failures older than the window no longer count', () => {
    const t0 = 5_000_000;
    for (let i = 0; i < MAX_FAILURES; i++) recordFailure(['ip:1'], t0 + i * 60_000);
    expect(retryAfterSeconds(['ip:1'], t0 + 5 * 60_000)).toBeGreaterThan(0);
    expect(retryAfterSeconds(['ip:1'], t0 + WINDOW_MS + 1)).toBe(0);
  });

  it('checks every key and clears one', () => {
    for (let i = 0; i < MAX_FAILURES; i++) recordFailure(['user:a', 'ip:1'], 100 + i);
    expect(retryAfterSeconds(['user:z', 'ip:1'], 200)).toBeGreaterThan(0);
    clearFailures('user:a');
    expect(retryAfterSeconds(['user:a'], 200)).toBe(0);
    expect(retryAfterSeconds(['ip:1'], 200)).toBeGreaterThan(0);
  });

  it('reads the client IP from X-Forwarded-For', () => {
    // The last entry: the one the dashboard's server (or a trusted proxy) wrote, not what the client claimed.
    expect(clientIp(new Headers({ 'x-forwarded-for': '1.2.3.4, 5.6.7.8' }))).toBe('5.6.7.8');
    expect(clientIp(new Headers({ 'x-forwarded-for': '9.9.9.9' }))).toBe('9.9.9.9');
    expect(clientIp(new Headers())).toBe('unknown');
  });
});
