import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseURL, useBrowserSession } from './browser-session';
import { StudioPage } from './pages/studio-page';

describe.skipIf(!baseURL)('alignment studio', () => {
  const browser = useBrowserSession();
  let page: Page;
  let studio: StudioPage;
  beforeAll(async () => {
    page = browser.page;
    studio = new StudioPage(page, baseURL);
    await studio.open();
  });

  it('recomputes metrics and charts when a slider moves by keyboard, and clears the stale marker', async () => {
    const essBefore = await studio.diagnostic('diag-ess');
    const amwBefore = await studio.metricCell('metrics-live-weighted-amw');
    const svgBefore = await studio.marginalsSvg();
    await browser.screenshot('studio-initial.png');

    await studio.recordStaleMarker();
    await studio.pressOnSlider('slider-shift-N', 'ArrowLeft', 6); // N mean shift -0.30
    expect(await page.getByTestId('input-shift-N').inputValue()).toBe('-0.3');
    // The marker can still read "up to date" for a moment before the new request is sent: wait for the new figures.
    await expect.poll(() => studio.diagnostic('diag-ess'), { timeout: 30_000 }).not.toBe(essBefore);
    await studio.waitUpToDate();
    expect(await studio.isStale()).toBe(false);
    // The marker went stale while the new figures were computed, and cleared once they were drawn.
    const marks = await studio.staleHistory();
    expect(marks).toContain('true');
    expect(marks.at(-1)).toBe('false');

    expect(await studio.metricCell('metrics-live-weighted-amw')).not.toBe(amwBefore);
    expect(await studio.marginalsSvg()).not.toBe(svgBefore);
    await browser.screenshot('studio-after-slider.png');

    // Reset by keyboard brings the original figures back.
    await page.getByRole('button', { name: 'Reset Neuroticism' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => studio.diagnostic('diag-ess'), { timeout: 30_000 }).toBe(essBefore);
    await studio.waitUpToDate();
    expect(await studio.isStale()).toBe(false);
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
    await browser.screenshot('studio-after-run.png');
    expect(browser.errors).toEqual([]);
  });
});
