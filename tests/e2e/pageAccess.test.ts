/**
 * The served app (as `npm start` serves it, sign-in required) gives no page data to a request without a live
 * session: for every screen, with no cookie, a forged cookie and the token of a session that signed out, with and
 * without `RSC: 1`, the answer is a redirect to /signin whose body holds none of a canary persona's text, and
 * following it gives the sign-in page, still without the canary. A signed-in request does see the canary (so the
 * test can fail). Also checked on the wire: security headers on every answer, 405 for TRACE, 400 for a broken
 * encoding and a malformed router header, 403 for a foreign Host, no-store on session answers.
 * Then a 30 MB posts file goes through the running server (loopback mode) and every row arrives.
 */
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { closeDb } from '@/db/client';
import { useFreshDatabase, useSeededDatabase, type TestDatabase } from '../support/db';
import { startAppServer, type AppServer } from '../support/server';
import { baseURL as sharedURL } from './browserSession';

const CANARY = 'Canary-9d41 narrative that only a signed-in reader may see';
const NOTE = 'Canary-9d41 reviewer note';
const PASSWORD = 'page access password';
const PAGES = ['/', '/studio', '/studio/runs', '/personas', '/personas/2', '/review', '/review/agreement', '/reviewers', '/reviewers/canary-reviewer', '/pipeline', '/groups', '/groups/1', '/exports'];

