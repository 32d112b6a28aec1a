import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { artifacts, baseURL, useBrowserSession } from './browserSession';
import { ExportsPage } from './pages/exportsPage';
import { unzipSync } from 'fflate';
import { GroupsPage } from './pages/groupsPage';

describe.skipIf(!baseURL)('groups and exports', () => {
  const browser = useBrowserSession();
  let page: Page;
  beforeAll(() => {
    page = browser.page;
  });

  it('lists the ready-made groups with respondent counts and the East Asia warning', async () => {
    const groups = new GroupsPage(page, baseURL);
    await groups.open();
    for (const name of ['East Asia', 'North America', 'Europe (Germany, Netherlands, UK)', 'Young adults 18-24']) {
      await expect.poll(() => groups.groupRow(name).count()).toBe(1);
    }
    expect(await groups.groupRow('East Asia').innerText()).toMatch(/176[\s\S]*Few respondents/);
  });

  it('defines a region, aligns the group set and downloads it', async () => {
    const groups = new GroupsPage(page, baseURL);
    await groups.open();
    await groups.pickCountries(['Germany', 'Netherlands']);
    await groups.waitForRespondents(191 + 133);
    await groups.define({ name: 'E2E Germany and Netherlands', regionName: 'DE + NL', description: 'people who work in an office and love cycling', retrieveCount: 120 });
    await groups.save();
    await page.screenshot({ path: path.join(artifacts, 'groups-defined.png'), fullPage: true });
    expect(await page.getByTestId('group-title').innerText()).toBe('E2E Germany and Netherlands');
    expect(await page.getByTestId('group-respondents').innerText()).toBe('324');
    await expect.poll(() => groups.hits().count()).toBeGreaterThan(10);
    expect(await page.getByTestId('hit-why').first().innerText()).toMatch(/^matched /);

    await groups.align();
    expect(await page.getByTestId('coverage-statement').innerText()).toMatch(/cover/);
    const raw = await groups.metric('raw', 'amw');
    const resample = await groups.metric('resample', 'amw');
    expect(resample).toBeGreaterThan(0);
    expect(resample).toBeLessThan(raw);
    await page.screenshot({ path: path.join(artifacts, 'groups-aligned.png'), fullPage: true });

    await groups.goToExport();
    const exportsPage = new ExportsPage(page, baseURL);
    expect(await page.getByTestId('export-group').locator('option:checked').innerText()).toBe('E2E Germany and Netherlands');
    await exportsPage.chooseFormat('csv');
    const id = await exportsPage.create();
    const download = await exportsPage.download(id, 'csv');
    expect(download.suggestedFilename()).toBe(`populace-export-${id}.csv`);
    const file = await download.path();
    const text = readFileSync(file!, 'utf8');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.reduce((a, r) => a + Number(r.count), 0)).toBeGreaterThan(rows.length - 1);

    // the manifest names the group and hashes the very bytes we downloaded
    const m = await exportsPage.download(id, 'manifest');
    const manifest = JSON.parse(readFileSync((await m.path())!, 'utf8'));
    expect(manifest.source.group.name).toBe('E2E Germany and Netherlands');
    expect(manifest.source.group.definition.region).toEqual({ name: 'DE + NL', countries: ['DE', 'NL'] });
    // The set says whose demographics it carries: the personas' own, counted, next to the target's filters.
    const personasByGender = manifest.set.demographics.personas.gender as { value: string; personas: number }[];
    expect(personasByGender.reduce((a, g) => a + g.personas, 0)).toBe(manifest.set.distinct);
    expect(manifest.set.demographics.target.filters.countries).toEqual(['DE', 'NL']);
    expect(manifest.set.demographics.statement).toMatch(/shapes the personas' Big Five traits through the weights; it does not select or balance the personas' own gender, age or country/);
    expect(createHash('sha256').update(readFileSync(file!)).digest('hex')).toBe(manifest.files.csv.sha256);

    // the same export loads into TinyTroupe: a zip of agent specifications, one per row of the CSV
    const zip = await exportsPage.download(id, 'tinytroupe');
    expect(zip.suggestedFilename()).toBe(`populace-export-${id}.tinytroupe.zip`);
    const agents = Object.keys(unzipSync(readFileSync((await zip.path())!))).filter((f) => f.endsWith('.agent.json'));
    expect(agents).toHaveLength(rows.length);
    // and its methods report opens from the list as one printable page
    const [report] = await Promise.all([page.waitForEvent('popup'), page.getByTestId(`methods-${id}`).click()]);
    await report.waitForLoadState();
    expect(await report.locator('h1').innerText()).toMatch(/^Methods report: group "E2E Germany and Netherlands"/);
    expect(await report.locator('svg').count()).toBe(3);
    await report.screenshot({ path: path.join(artifacts, 'methods-report.png'), fullPage: true });
    await report.close();
    await page.screenshot({ path: path.join(artifacts, 'exports.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
  });
});
