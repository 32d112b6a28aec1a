/**
 * Browser tests run against the built app served as `npm start` serves it (`populace serve --no-build`) on a free port with a fresh database.
 * Without Chromium (and outside CI) nothing is started and the browser tests skip themselves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureBuilt } from '../../lib/cli/build';
import { browserAvailable } from '../support/browser';
import { appServerCommand, freePort } from '../support/server';
import { acquireBuildLock } from '../support/lock';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    dataDir: string;
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer ${url}/api/health within ${timeoutMs} ms`);
}

export default async function setup(project: TestProject) {
  if (!browserAvailable()) {
    project.provide('baseURL', '');
    project.provide('dataDir', '');
    return;
  }
  const release = await acquireBuildLock({ removeStale: true });
  try {
    return await startApp(project, release);
  } catch (e) {
    release();
    throw e;
  }
}

async function startApp(project: TestProject, release: () => void) {
  ensureBuilt();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'populace-e2e-'));
  const port = await freePort();
  const [cmd, args] = appServerCommand(process.cwd(), '127.0.0.1', port);
  const child = spawn(cmd, args, {
    env: { ...process.env, POPULACE_DATA_DIR: dataDir, POPULACE_DB: '', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const baseURL = `http://localhost:${port}`;
  try {
    await waitForHealth(baseURL, child, 90_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${log}`);
  }
  project.provide('baseURL', baseURL);
  project.provide('dataDir', dataDir);
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    release();
  };
}
