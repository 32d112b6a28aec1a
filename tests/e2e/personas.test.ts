/** The persona browser: full-text search and filters kept in the URL, a virtualised table that loads more on scroll. */
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { artifacts, baseURL, useBrowserSession } from './browserSession';
import { PersonasPage } from './pages/personasPage';


describe.skipIf(!baseURL)('persona browser', () => {
  const session = useBrowserSession();

  it('searches and filters through the URL, scrolls a virtualised list and opens a persona', async () => {
    const page = session.page;
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const screen = new PersonasPage(page, baseURL);
    await screen.open();
    expect(await screen.total()).toBe(2328);
    // Virtualised: only the rows in view (plus overscan) are in the DOM; scrolling loads the next server page.
    expect((await screen.visibleIds()).length).toBeLessThan(40);
    const loaded = await screen.loadedCount();
    await screen.scrollTableToBottom();
    await page.waitForFunction((n) => {
      const t = [...document.querySelectorAll('p')].find((p) => p.textContent?.includes('loaded'))?.textContent ?? '';
      return Number(/·\s*([\d,]+) loaded/.exec(t)?.[1]?.replace(/,/g, '')) > n;
    }, loaded);

    const db = openDatabase(path.join(inject('dataDir'), 'populace.db'));
    const shellfish = db.$client.prepare("SELECT count(*) n FROM personas WHERE narrative LIKE '%shellfish%'").get() as { n: number };
    const shellfishFlagged = db.$client.prepare("SELECT count(*) n FROM personas WHERE narrative LIKE '%shellfish%' AND status = 'flagged'").get() as { n: number };
    db.$client.close();

    await screen.search('shellfish');
    await screen.waitForTotal(shellfish.n);
    await screen.toggle('filter-status-flagged');
    await screen.waitForTotal(shellfishFlagged.n);
    expect(screen.url()).toContain('q=shellfish');
    expect(screen.url()).toContain('status=flagged');
    await page.screenshot({ path: path.join(artifacts, 'personas-filtered.png'), fullPage: true });

    // The URL is the view: opening it fresh shows the same result.
    const shared = screen.url();
    await page.goto(shared, { waitUntil: 'networkidle' });
    await screen.waitForTotal(shellfishFlagged.n);
    expect((await page.getByTestId('search').inputValue())).toBe('shellfish');

    const [first] = await screen.visibleIds();
    await screen.openPersona(first!);
    expect(await page.getByTestId('persona-narrative').innerText()).toMatch(/shellfish/i);
    await page.getByTestId('duplicate-flag').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'persona-page.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
