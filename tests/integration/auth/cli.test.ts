/** `populace users`: add, list, disable, set-password against a fresh database file (spawned CLI). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'populace-users-'));
const db = join(dir, 'populace.db');
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(tsx, [join(root, 'lib/cli/main.ts'), 'users', ...args], {
    cwd: root,
    encoding: 'utf8',
    input: '',
    env: { ...process.env, POPULACE_DB: db, NODE_ENV: 'test', POPULACE_BCRYPT_COST: '4', POPULACE_PASSWORD: '', ...env },
  });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('populace users', () => {
  it('adds, lists, disables and sets passwords; refuses short passwords, bad roles and duplicates', () => {
    const short = cli(['add', '--username', 'ada', '--role', 'reviewer'], { POPULACE_PASSWORD: 'short' });
    expect(short.status).not.toBe(0);
    expect(short.stderr).toMatch(/at least 10/);
    expect(cli(['add', '--username', 'ada', '--role', 'king'], { POPULACE_PASSWORD: 'long enough pw' }).stderr).toMatch(/--role/);
    const add = cli(['add', '--username', 'ada', '--role', 'reviewer'], { POPULACE_PASSWORD: 'long enough pw' });
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/added ada \(reviewer\)/);
    expect(cli(['add', '--username', 'ada', '--role', 'admin'], { POPULACE_PASSWORD: 'long enough pw' }).stderr).toMatch(/already exists/);
    expect(cli(['list']).stdout).toMatch(/^ada\treviewer\tactive\t/m);
    expect(cli(['set-password', '--username', 'ada'], { POPULACE_PASSWORD: 'another long pw' }).status).toBe(0);
    expect(cli(['disable', '--username', 'ada']).status).toBe(0);
    expect(cli(['list']).stdout).toMatch(/^ada\treviewer\tdisabled\t/m);
    expect(cli(['disable', '--username', 'nobody']).stderr).toMatch(/No user named/);
  }, 60_000);
});
