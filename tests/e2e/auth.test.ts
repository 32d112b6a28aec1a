/**
 * Sign-in in the browser: the real app started with POPULACE_AUTH=required on its own port and data folder (the
 * build the e2e setup made current). Pages redirect to /signin and back; a wrong password shows the message; the
 * NavBar shows the user and role; screens' fetch() mutations carry the CSRF token; sign-out ends the session.
 * It waits on the public GET /api/auth/session, since /api/health needs a session when sign-in is required.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/db/client';
import { useSeededDatabase, type TestDatabase } from '../support/db';
import { freePort } from '../support/server';
import { baseURL as sharedURL, useBrowserSession } from './browser-session';
import { SignInPage } from './pages/signin-page';

const PASSWORD = 'e2e password long';

describe.skipIf(!sharedURL)('sign-in when the server requires it', () => {
  const s = useBrowserSession();
  let env: TestDatabase;
  let child: ChildProcess | undefined;
  let url = '';
  let log = '';

  beforeAll(async () => {
    const saved = process.env.POPULACE_BCRYPT_COST;
    process.env.POPULACE_BCRYPT_COST = '4';
    env = useSeededDatabase();
    const { addAccount } = await import('@/lib/auth/service');
    await addAccount({ username: 'e2e-reviewer', role: 'reviewer', password: PASSWORD });
    if (saved === undefined) delete process.env.POPULACE_BCRYPT_COST;
    else process.env.POPULACE_BCRYPT_COST = saved;
    closeDb();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const nextBin = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');
    child = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], {
      env: { ...process.env, POPULACE_DATA_DIR: env.dir, POPULACE_DB: '', POPULACE_AUTH: 'required', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`next start exited\n${log}`);
      try {
        if ((await fetch(`${url}/api/auth/session`)).ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`the app did not answer in time\n${log}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child!.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    env?.cleanup();
  });

  it('redirects to sign-in, signs in, decides through the screen fetch, and signs out', async () => {
    const page = s.page;
    const signin = new SignInPage(page, url);
    await page.goto(`${url}/review`);
    expect(page.url()).toBe(`${url}/signin?next=%2Freview`);

    await signin.signIn('e2e-reviewer', 'not the password');
    expect(await signin.error()).toMatch(/Wrong username or password/);

    await signin.signIn('e2e-reviewer', PASSWORD);
    await page.waitForURL(`${url}/review`);
    expect(await signin.signedInAs()).toBe('e2e-reviewer (reviewer)');
    await s.screenshot('auth-signed-in.png');

    const [status, reviewer] = await page.evaluate(async () => {
      const res = await fetch('/api/review/decisions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ personaId: 1, decision: 'accept', reviewer: 'Mallory' }),
      });
      return [res.status, ((await res.json()) as { decision?: { reviewer: string } }).decision?.reviewer];
    });
    expect(status).toBe(200);
    expect(reviewer).toBe('e2e-reviewer');

    await signin.signOut();
    await page.goto(`${url}/personas`);
    expect(page.url()).toBe(`${url}/signin?next=%2Fpersonas`);
  });
});
