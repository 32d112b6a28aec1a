import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { StudioPage } from './pages/studio-page';

const baseURL = inject('baseURL');
const artifacts = path.join(process.cwd(), 'test-results', 'e2e');

describe.skipIf(!baseURL)('alignment studio', () => {
  let ctx: BrowserContext;
  let page: Page;
  let studio: StudioPage;
  const errors: string[] = [];
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    ctx = await launchBrowser();
    page = await ctx.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    studio = new StudioPage(page, baseURL);
    await studio.open();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('recomputes metrics and charts when a slider moves by keyboard, and clears the stale marker', async () => {
    const essBefore = await studio.diagnostic('diag-ess');
    const amwBefore = await studio.metricCell('metrics-live-weighted-amw');
    const svgBefore = await studio.marginalsSvg();
    await page.screenshot({ path: path.join(artifacts, 'studio-initial.png'), fullPage: true });

    await studio.pressOnSlider('slider-shift-N', 'ArrowLeft', 6); // N mean shift -0.30
    expect(await page.getByTestId('input-shift-N').inputValue()).toBe('-0.3');
    await studio.waitUpToDate();
    expect(await studio.isStale()).toBe(false);

    expect(await studio.diagnostic('diag-ess')).not.toBe(essBefore);
    expect(await studio.metricCell('metrics-live-weighted-amw')).not.toBe(amwBefore);
    expect(await studio.marginalsSvg()).not.toBe(svgBefore);
    await page.screenshot({ path: path.join(artifacts, 'studio-after-slider.png'), fullPage: true });

    // Reset by keyboard brings the original figures back.
    await page.getByRole('button', { name: 'Reset Neuroticism' }).focus();
    await page.keyboard.press('Enter');
    await studio.waitUpToDate();
    expect(await studio.diagnostic('diag-ess')).toBe(essBefore);
  });

  it('shows a definition with its formula one click away', async () => {
    await page.getByTestId('help-ess').first().click();
    await expect.poll(() => page.getByRole('dialog', { name: /ESS/ }).innerText()).toMatch(/\(Σ w_i\)² \/ Σ w_i²/);
  });

  it('runs a full alignment with progress and lists it', async () => {
    await studio.runAlignment('e2e run');
    await expect.poll(() => studio.runRow('e2e run').count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(async () => studio.runRow('e2e run').innerText(), { timeout: 60_000 }).toMatch(/done/);
    await expect.poll(() => studio.metricCell('metrics-run-resample-amw'), { timeout: 30_000 }).toMatch(/^\d\.\d{4}$/);
    const resample = Number(await studio.metricCell('metrics-run-resample-amw'));
    const raw = Number(await studio.metricCell('metrics-run-raw-amw'));
    expect(resample).toBeLessThan(raw);
    await page.screenshot({ path: path.join(artifacts, 'studio-after-run.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
