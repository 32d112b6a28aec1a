/**
 * The policy analyst's journey on the visual group builder, in Chromium against the built app and the seeded
 * database: countries chosen on the map by click, by keyboard and by dragging a rectangle, ages brushed on the
 * pyramid, a gender toggled, counts and trait differences following every change, the selection in the address,
 * the group saved, and the same selection found after a reload; screenshots at 1440 and 390 px.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifacts, baseURL, useBrowserSession } from './browserSession';
import { GroupsPage } from './pages/groupsPage';

describe.skipIf(!baseURL)('visual group builder', () => {
  const browser = useBrowserSession();
  let page: Page;
  beforeAll(() => {
    page = browser.page;
  });
  const count = async () => Number(await page.getByTestId('respondent-count').getAttribute('data-value'));
  const waitCount = (n: number) => page.waitForSelector(`[data-testid="respondent-count"][data-value="${n}"]`, { timeout: 10_000 });

  it('selects on the map and the pyramid, saves, and restores the selection from the address', async () => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    const groups = new GroupsPage(page, baseURL);
    await groups.openNew();
    expect(await count()).toBe(19_718);
    const legend = await page.getByTestId('builder-map-legend').innerText();
    expect(legend).toMatch(/Respondents per country/);
    expect(legend).toMatch(/hatched: fewer than 100 respondents/);

    // click Germany, then Netherlands from the keyboard
    await groups.mapCountry('DE').click();
    await waitCount(191);
    expect(await groups.mapCountry('DE').getAttribute('aria-label')).toBe('Germany: 191 respondents, selected');
    await groups.mapCountry('NL').focus();
    await page.keyboard.press('Enter');
    await waitCount(324);
    expect(await groups.mapCountry('NL').getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press(' ');
    await waitCount(191);
    await page.keyboard.press(' ');
    await waitCount(324);
    // a rectangle around the United Kingdom adds it (and whatever else has its centre inside)
    await groups.dragAround(['GB']);
    await expect.poll(() => groups.mapCountry('GB').getAttribute('data-selected')).toBe('true');
    const withGb = await count();
    expect(withGb).toBeGreaterThanOrEqual(324 + 1531);
    expect(await page.getByTestId('selected-countries').innerText()).toMatch(/United Kingdom: 1531/);
    const selectedCodes = await page.getByTestId('builder-map').locator('path[data-selected="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')).sort());

    // brush ages 50 and over on the pyramid, then women only
    await groups.brushAges('50-54', '70+');
    await expect.poll(() => page.getByTestId('age-min-value').innerText()).toBe('50');
    expect(await page.getByTestId('age-max-value').innerText()).toBe('100');
    const over50 = await count();
    expect(over50).toBeLessThan(withGb);
    await page.getByTestId('gender-female').click();
    await expect.poll(count).toBeLessThan(over50);
    const women = await count();
    expect(women).toBeGreaterThan(0);
    expect(await page.getByTestId('trait-diff-C').innerText()).toMatch(/^[+−±]\d\.\d\d vs all respondents$/);
    expect(await page.getByTestId('respondent-warning').first().innerText()).toMatch(/Only \d+ respondents match|thinly represented/);
    // the address carries the selection
    const url = new URL(page.url());
    expect(url.searchParams.get('age')).toBe('50-');
    expect(url.searchParams.get('gender')).toBe('female');
    expect(url.searchParams.get('countries')!.split(',').sort()).toEqual(selectedCodes);
    const ms = Number(await page.getByTestId('respondent-count').getAttribute('data-compute-ms'));
    process.stdout.write(`group builder: last update computed in ${ms.toFixed(2)} ms in Chromium\n`);
    await page.screenshot({ path: path.join(artifacts, 'group-builder-1440.png'), fullPage: true });

    // the keyboard alternative of the brush: the oldest-age range input
    await page.getByTestId('age-max').focus();
    await page.keyboard.press('End');
    expect(await page.getByTestId('age-max-value').innerText()).toBe('100');

    await page.getByTestId('group-name').fill('E2E Women over 50 in Western Europe');
    await page.getByTestId('group-description').fill('retired teachers who garden');
    await groups.save();
    await page.getByTestId('group-thumbnail').waitFor();
    expect((await page.getByTestId('group-thumbnail').getAttribute('data-countries'))!.split(',').sort()).toEqual(selectedCodes);
    expect(await page.getByTestId('group-respondents').innerText()).toBe(String(women));

    // the group page's address round-trips: reload, open the definition, same selection and count
    await expect.poll(() => new URL(page.url()).searchParams.get('gender')).toBe('female');
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.getByTestId('group-url-unsaved').count()).toBe(0);
    await page.getByTestId('group-edit').locator(':scope > summary').click();
    await waitCount(women);
    expect(await page.getByTestId('gender-female').getAttribute('aria-pressed')).toBe('true');
    for (const c of selectedCodes) expect(await groups.mapCountry(c!).getAttribute('data-selected')).toBe('true');

    // an edit that changes the definition is confirmed, and the retrieved personas are marked stale until redone
    await page.getByTestId('gender-male').click();
    await expect.poll(count).toBeGreaterThan(women);
    await page.getByTestId('save-group').click();
    await page.getByTestId('group-saved').waitFor();
    expect(await page.getByTestId('group-saved').innerText()).toMatch(/human target changed/);
    await page.getByTestId('group-stale').waitFor();
    await page.getByTestId('stale-retrieve').click();
    await expect.poll(() => page.getByTestId('group-stale').count(), { timeout: 20_000 }).toBe(0);

    // a shared address restores the builder
    await groups.openNew('?countries=DE,NL&age=50-99&gender=female');
    await waitCount(5);
    expect(await groups.mapCountry('NL').getAttribute('aria-label')).toBe('Netherlands: 133 respondents, selected');

    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: path.join(artifacts, 'group-builder-390.png'), fullPage: true });
    await page.goBack({ waitUntil: 'networkidle' });
    await page.getByTestId('group-thumbnail').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'group-page-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.screenshot({ path: path.join(artifacts, 'group-page-1440.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
  });

  it('a group id that names no group says so', async () => {
    await page.goto(`${baseURL}/groups/999`, { waitUntil: 'networkidle' });
    expect(await page.getByTestId('group-missing').innerText()).toMatch(/There is no group with id 999/);
    await page.goto(`${baseURL}/exports?group=999`, { waitUntil: 'networkidle' });
    expect(await page.getByTestId('export-group-missing').innerText()).toMatch(/There is no group with id 999/);
  });

  it('says when the persona filters leave too few personas and offers the LLM revision step', async () => {
    await page.goto(`${baseURL}/groups`, { waitUntil: 'networkidle' });
    // Women aged 50+ among the personas: far fewer than the 200 asked for.
    const created = await page.evaluate(async () => {
      const res = await fetch('/api/groups', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'E2E older women (personas)',
          definition: { reference: {}, personas: { filters: { ageBands: ['50+'], genders: ['female'], countries: [], sources: [] }, retrieveCount: 200 } },
        }),
      });
      return { status: res.status, body: await res.json() };
    });
    expect(created.status).toBe(200);
    await page.goto(`${baseURL}/groups/${created.body.id ?? created.body.group?.id}`, { waitUntil: 'networkidle' });
    const notice = page.getByTestId('too-few-personas');
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.innerText()).toMatch(/^Only \d+ of the 200 personas asked for qualify/);
    const hits = Number((await notice.innerText()).match(/^Only (\d+)/)![1]);
    expect(hits).toBeLessThan(200);
    await page.getByTestId('select-all-for-revision').click();
    expect(await page.getByTestId('revise-selected').innerText()).toBe(`Revise selected (${Math.min(hits, 200)}) to fit the group`);
  });
});
