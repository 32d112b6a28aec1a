/**
 * The pipeline screen in the built app. The app is served without LLM variables, so this covers the no-LLM notice,
 * the disabled LLM actions and a posts import through the browser; the LLM flows are covered by the integration
 * tests against the local fake OpenAI-compatible server.
 */
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { artifacts, baseURL, useBrowserSession } from './browserSession';
import { PipelinePage } from './pages/pipelinePage';


describe.skipIf(!baseURL)('pipeline screen', () => {
  const session = useBrowserSession();

  it('explains the missing LLM, disables LLM actions, and imports a posts file with a bad-row report', async () => {
    const page = session.page;
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const screen = new PipelinePage(page, baseURL);
    await screen.open();
    await expect.poll(() => screen.llmStatus().innerText()).toMatch(/No LLM server is configured/);
    expect(await screen.llmStatus().innerText()).toMatch(/LLM_BASE_URL/);
    for (const f of ['generate', 'measure', 'baseline', 'demographics'] as const) expect(await screen.submit(f).isDisabled()).toBe(true);

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
