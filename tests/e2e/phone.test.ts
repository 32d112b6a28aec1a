/**
 * Every screen at phone width (390 x 844, a common phone): no page wider than the screen (nothing to scroll
 * sideways), the navigation behind the "Menu" disclosure, the skip link first in the tab order, and a screenshot of
 * each screen in test-results/e2e/phone-*.png.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifacts, baseURL, useBrowserSession } from './browserSession';

const SCREENS: [string, string][] = [
  ['workspace', '/'],
  ['studio', '/studio'],
  ['runs', '/studio/runs'],
  ['personas', '/personas'],
  ['persona', '/personas/1'],
  ['review', '/review'],
  ['pipeline', '/pipeline'],
  ['groups', '/groups'],
  ['group-new', '/groups/new'],
  ['exports', '/exports'],
  ['reviewers', '/reviewers'],
];

describe.skipIf(!baseURL)('phone layout', () => {
  const session = useBrowserSession();

  it('every screen fits 390 px without sideways scrolling, with a menu and a skip link', async () => {
    const page = session.page;
    await page.setViewportSize({ width: 390, height: 844 });
    const wide: string[] = [];
    for (const [name, url] of SCREENS) {
      await page.goto(`${baseURL}${url}`, { waitUntil: 'networkidle' });
      // The widest element decides: the document must not scroll sideways.
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 391) wide.push(`${url}: ${width} px`);
      await page.screenshot({ path: path.join(artifacts, `phone-${name}.png`), fullPage: true });
    }
    expect(wide).toEqual([]);

    // The navigation: links hidden behind "Menu", which opens them.
    await page.goto(`${baseURL}/`, { waitUntil: 'networkidle' });
    expect(await page.getByTestId('nav-personas').first().isVisible()).toBe(false);
    await page.getByTestId('nav-menu').locator('summary').click();
    await page.getByRole('link', { name: 'Personas', exact: true }).last().click();
    await page.waitForURL(`${baseURL}/personas`);
    // On a fresh load the skip link is the first stop and moves focus to the page's content.
    await page.goto(`${baseURL}/personas`, { waitUntil: 'networkidle' });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => location.hash)).toBe('#main');
    expect(await page.title()).toBe('Personas · Populace');
    expect(session.errors).toEqual([]);

    // The not-found page (answered with status 404, which the browser logs) fits too.
    const res = await page.goto(`${baseURL}/personas/999999`, { waitUntil: 'networkidle' });
    expect(res?.status()).toBe(404);
    expect(await page.getByTestId('persona-not-found').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(391);
    await page.screenshot({ path: path.join(artifacts, 'phone-not-found.png'), fullPage: true });
  });
});