/** A raw HTTP request (no redirect following, any method and Host): status, headers, body. */
function raw(url: string, o: { method?: string; path: string; headers?: Record<string, string> }) {
  const u = new URL(url);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const r = request({ host: u.hostname, port: u.port, method: o.method ?? 'GET', path: o.path, headers: o.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

describe.skipIf(!sharedURL)('no page data without a session', () => {
  let env: TestDatabase;
  let app: AppServer | undefined;
  let live = '';
  let signedOut = '';

  beforeAll(async () => {
    process.env.POPULACE_BCRYPT_COST = '4';
    env = useSeededDatabase();
    env.db.run(sql`UPDATE personas SET narrative = ${CANARY} WHERE id = 2`);
    const { addAccount } = await import('@/lib/auth/service');
    await addAccount({ username: 'canary-reviewer', role: 'reviewer', password: PASSWORD });
    delete process.env.POPULACE_BCRYPT_COST;
    closeDb();
    app = await startAppServer({ dataDir: env.dir, env: { POPULACE_AUTH: 'required' }, timeoutMs: 90_000 });
    const signIn = async () => {
      const res = await fetch(`${app!.url}/api/auth/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'canary-reviewer', password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const c = res.headers.getSetCookie().find((x) => x.startsWith('populace_session='))!;
      const csrf = res.headers.getSetCookie().find((x) => x.startsWith('populace_csrf='))!;
      return { token: c.split(';')[0]!.slice('populace_session='.length), csrf: csrf.split(';')[0]!.slice('populace_csrf='.length) };
    };
    const a = await signIn();
    live = a.token;
    // A note on persona 2 by this reviewer, then a second session that signs out without its CSRF token.
    const d = await fetch(`${app.url}/api/review/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `populace_session=${a.token}`, 'x-csrf-token': a.csrf },
      body: JSON.stringify({ personaId: 2, decision: 'reject', reasonCode: 'other', note: NOTE }),
    });
    expect(d.status).toBe(200);
    const b = await signIn();
    const out = await fetch(`${app.url}/api/auth/signout`, { method: 'POST', headers: { cookie: `populace_session=${b.token}` } });
    expect(out.status).toBe(200);
    signedOut = b.token;
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    env?.cleanup();
  });

  it('a signed-in reader sees the canary (the check below can fail)', async () => {
    const res = await fetch(`${app!.url}/personas/2`, { headers: { cookie: `populace_session=${live}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(CANARY);
    const review = await fetch(`${app!.url}/reviewers/canary-reviewer`, { headers: { cookie: `populace_session=${live}` } });
    expect(await review.text()).toContain(NOTE);
  });

  it('every page, every kind of missing session, with and without RSC: a bare redirect, no canary', async () => {
    const cookies = { none: undefined, forged: 'populace_session=x', signedOut: `populace_session=${signedOut}` };
    for (const page of PAGES) {
      for (const [kind, cookie] of Object.entries(cookies)) {
        for (const rsc of [false, true]) {
          const headers: Record<string, string> = { host: new URL(app!.url).host };
          if (cookie) headers.cookie = cookie;
          if (rsc) headers.rsc = '1';
          const p = rsc ? `${page}${page.includes('?') ? '&' : '?'}_rsc=abc12` : page;
          const res = await raw(app!.url, { path: p, headers });
          const what = `${page} (${kind}${rsc ? ', RSC' : ''})`;
          expect(res.status, what).toBe(307);
          expect(String(res.headers.location), what).toMatch(/^\/signin\?next=/);
          expect(res.body, what).not.toContain('Canary-9d41');
          expect(res.body.length, what).toBe(0);
          // Following the redirect gives the sign-in page, still without the canary.
          const follow = await fetch(`${app!.url}${res.headers.location}`, { headers: cookie ? { cookie } : {} });
          expect(follow.status, what).toBe(200);
          expect(await follow.text(), what).not.toContain('Canary-9d41');
        }
      }
    }
  });

  it('the public files (robots.txt, favicon) are served without a session; robots.txt keeps crawlers out', async () => {
    const robots = await raw(app!.url, { path: '/robots.txt', headers: { host: new URL(app!.url).host } });
    expect(robots.status).toBe(200);
    expect(robots.body).toMatch(/User-agent: \*\s+Disallow: \/\s*$/);
    const icon = await raw(app!.url, { path: '/favicon.ico', headers: { host: new URL(app!.url).host } });
    expect(icon.status).toBe(200);
  });
  it('API reads without a live session are 401 and hold no data', async () => {
    for (const cookie of [undefined, 'populace_session=x', `populace_session=${signedOut}`]) {
      const res = await raw(app!.url, { path: '/api/personas/2', headers: { host: new URL(app!.url).host, ...(cookie ? { cookie } : {}) } });
      expect(res.status).toBe(401);
      expect(res.body).not.toContain('Canary-9d41');
    }
  });

  it('answers carry the security headers; bad methods, encodings, router headers and hosts get 4xx', async () => {
    const host = new URL(app!.url).host;
    const page = await raw(app!.url, { path: '/signin', headers: { host } });
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    // Next.js puts the nonce on its scripts, so the page runs under the policy.
    expect(page.body).toContain(`nonce="${nonce}"`);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    const session = await raw(app!.url, { path: '/api/auth/session', headers: { host } });
    expect(session.headers['cache-control']).toBe('no-store');
    expect((await raw(app!.url, { method: 'TRACE', path: '/', headers: { host } })).status).toBe(405);
    expect((await raw(app!.url, { path: '/personas/%ff', headers: { host, cookie: `populace_session=${live}` } })).status).toBe(400);
    expect((await raw(app!.url, { path: '/personas', headers: { host, cookie: `populace_session=${live}`, rsc: '1', 'next-router-state-tree': '%7Bbroken' } })).status).toBe(400);
    // POPULACE_AUTH=required without POPULACE_HOSTS serves any name; the loopback server below refuses a foreign one.
  });
});

describe.skipIf(!sharedURL)('uploads through the running server (loopback mode)', () => {
  let dir = '';
  let app: AppServer | undefined;
  beforeAll(async () => {
    const env = useFreshDatabase();
    dir = env.dir;
    closeDb();
    app = await startAppServer({ dataDir: dir, timeoutMs: 90_000 });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports every row of a 30 MB posts file', async () => {
    // 130,000 generated posts of about 245 bytes (each made from its row number): about 32 MB.
    const rows = 130_000;
    const filler = 'I spent the afternoon walking by the river and thinking about what my neighbours said at the meeting. '.repeat(2);
    const lines = ['author_id,id,text'];
    for (let i = 0; i < rows; i++) lines.push(`u${i % 3000},p${i},"${filler}(post ${i}, ""quoted"")"`);
    const body = Buffer.from(lines.join('\n') + '\n');
    expect(body.length).toBeGreaterThan(30 * 1024 * 1024);
    const res = await fetch(`${app!.url}/api/pipeline/import?kind=posts&filename=big-posts.csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', origin: app!.url },
      body,
    });
    const report = await res.json();
    expect(res.status, JSON.stringify(report).slice(0, 500)).toBe(200);
    expect(report.rows).toBe(rows);
    expect(report.imported).toBe(rows);
    expect(report.badCount).toBe(0);
    expect(report.complete).toBe(true);
    const state = await (await fetch(`${app!.url}/api/pipeline/state`)).json();
    const src = state.postSources.find((s: { id: string }) => s.id === 'posts-big-posts');
    expect(src.posts).toBe(rows);
  });

  it('refuses a cross-origin upload and a foreign Host in loopback mode', async () => {
    const host = new URL(app!.url).host;
    const cross = await fetch(`${app!.url}/api/pipeline/import?kind=posts&filename=x.csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
      body: 'author_id,text\na,I was here\n',
    });
    expect(cross.status).toBe(403);
    const rebound = await raw(app!.url, { path: '/api/personas?limit=1', headers: { host: `evil.example:${new URL(app!.url).port}` } });
    expect(rebound.status).toBe(403);
    expect((await raw(app!.url, { path: '/api/personas?limit=1', headers: { host } })).status).toBe(200);
  });
});
