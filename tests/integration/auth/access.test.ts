/**
 * Access control with POPULACE_AUTH=required: route handlers called directly with Request objects and cookies.
 * Each role can do what it should and no more; CSRF, Origin, rate limit, expiry and reviewer identity.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useSeededDatabase, type TestDatabase } from '../../support/db';
import { clientFrom, json, req, type Client } from './helpers';

let env: TestDatabase;
const saved = { auth: process.env.POPULACE_AUTH, cost: process.env.POPULACE_BCRYPT_COST };
let signin: typeof import('@/app/api/auth/signin/route');
let signout: typeof import('@/app/api/auth/signout/route');
let session: typeof import('@/app/api/auth/session/route');
let users: typeof import('@/app/api/auth/users/route');
let personas: typeof import('@/app/api/personas/route');
let studio: typeof import('@/app/api/studio/data/route');
let decisions: typeof import('@/app/api/review/decisions/route');
let queue: typeof import('@/app/api/review/queue/route');
let jobs: typeof import('@/app/api/jobs/route');
let groups: typeof import('@/app/api/groups/route');
let targets: typeof import('@/app/api/targets/route');
let health: typeof import('@/app/api/health/route');
let rateLimit: typeof import('@/lib/auth/rateLimit');

const PASSWORD = 'correct horse battery';
const as: Record<'viewer' | 'reviewer' | 'admin', Client> = {} as never;

async function signIn(username: string, password = PASSWORD, ip = '10.0.0.1') {
  return signin.POST(req('/api/auth/signin', { method: 'POST', body: { username, password }, ip }), undefined);
}

beforeAll(async () => {
  process.env.POPULACE_AUTH = 'required';
  process.env.POPULACE_BCRYPT_COST = '4';
  env = useSeededDatabase();
  [signin, signout, session, users, personas, studio, decisions, queue, jobs, groups, targets, health, rateLimit] = await Promise.all([
    import('@/app/api/auth/signin/route'),
    import('@/app/api/auth/signout/route'),
    import('@/app/api/auth/session/route'),
    import('@/app/api/auth/users/route'),
    import('@/app/api/personas/route'),
    import('@/app/api/studio/data/route'),
    import('@/app/api/review/decisions/route'),
    import('@/app/api/review/queue/route'),
    import('@/app/api/jobs/route'),
    import('@/app/api/groups/route'),
    import('@/app/api/targets/route'),
    import('@/app/api/health/route'),
    import('@/lib/auth/rateLimit'),
  ]);
  const { addAccount } = await import('@/lib/auth/service');
  for (const role of ['viewer', 'reviewer', 'admin'] as const) {
    await addAccount({ username: `${role}1`, role, password: PASSWORD });
    const res = await signIn(`${role}1`);
    expect(res.status).toBe(200);
    as[role] = clientFrom(res);
  }
});
beforeEach(() => rateLimit.resetRateLimit());
afterAll(() => {
  env.cleanup();
  if (saved.auth === undefined) delete process.env.POPULACE_AUTH;
  else process.env.POPULACE_AUTH = saved.auth;
  if (saved.cost === undefined) delete process.env.POPULACE_BCRYPT_COST;
  else process.env.POPULACE_BCRYPT_COST = saved.cost;
});

const decisionRows = (personaId: number) =>
  env.db.all<{ reviewer: string; decision: string }>(sql`SELECT reviewer, decision FROM review_decisions WHERE persona_id = ${personaId} ORDER BY id`);

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie for 12 h and a readable CSRF cookie; stores only the token hash', async () => {
    const res = await signIn('viewer1');
    const cookies = res.headers.getSetCookie();
    const sessionCookie = cookies.find((c) => c.startsWith('populace_session='))!;
    expect(sessionCookie).toMatch(/; HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    expect(sessionCookie).toMatch(/Path=\//);
    expect(sessionCookie).toMatch(/Max-Age=43200/);
    expect(sessionCookie).not.toMatch(/Secure/); // http://localhost
    const csrfCookie = cookies.find((c) => c.startsWith('populace_csrf='))!;
    expect(csrfCookie).not.toMatch(/HttpOnly/);
    const { token } = clientFrom(res);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const stored = env.db.all<{ id: string }>(sql`SELECT id FROM sessions`).map((r) => r.id);
    expect(stored).not.toContain(token);
    expect(stored.every((id) => /^[0-9a-f]{64}$/.test(id))).toBe(true);
  });

  it('marks cookies Secure over https and when reached on a non-loopback host', async () => {
    const https = await signin.POST(req('/api/auth/signin', { method: 'POST', body: { username: 'viewer1', password: PASSWORD }, url: 'https://localhost' }), undefined);
    expect(https.headers.getSetCookie().every((c) => /; Secure/.test(c))).toBe(true);
    const r = new Request('http://10.1.2.3:3000/api/auth/signin', {
      method: 'POST',
      headers: { host: '10.1.2.3:3000', 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'viewer1', password: PASSWORD }),
    });
    expect((await signin.POST(r, undefined)).headers.getSetCookie().every((c) => /; Secure/.test(c))).toBe(true);
  });

  it('answers 401 for a wrong password, an unknown user and a disabled account, with the same message', async () => {
    const a = await json(signIn('viewer1', 'wrong password!'));
    const b = await json(signIn('nobody', PASSWORD));
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body.error.message).toBe(b.body.error.message);
  });

  it('GET /api/auth/session returns the user and the CSRF token', async () => {
    const r = await json(session.GET(req('/api/auth/session', { as: as.reviewer }), undefined));
    expect(r.body).toMatchObject({ authRequired: true, user: { username: 'reviewer1', role: 'reviewer' }, csrfToken: as.reviewer.csrf });
    const anon = await json(session.GET(req('/api/auth/session'), undefined));
    expect(anon.body).toMatchObject({ authRequired: true, user: null, csrfToken: null });
  });
});

describe('unauthenticated requests', () => {
  it('get 401 on every API route tried', async () => {
    const calls: Promise<Response>[] = [
      personas.GET(req('/api/personas'), undefined),
      studio.POST(req('/api/studio/data', { method: 'POST', body: { spec: {} } }), undefined),
      decisions.GET(req('/api/review/decisions'), undefined),
      decisions.POST(req('/api/review/decisions', { method: 'POST', body: { personaId: 1, decision: 'accept' } }), undefined),
      queue.GET(req('/api/review/queue'), undefined),
      jobs.GET(req('/api/jobs'), undefined),
      groups.GET(req('/api/groups'), undefined),
      groups.POST(req('/api/groups', { method: 'POST', body: {} }), undefined),
      targets.GET(req('/api/targets'), undefined),
      health.GET(req('/api/health'), undefined),
      users.GET(req('/api/auth/users'), undefined),
    ];
    for (const r of await Promise.all(calls)) {
      expect(r.status).toBe(401);
      expect(((await r.json()) as any).error.code).toBe('unauthenticated');
    }
  });

  it('a forged session token is 401', async () => {
    const r = await personas.GET(req('/api/personas', { as: { token: 'x'.repeat(43), csrf: 'y' } }), undefined);
    expect(r.status).toBe(401);
  });
});

describe('roles', () => {
  it('viewer reads personas and studio data but may not decide (403) or list users (403)', async () => {
    expect((await personas.GET(req('/api/personas?limit=5', { as: as.viewer }), undefined)).status).toBe(200);
    expect((await studio.POST(req('/api/studio/data', { method: 'POST', body: { spec: {} }, as: as.viewer }), undefined)).status).toBe(200);
    const d = await json(decisions.POST(req('/api/review/decisions', { method: 'POST', body: { personaId: 10, decision: 'accept' }, as: as.viewer }), undefined));
    expect(d.status).toBe(403);
    expect(d.body.error.code).toBe('forbidden');
    expect(decisionRows(10)).toHaveLength(0);
    expect((await queue.GET(req('/api/review/queue', { as: as.viewer }), undefined)).status).toBe(403);
    expect((await users.GET(req('/api/auth/users', { as: as.viewer }), undefined)).status).toBe(403);
  });

  it('reviewer decides, under the session name even when the body names someone else, but may not list users', async () => {
    const d = await json(
      decisions.POST(req('/api/review/decisions', { method: 'POST', body: { personaId: 11, decision: 'accept', reviewer: 'Mallory' }, as: as.reviewer }), undefined),
    );
    expect(d.status).toBe(200);
    expect(d.body.decision.reviewer).toBe('reviewer1');
    expect(decisionRows(11)).toEqual([{ reviewer: 'reviewer1', decision: 'accept' }]);
    // A populace_reviewer cookie naming someone else is ignored when sign-in is required.
    const r = req('/api/review/decisions', { method: 'POST', body: { personaId: 12, decision: 'accept' }, as: as.reviewer });
    const withCookie = new Request(r, { headers: { ...Object.fromEntries(r.headers), cookie: `${r.headers.get('cookie')}; populace_reviewer=Mallory` } });
    expect((await json(decisions.POST(withCookie, undefined))).body.decision.reviewer).toBe('reviewer1');
    expect((await queue.GET(req('/api/review/queue', { as: as.reviewer }), undefined)).status).toBe(200);
    expect((await users.GET(req('/api/auth/users', { as: as.reviewer }), undefined)).status).toBe(403);
  });

  it('admin may list users (no password hashes) and decide', async () => {
    const u = await json(users.GET(req('/api/auth/users', { as: as.admin }), undefined));
    expect(u.status).toBe(200);
    expect(u.body.users.map((x: any) => x.username)).toEqual(['admin1', 'reviewer1', 'viewer1']);
    expect(JSON.stringify(u.body)).not.toMatch(/\$2[aby]\$/);
    const d = await json(decisions.POST(req('/api/review/decisions', { method: 'POST', body: { personaId: 13, decision: 'reject', reasonCode: 'other' }, as: as.admin }), undefined));
    expect(d.body.decision.reviewer).toBe('admin1');
  });
});

describe('CSRF and Origin', () => {
  const post = (o: Parameters<typeof req>[1]) =>
    json(decisions.POST(req('/api/review/decisions', { method: 'POST', body: { personaId: 20, decision: 'accept' }, as: as.reviewer, ...o }), undefined));

  it('a mutation without the token or with a wrong one is 403 and writes nothing', async () => {
    expect((await post({ csrf: null })).status).toBe(403);
    const wrong = await post({ csrf: 'not-the-token' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('csrf');
    // Another user's token does not do either.
    expect((await post({ csrf: as.admin.csrf })).status).toBe(403);
    expect(decisionRows(20)).toHaveLength(0);
  });

  it('a cross-origin mutation is 403 even with the right token; same origin passes', async () => {
    const x = await post({ origin: 'https://evil.example' });
    expect(x.status).toBe(403);
    expect(x.body.error.code).toBe('cross_origin');
    expect((await post({ origin: 'null' })).status).toBe(403);
    expect((await post({ origin: 'http://localhost' })).status).toBe(200);
  });

  it('sign-in itself refuses a cross-origin post', async () => {
    const r = await signin.POST(req('/api/auth/signin', { method: 'POST', body: { username: 'viewer1', password: PASSWORD }, origin: 'https://evil.example' }), undefined);
    expect(r.status).toBe(403);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After after 5 failures for a username from one address; the owner elsewhere still gets in', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('reviewer1', 'wrong password!', '10.0.1.1')).status).toBe(401);
    const r = await json(signIn('reviewer1', PASSWORD, '10.0.1.1'));
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    // No lock-out: the account's owner on another address signs in.
    expect((await signIn('reviewer1', PASSWORD, '10.0.2.1')).status).toBe(200);
    expect((await signIn('viewer1', PASSWORD, '10.0.1.1')).status).toBe(200);
  });

  it('a stranger cannot lock an admin out: wrong passwords from many addresses only slow the account down', async () => {
    for (let i = 0; i < 12; i++) expect((await signIn('admin1', 'wrong password!', `10.3.0.${i}`)).status).toBe(401);
    expect((await signIn('admin1', PASSWORD, '10.3.1.1')).status).toBe(200);
  });

  it('answers 429 after 20 failures from one address across usernames', async () => {
    for (let i = 0; i < 20; i++) expect((await signIn(`ghost${i}`, 'wrong password!', '10.9.9.9')).status).toBe(401);
    expect((await signIn('viewer1', PASSWORD, '10.9.9.9')).status).toBe(429);
    expect((await signIn('viewer1', PASSWORD, '10.9.9.8')).status).toBe(200);
  });

  it('counts concurrent wrong passwords atomically: 20 at once get exactly 5 checks', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, () => signIn('viewer1', 'wrong password!', '10.4.4.4')));
    const statuses = all.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('refuses passwords longer than 72 bytes instead of comparing their first 72 bytes', async () => {
    const { addAccount } = await import('@/lib/auth/service');
    await expect(addAccount({ username: 'longpw', role: 'viewer', password: 'y'.repeat(73) })).rejects.toThrow(/at most 72 bytes/);
    // A 72-byte password works; the same with more bytes after it is wrong (bcrypt alone would accept it).
    await addAccount({ username: 'pw72', role: 'viewer', password: 'z'.repeat(72) });
    expect((await signIn('pw72', 'z'.repeat(72), '10.5.5.5')).status).toBe(200);
    expect((await signIn('pw72', 'z'.repeat(72) + 'anything', '10.5.5.6')).status).toBe(401);
  });
});

describe('session lifetime', () => {
  it('an expired session is 401', async () => {
    const c = clientFrom(await signIn('viewer1'));
    expect((await personas.GET(req('/api/personas?limit=1', { as: c }), undefined)).status).toBe(200);
    env.db.run(sql`UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE csrf_token = ${c.csrf}`);
    expect((await personas.GET(req('/api/personas?limit=1', { as: c }), undefined)).status).toBe(401);
  });

  it('sign-out ends the session and clears the cookies', async () => {
    const c = clientFrom(await signIn('viewer1'));
    const out = await signout.POST(req('/api/auth/signout', { method: 'POST', as: c }), undefined);
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().some((s) => s.startsWith('populace_session=;') && /Max-Age=0/.test(s))).toBe(true);
    expect((await personas.GET(req('/api/personas?limit=1', { as: c }), undefined)).status).toBe(401);
  });

  it('disabling an account ends its sessions and blocks sign-in', async () => {
    const { addAccount, disableAccount } = await import('@/lib/auth/service');
    await addAccount({ username: 'temp1', role: 'reviewer', password: PASSWORD });
    const c = clientFrom(await signIn('temp1'));
    disableAccount('temp1');
    expect((await personas.GET(req('/api/personas?limit=1', { as: c }), undefined)).status).toBe(401);
    expect((await signIn('temp1')).status).toBe(401);
  });
});
