import { describe, expect, it } from 'vitest';
import { clientIp } from '@/lib/auth/rateLimit';
import { forwardedHeaders } from '@/lib/server/http';

const asHeaders = (h: Record<string, string | string[] | undefined>) => new Headers(Object.entries(h).filter((e): e is [string, string] => typeof e[1] === 'string'));

describe('forwarded headers', () => {
  it('without a trusted proxy the client address is the socket’s, whatever the client claims', () => {
    const h = forwardedHeaders({ 'x-forwarded-for': '6.6.6.6, 7.7.7.7', 'x-real-ip': '8.8.8.8', 'x-forwarded-host': 'evil.example', host: 'a:3000' }, '10.0.0.2', false);
    expect(h['x-forwarded-for']).toBe('10.0.0.2');
    expect(h['x-real-ip']).toBeUndefined();
    expect(h['x-forwarded-host']).toBeUndefined();
    expect(h.host).toBe('a:3000');
    expect(clientIp(asHeaders(h))).toBe('10.0.0.2');
  });
  it('behind a trusted proxy the address the proxy appended last counts', () => {
    const h = forwardedHeaders({ 'x-forwarded-for': '6.6.6.6, 192.0.2.10', 'x-forwarded-host': 'dash.example' }, '127.0.0.1', true);
    expect(h['x-forwarded-host']).toBe('dash.example');
    expect(clientIp(asHeaders(h))).toBe('192.0.2.10');
  });
});
