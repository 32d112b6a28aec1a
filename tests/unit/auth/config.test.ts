import { describe, expect, it } from 'vitest';
import { authModeForListenHost, cookieValue, hostnameOf, isLoopbackHost, isMutation, originMatchesHost, roleAtLeast } from '@/lib/auth/config';

describe('auth config', () => {
  it('recognises loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', 'app.localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com', '128.0.0.1', 'localhost.evil.com']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('serve requires sign-in exactly when listening beyond loopback', () => {
    expect(authModeForListenHost('127.0.0.1')).toBe('off');
    expect(authModeForListenHost('::1')).toBe('off');
    expect(authModeForListenHost('0.0.0.0')).toBe('required');
    expect(authModeForListenHost('192.168.0.5')).toBe('required');
  });

  it('orders roles viewer < reviewer < admin', () => {
    expect(roleAtLeast('admin', 'reviewer')).toBe(true);
    expect(roleAtLeast('reviewer', 'reviewer')).toBe(true);
    expect(roleAtLeast('viewer', 'reviewer')).toBe(false);
    expect(roleAtLeast('reviewer', 'admin')).toBe(false);
  });

  it('tells mutations and compares Origin with Host', () => {
    expect(isMutation('GET')).toBe(false);
    expect(isMutation('head')).toBe(false);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(isMutation(m)).toBe(true);
    const h = (o: Record<string, string>) => new Headers(o);
    expect(originMatchesHost(h({ host: 'a.test:3000' }), 'x')).toBe(true);
    expect(originMatchesHost(h({ host: 'a.test:3000', origin: 'http://a.test:3000' }), 'x')).toBe(true);
    expect(originMatchesHost(h({ host: 'a.test:3000', origin: 'http://a.test:4000' }), 'x')).toBe(false);
    expect(originMatchesHost(h({ host: 'a.test', origin: 'https://evil.test' }), 'x')).toBe(false);
    expect(originMatchesHost(h({ host: 'a.test', origin: 'null' }), 'x')).toBe(false);
  });

  it('reads cookies and host names', () => {
    expect(cookieValue('a=1; populace_session=abc; b=2', 'populace_session')).toBe('abc');
    expect(cookieValue('xpopulace_session=abc', 'populace_session')).toBeNull();
    expect(hostnameOf('10.0.0.1:3000')).toBe('10.0.0.1');
    expect(hostnameOf('[::1]:3000')).toBe('[::1]');
    expect(hostnameOf('localhost')).toBe('localhost');
  });
});
