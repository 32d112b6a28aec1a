/**
 * Debian's Chromium driven through playwright-core. Browser tests call `findChromium()`; when it is missing they
 * are skipped with one line saying how to install it, except under CI=true where a missing browser fails.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export const INSTALL_HINT = 'Chromium not found: browser tests skipped. Install it with `sudo apt-get install -y chromium` (or set CHROMIUM_PATH).';

export function findChromium(): string | null {
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Whether browser tests can run; prints the hint once when they cannot, and throws under CI. */
export function browserAvailable(): boolean {
  const found = findChromium();
  if (found) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${INSTALL_HINT}`);
  process.stdout.write(INSTALL_HINT + '\n');
  return false;
}

/** A fresh headless Chromium profile. */
export async function launchBrowser(): Promise<BrowserContext> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(INSTALL_HINT);
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'populace-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
