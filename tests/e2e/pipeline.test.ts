/**
 * The pipeline screen in the built app. The app is served without LLM variables, so this covers the no-LLM notice,
 * the disabled LLM actions and a posts import through the browser; the LLM flows are covered by the integration
 * tests against the local fake OpenAI-compatible server.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { PipelinePage } from './pages/pipeline-page';

const baseURL = inject('baseURL');
const artifacts = path.join(process.cwd(), 'test-results', 'e2e');

describe.skipIf(!baseURL)('pipeline screen', () => {
  let ctx: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    ctx = await launchBrowser();
    page = await ctx.newPage();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('explains the missing LLM, disables LLM actions, and imports a posts file with a bad-row report', async () => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const screen = new PipelinePage(page, baseURL);
    await screen.open();
    await expect.poll(() => screen.llmStatus().innerText()).toMatch(/No LLM server is configured/);
    expect(await screen.llmStatus().innerText()).toMatch(/LLM_BASE_URL/);
    for (const f of ['generate', 'measure', 'baseline'] as const) expect(await screen.submit(f).isDisabled()).toBe(true);

    await screen.importPosts(path.join(process.cwd(), 'tests/fixtures/posts/posts.csv'), 'e2e-posts');
    expect(await screen.reportNumber('import-imported')).toBe(98);
    expect(await screen.reportNumber('import-bad')).toBe(4);
    expect(await screen.badRows().count()).toBe(4);
    expect(await screen.badRows().first().innerText()).toMatch(/100\s+author_id/);
    await screen.sourceRow('e2e-posts').waitFor();
    expect(await page.getByTestId('post-source-e2e-posts-posts').innerText()).toBe('98');
    await page.screenshot({ path: path.join(artifacts, 'pipeline.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
