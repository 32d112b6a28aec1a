/**
 * Sign-in in the browser: the real app served as `npm start` serves it (lib/server/http.ts) with
 * POPULACE_AUTH=required, on its own port and data folder (the build the e2e setup made current).
 * - A reviewer: pages redirect to /signin and back; a wrong password shows the message; the NavBar shows the user and
 *   role; the review screen names the account (no name field); screens' fetch() mutations carry the CSRF token and the
 *   reviewer comes from the session; sign-out ends the session.
 * - A viewer: the review, studio and exports screens are read-only (controls disabled, a note says why) and the API
 *   refuses a decision and the account list.
 * - An admin: lists the accounts (accounts are created from the CLI).
 * - The per-address sign-in limit holds when a client forges X-Forwarded-For (the server replaces the header).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/db/client';
import { useSeededDatabase, type TestDatabase } from '../support/db';
import { startAppServer, type AppServer } from '../support/server';
import { baseURL as sharedURL, useBrowserSession } from './browserSession';
import { SignInPage } from './pages/signInPage';

const PASSWORD = 'e2e password long';

describe.skipIf(!sharedURL)('sign-in when the server requires it', () => {
  const s = useBrowserSession();
  let env: TestDatabase;
  let app: AppServer | undefined;
  let url = '';

  beforeAll(async () => {
    const saved = process.env.POPULACE_BCRYPT_COST;
    process.env.POPULACE_BCRYPT_COST = '4';
    env = useSeededDatabase();
    const { addAccount } = await import('@/lib/auth/service');
    for (const role of ['viewer', 'reviewer', 'admin'] as const) await addAccount({ username: `e2e-${role}`, role, password: PASSWORD });
    if (saved === undefined) delete process.env.POPULACE_BCRYPT_COST;
    else process.env.POPULACE_BCRYPT_COST = saved;
    closeDb();
    app = await startAppServer({ dataDir: env.dir, env: { POPULACE_AUTH: 'required' }, timeoutMs: 90_000 });
    url = app.url;
  });
  afterAll(async () => {
    await app?.stop();
    env?.cleanup();
  });

  /** POST from inside the page (same origin, CSRF header added by the app's fetch wrapper): [status, body]. */
  const postFromPage = (path: string, body: unknown) =>
    s.page.evaluate(
      async ([p, b]) => {
        const res = await fetch(p as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
        return [res.status, await res.json()] as [number, Record<string, unknown>];
      },
      [path, body] as const,
    );

  const getFromPage = (path: string) =>
    s.page.evaluate(async (p) => {
      const res = await fetch(p);
      return [res.status, await res.json()] as [number, Record<string, unknown>];
    }, path);

  it('reviewer: redirects to sign-in, signs in, decides through the screen fetch, and signs out', async () => {
    const page = s.page;
    const signin = new SignInPage(page, url);
    await page.goto(`${url}/review`);
    expect(page.url()).toBe(`${url}/signin?next=%2Freview`);

    await signin.signIn('e2e-reviewer', 'not the password');
    expect(await signin.error()).toMatch(/Wrong username or password/);

    await signin.signIn('e2e-reviewer', PASSWORD);
    await page.waitForURL(`${url}/review`);
    expect(await signin.signedInAs()).toBe('e2e-reviewer (reviewer)');
    // The review screen names the account; there is no name to type or change.
    expect(await page.getByTestId('reviewer-name').textContent()).toBe('e2e-reviewer');
    expect(await page.getByTestId('reviewer-input').count()).toBe(0);
    expect(await page.getByTestId('reviewer-change').count()).toBe(0);
    await page.getByTestId('review-card').waitFor();
    expect(await page.getByTestId('accept').isEnabled()).toBe(true);
    await s.screenshot('auth-signed-in.png');

    const [status, body] = await postFromPage('/api/review/decisions', { personaId: 1, decision: 'accept', reviewer: 'Mallory' });
    expect(status).toBe(200);
    expect((body.decision as { reviewer: string }).reviewer).toBe('e2e-reviewer');

    await signin.signOut();
    await page.goto(`${url}/personas`);
    expect(page.url()).toBe(`${url}/signin?next=%2Fpersonas`);
  });

  it('viewer: screens are read-only and the API refuses changes', async () => {
    const page = s.page;
    const signin = new SignInPage(page, url);
    await page.goto(`${url}/review`);
    await signin.signIn('e2e-viewer', PASSWORD);
    await page.waitForURL(`${url}/review`);
    expect(await signin.signedInAs()).toBe('e2e-viewer (viewer)');
    await page.getByTestId('read-only-note').waitFor();
    expect(await page.getByTestId('read-only-note').textContent()).toMatch(/viewer role.*reviewing needs the reviewer or admin role/);
    expect(await page.getByTestId('review-card').count()).toBe(0);
    expect(await page.getByTestId('accept').count()).toBe(0);
    expect(await page.getByTestId('reviewer-input').count()).toBe(0);
    await s.screenshot('auth-viewer-review.png');

    await page.goto(`${url}/studio`);
    await page.getByTestId('run-alignment').waitFor();
    expect(await page.getByTestId('run-alignment').isDisabled()).toBe(true);
    expect(await page.getByTestId('save-target').isDisabled()).toBe(true);
    expect(await page.getByTestId('read-only-note').first().textContent()).toMatch(/viewer role/);

    await page.goto(`${url}/exports`);
    await page.getByTestId('create-export').waitFor();
    expect(await page.getByTestId('create-export').isDisabled()).toBe(true);

    const [decisionStatus] = await postFromPage('/api/review/decisions', { personaId: 2, decision: 'reject' });
    expect(decisionStatus).toBe(403);
    const [usersStatus] = await getFromPage('/api/auth/users');
    expect(usersStatus).toBe(403);
    await signin.signOut();
  });

  it('admin: lists the accounts (viewers and reviewers may not)', async () => {
    const page = s.page;
    const signin = new SignInPage(page, url);
    await page.goto(`${url}/`);
    await signin.signIn('e2e-admin', PASSWORD);
    await page.waitForURL(`${url}/`);
    expect(await signin.signedInAs()).toBe('e2e-admin (admin)');
    const [status, body] = await getFromPage('/api/auth/users');
    expect(status).toBe(200);
    expect((body.users as { username: string; role: string }[]).map((u) => `${u.username}:${u.role}`).sort()).toEqual(['e2e-admin:admin', 'e2e-reviewer:reviewer', 'e2e-viewer:viewer']);
    await signin.signOut();
  });

  it('a forged X-Forwarded-For does not escape the per-address sign-in limit', async () => {
    const attempt = (username: string, password: string, forged: string) =>
      fetch(`${url}/api/auth/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forged, 'x-real-ip': forged },
        body: JSON.stringify({ username, password }),
      }).then((r) => r.status);
    // Twenty failures for unknown names, each claiming another address (earlier failures in this file count too).
    for (let i = 0; i < 20; i++) expect([401, 429]).toContain(await attempt(`ghost-${i}`, 'wrong password!', `203.0.113.${i + 1}`));
    // Right credentials, yet another claimed address: still the same client, so still limited.
    expect(await attempt('e2e-admin', PASSWORD, '198.51.100.7')).toBe(429);
  });
});
