/**
 * The data access layer without the server's front door: every page, called as Next.js calls it, refuses to render
 * (redirects to /signin) when sign-in is required and the request has no live session: no cookie, a forged one, or
 * the token of a session that signed out. With a live session the page renders its data (so the check can fail).
 * next/headers is replaced by the request's cookies and path; everything else (database, sessions) is real.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { useSeededDatabase, type TestDatabase } from '../../support/db';
import { renderedText } from '../../support/reactText';

const jar = new Map<string, string>();
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined) }),
  headers: async () => new Headers({ 'x-populace-path': '/personas/2' }),
}));

const CANARY = 'Canary narrative 7f3e only for the access test';
let env: TestDatabase;
const saved = process.env.POPULACE_AUTH;

function pages(dir = path.join(process.cwd(), 'app')): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pages(p));
    else if (name === 'page.tsx') out.push(p);
  }
  return out.sort();
}

async function render(file: string) {
  const mod = (await import(/* @vite-ignore */ file)) as { default: (props: unknown) => unknown };
  const params = Promise.resolve({ id: '2', reviewer: 'nobody' });
  return mod.default({ params, searchParams: Promise.resolve({}) });
}

const redirectTarget = (e: unknown) => String((e as { digest?: string }).digest ?? e);

beforeAll(async () => {
  process.env.POPULACE_AUTH = 'required';
  process.env.POPULACE_BCRYPT_COST = '4';
  env = useSeededDatabase();
  env.db.run(sql`UPDATE personas SET narrative = ${CANARY} WHERE id = 2`);
  const { addAccount } = await import('@/lib/auth/service');
  await addAccount({ username: 'dal-viewer', role: 'viewer', password: 'a long password' });
});
afterAll(() => {
  env.cleanup();
  delete process.env.POPULACE_BCRYPT_COST;
  if (saved === undefined) delete process.env.POPULACE_AUTH;
  else process.env.POPULACE_AUTH = saved;
});

describe('pages check access before reading data', () => {
  const all = pages().filter((p) => !p.includes(`${path.sep}signin${path.sep}`));

  it('finds every screen', () => {
    expect(all.length).toBeGreaterThanOrEqual(13);
  });

  it('every page redirects to /signin without a session, with a forged cookie and with a signed-out token', async () => {
    const { signIn } = await import('@/lib/auth/service');
    const { endSession } = await import('@/lib/auth/session');
    const s = await signIn({ username: 'dal-viewer', password: 'a long password' }, new Headers({ 'x-forwarded-for': '10.0.0.9' }));
    endSession(s.token);
    for (const cookie of [null, 'forged-value', s.token]) {
      jar.clear();
      if (cookie !== null) jar.set('populace_session', cookie);
      for (const file of all) {
        const err = await Promise.resolve()
          .then(() => render(file))
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(err, `${path.relative(process.cwd(), file)} rendered without a session (cookie ${cookie})`).not.toBeNull();
        expect(redirectTarget(err)).toContain('/signin?next=%2Fpersonas%2F2');
      }
    }
  });

  it('renders the data with a live session', async () => {
    const { signIn } = await import('@/lib/auth/service');
    const s = await signIn({ username: 'dal-viewer', password: 'a long password' }, new Headers({ 'x-forwarded-for': '10.0.0.9' }));
    jar.clear();
    jar.set('populace_session', s.token);
    const tree = await render(path.join(process.cwd(), 'app', 'personas', '[id]', 'page.tsx'));
    // the narrative is rendered by a child server component (PersonaOverview), resolved as Next.js resolves it
    expect(await renderedText(tree)).toContain(CANARY);
  });
});
