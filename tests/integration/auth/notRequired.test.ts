/**
 * With sign-in not required (the loopback default): no session and no CSRF token needed, but a cross-origin mutation
 * is refused (any web page the user visits could otherwise post to the local instance) and JSON must be sent as JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSeededDatabase, type TestDatabase } from '../../support/db';
import { json, req } from './helpers';

let env: TestDatabase;
const saved = process.env.POPULACE_AUTH;
let personas: typeof import('@/app/api/personas/route');
let decisions: typeof import('@/app/api/review/decisions/route');
let session: typeof import('@/app/api/auth/session/route');

beforeAll(async () => {
  delete process.env.POPULACE_AUTH;
  env = useSeededDatabase();
  personas = await import('@/app/api/personas/route');
  decisions = await import('@/app/api/review/decisions/route');
  session = await import('@/app/api/auth/session/route');
});
afterAll(() => {
  env.cleanup();
  if (saved !== undefined) process.env.POPULACE_AUTH = saved;
});

describe('sign-in not required', () => {
  it('reads without a session and decides with the reviewer cookie and no CSRF token', async () => {
    expect((await personas.GET(req('/api/personas?limit=1'), undefined)).status).toBe(200);
    const r = new Request('http://localhost/api/review/decisions', {
      method: 'POST',
      headers: { cookie: 'populace_reviewer=Ada', 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ personaId: 1, decision: 'accept', reviewer: 'Mallory' }),
    });
    const d = await json(decisions.POST(r, undefined));
    expect(d.status).toBe(200);
    expect(d.body.decision.reviewer).toBe('Ada');
    const anon = await json(decisions.POST(req('/api/review/decisions', { method: 'POST', body: { personaId: 2, decision: 'accept' } }), undefined));
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('reviewer_required');
  });

  it('refuses a cross-origin mutation and a text/plain body', async () => {
    const cross = new Request('http://localhost/api/review/decisions', {
      method: 'POST',
      headers: { cookie: 'populace_reviewer=Ada', 'content-type': 'text/plain', origin: 'https://elsewhere.example' },
      body: JSON.stringify({ personaId: 3, decision: 'accept' }),
    });
    const x = await json(decisions.POST(cross, undefined));
    expect(x.status).toBe(403);
    expect(x.body.error.code).toBe('cross_origin');
    const plain = new Request('http://localhost/api/review/decisions', {
      method: 'POST',
      headers: { cookie: 'populace_reviewer=Ada', 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ personaId: 3, decision: 'accept' }),
    });
    const p = await json(decisions.POST(plain, undefined));
    expect(p.status).toBe(415);
    expect(p.body.error.message).toMatch(/application\/json/);
  });

  it('GET /api/auth/session says sign-in is off', async () => {
    expect((await json(session.GET(req('/api/auth/session'), undefined))).body).toEqual({ authRequired: false, user: null, csrfToken: null });
  });
});
