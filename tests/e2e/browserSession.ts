/** Shared set-up of the browser tests: one fresh Chromium profile per file, console errors collected, screenshots. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchBrowser } from '../support/browser';

/** The app under test ('' when browser tests are skipped). */
export const baseURL = inject('baseURL');
/** Where screenshots are kept as test artifacts. */
export const artifacts = path.join(process.cwd(), 'test-results', 'e2e');

export interface BrowserSession {
  readonly page: Page;
  /** Console errors and uncaught page errors seen so far. */
  readonly errors: string[];
  screenshot(name: string): Promise<void>;
}

/** Call inside a describe: opens Chromium before the tests and closes it after. */
export function useBrowserSession(): BrowserSession {
  let ctx: BrowserContext | undefined;
  let page: Page | undefined;
  const errors: string[] = [];
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    ctx = await launchBrowser();
    page = await ctx.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} [${m.location().url}]`);
    });
    page.on('pageerror', (e) => errors.push(String(e)));
  });
  afterAll(async () => {
    await ctx?.close();
  });
  return {
    get page() {
      if (!page) throw new Error('the browser is not open yet');
      return page;
    },
    errors,
    async screenshot(name: string) {
      await page?.screenshot({ path: path.join(artifacts, name), fullPage: true });
    },
  };
}
