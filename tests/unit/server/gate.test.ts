import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, gateRequest, hostAllowed, isPublicPath, type GateOptions } from '@/lib/server/gate';
import { safeNextPath } from '@/lib/auth/config';

const live = 'live-token';
const open: GateOptions = { authRequired: false, allowedHosts: [], sessionIsLive: (t) => t === live };
const locked: GateOptions = { ...open, authRequired: true };
const r = (url: string, headers: Record<string, string> = {}, method = 'GET') => ({ method, url, headers: { host: 'localhost:3000', ...headers } });

describe('the front door', () => {
  it('answers 405 for TRACE, CONNECT and made-up methods, in every mode', () => {
    for (const m of ['TRACE', 'TRACK', 'CONNECT', 'PROPFIND', 'FOO']) {
      const g = gateRequest(r('/', {}, m), open);
      expect(g.pass).toBe(false);
      if (!g.pass) {
        expect(g.status).toBe(405);
        expect(g.headers.allow).toContain('GET');
      }
    }
    expect(gateRequest(r('/', {}, 'DELETE'), open).pass).toBe(true);
  });

  it('answers 400 for broken percent-encoding and malformed router headers', () => {
    for (const url of ['/personas/%ff', '/personas/%E0%A4%A', '/api/personas?q=%ff']) {
      const g = gateRequest(r(url), open);
      expect(g.pass ? 0 : g.status).toBe(400);
    }
    for (const tree of ['%7B', 'not json', '%7B%7D', encodeURIComponent('"x"')]) {
      const g = gateRequest(r('/personas', { 'next-router-state-tree': tree }), open);
      expect(g.pass ? 0 : g.status).toBe(400);
    }
    expect(gateRequest(r('/personas', { 'next-router-state-tree': encodeURIComponent('["", {}]') }), open).pass).toBe(true);
    expect(gateRequest(r('/personas/%C3%A9?q=caf%C3%A9'), open).pass).toBe(true);
  });

  it('checks the Host header against loopback names and POPULACE_HOSTS (DNS rebinding)', () => {
    expect(hostAllowed('localhost:3000', open)).toBe(true);
    expect(hostAllowed('127.0.0.1:3000', open)).toBe(true);
    expect(hostAllowed('[::1]:3000', open)).toBe(true);
    expect(hostAllowed('evil.example:3000', open)).toBe(false);
    expect(hostAllowed(undefined, open)).toBe(false);
    expect(hostAllowed('populace.lab.example', { ...open, allowedHosts: ['populace.lab.example'] })).toBe(true);
    // With sign-in required and no list, any name is served (cookies are bound to their host).
    expect(hostAllowed('populace.lab.example', locked)).toBe(true);
    expect(hostAllowed('other.example', { ...locked, allowedHosts: ['populace.lab.example'] })).toBe(false);
    const g = gateRequest(r('/', { host: 'rebound.example:3000' }), open);
    expect(g.pass ? 0 : g.status).toBe(403);
    if (!g.pass) expect(g.body).toMatch(/POPULACE_HOSTS/);
  });

  it('with sign-in required, refuses pages and API calls without a live session before anything renders', () => {
    for (const cookie of [undefined, 'populace_session=x', 'populace_session=', 'other=live-token']) {
      const page = gateRequest(r('/personas/2', cookie ? { cookie } : {}), locked);
      expect(page.pass).toBe(false);
      if (!page.pass) {
        expect(page.status).toBe(307);
        expect(page.body).toBe('');
        expect(page.headers.location).toBe('/signin?next=%2Fpersonas%2F2');
      }
      const rsc = gateRequest(r('/personas/2?_rsc=abc', { ...(cookie ? { cookie } : {}), rsc: '1' }), locked);
      expect(rsc.pass ? '' : rsc.body).toBe('');
      const api = gateRequest(r('/api/personas', cookie ? { cookie } : {}), locked);
      expect(api.pass ? 0 : api.status).toBe(401);
    }
    expect(gateRequest(r('/personas/2', { cookie: `a=b; populace_session=${live}` }), locked).pass).toBe(true);
    for (const p of ['/signin', '/api/auth/signin', '/api/live', '/_next/static/chunks/x.js', '/icon.svg']) expect(gateRequest(r(p), locked).pass).toBe(true);
    expect(isPublicPath('/_next/data/x.json')).toBe(false);
    expect(isPublicPath('/signin/../personas')).toBe(false);
  });

  it('builds a CSP with the nonce, no framing and no plugins', () => {
    const csp = contentSecurityPolicy('abc');
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
  });
});

describe('safeNextPath (where sign-in sends the browser)', () => {
  it('keeps same-origin relative paths', () => {
    expect(safeNextPath('/personas?q=a#top')).toBe('/personas?q=a#top');
    expect(safeNextPath('/review')).toBe('/review');
    expect(safeNextPath(['/studio', '/x'])).toBe('/studio');
  });

  it('refuses anything that could leave the site', () => {
    const bad = [
      '/\t/127.0.0.1:9/phish',
      '/\n/evil.example',
      '/\r/evil.example',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '/%09/evil.example/x'.replace('%09', '\t'),
      ' /evil',
      '/signin?next=/x',
      '',
      undefined,
    ];
    for (const b of bad) expect(safeNextPath(b)).toBe('/');
    // Percent-encoded control characters stay encoded and harmless: the path stays on this site.
    expect(safeNextPath('/%09/evil.example')).toBe('/%09/evil.example');
    expect(new URL(safeNextPath('/%2F%2Fevil.example'), 'http://localhost:3000').host).toBe('localhost:3000');
  });
});
