import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseURL, useBrowserSession } from './browserSession';
import { StudioPage } from './pages/studioPage';
import { StudioRunsPage } from './pages/studioRunsPage';

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

  it('redraws FD, SW, MMD and the scatter on every edit, and says "Up to date" only once they show the new target', async () => {
    // Tall enough that every live panel is on screen (off-screen chart cards are not laid out).
    await page.setViewportSize({ width: 1280, height: 4200 });
    await studio.waitUpToDate();
    const CELLS = ['metrics-live-weighted-fd', 'metrics-live-weighted-sw', 'metrics-live-weighted-mmd', 'metrics-live-raw-fd', 'metrics-live-raw-sw', 'metrics-live-raw-mmd'];
    // At every change of the stale marker, what the last panels show at that moment.
    await page.evaluate((cells) => {
      const el = document.querySelector('[data-testid="stale-marker"]')!;
      const snap = () => ({
        stale: el.getAttribute('data-stale') ?? '',
        cells: cells.map((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''),
        scatter: document.querySelector('[data-testid="chart-scatter"] svg')?.innerHTML ?? '',
      });
      const w = window as Window & { __marks?: ReturnType<typeof snap>[]; __snap?: typeof snap };
      w.__snap = snap;
      w.__marks = [snap()];
      new MutationObserver(() => w.__marks!.push(snap())).observe(el, { attributes: true, attributeFilter: ['data-stale'] });
    }, CELLS);
    type Snap = { stale: string; cells: string[]; scatter: string };
    const before = (await page.evaluate(() => (window as Window & { __marks?: Snap[] }).__marks![0]!)) as Snap;
    expect(before.stale).toBe('false');
    expect(before.scatter).toContain('<circle');
    await studio.pressOnSlider('slider-shift-E', 'ArrowRight', 4); // E mean shift +0.20
    await expect.poll(async () => (await studio.isStale()) === false && (await page.evaluate(() => (window as Window & { __marks?: Snap[] }).__marks!.length)) > 1, { timeout: 30_000 }).toBe(true);
    await page.waitForTimeout(1000); // nothing deferred may arrive after "Up to date"
    const marks = (await page.evaluate(() => (window as Window & { __marks?: Snap[] }).__marks!)) as Snap[];
    const final = (await page.evaluate(() => (window as Window & { __snap?: () => Snap }).__snap!())) as Snap;
    expect(marks.map((m) => m.stale)).toContain('true');
    // The new target's figures differ from the old ones in every cell and in the scatter, except the weighted pool's FD:
    // the live calibration matches the target's means and covariances, which are all FD depends on, so it reads 0 on
    // every target (to four decimals) ...
    final.cells.forEach((c, i) => {
      if (CELLS[i] === 'metrics-live-weighted-fd') expect(c, CELLS[i]).toBe('0.0000');
      else expect(c, CELLS[i]).not.toBe(before.cells[i]);
    });
    expect(before.cells[0]).toBe('0.0000');
    expect(final.scatter).not.toBe(before.scatter);
    // ... and whenever the marker said "Up to date" after the move, they were already on the page.
    const upToDate = marks.slice(marks.findIndex((m) => m.stale === 'true')).filter((m) => m.stale === 'false');
    expect(upToDate.length).toBeGreaterThan(0);
    for (const m of upToDate) {
      expect(m.cells).toEqual(final.cells);
      expect(m.scatter).toBe(final.scatter);
    }
    await browser.screenshot('studio-all-panels.png');
    await page.getByRole('button', { name: 'Reset Extraversion' }).click();
    await studio.waitUpToDate();
    await expect.poll(() => page.getByTestId('metrics-live-raw-fd').innerText(), { timeout: 30_000 }).toBe(before.cells[3]);
    expect(await page.getByTestId('metrics-live-raw-sw').innerText()).toBe(before.cells[4]);
    expect(await page.getByTestId('metrics-live-raw-mmd').innerText()).toBe(before.cells[5]);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says what the live figures are weighted by, and how close the whole pool comes to the target', async () => {
    expect(await page.getByTestId('live-estimator').innerText()).toMatch(
      /^Live: calibration \(means, variances, covariances\)\. The full run uses: auto \(chooses by held-out divergence/,
    );
    expect(await page.getByTestId('live-balance').innerText()).toMatch(/largest moment gap: \d\.\d{3} target SDs/);
    // The paper's KDE weights stay available.
    await page.getByTestId('live-method-select').selectOption('kde');
    await expect.poll(() => page.getByTestId('live-estimator').innerText(), { timeout: 30_000 }).toMatch(/^Live: KDE importance weights/);
    await studio.waitUpToDate();
    await expect.poll(() => page.getByTestId('live-balance').count(), { timeout: 30_000 }).toBe(0);
    await page.getByTestId('live-method-select').selectOption('calibration');
    await studio.waitUpToDate();
    await expect.poll(() => page.getByTestId('live-balance').count(), { timeout: 30_000 }).toBe(1);
    // No finished run for this target yet: the studio says that a run measures the frontier.
    expect(await page.getByTestId('studio-frontier-missing').innerText()).toMatch(/no finished run for this target yet/);
  });

  it('shows a definition with its formula one click away', async () => {
    await page.getByTestId('help-ess').first().click();
    await expect.poll(() => page.getByRole('dialog', { name: /ESS/ }).innerText()).toMatch(/\(Σ w_i\)² \/ Σ w_i²/);
  });

  it('says which estimator the full run will use', async () => {
    expect(await studio.estimatorPlan()).toMatch(/fit 6 candidate estimators \(calibration \(moments\), .*paper \(kde 0\.2 \+ OT\)\) on half of the target/);
    await studio.chooseEstimator('raking');
    expect(await studio.estimatorPlan()).toMatch(/weight the pool by raking on each trait’s quintiles/);
    expect(await page.getByTestId('live-estimator').innerText()).toMatch(/The full run uses: raking \(quintile shares of each trait\)\.$/);
    await studio.chooseEstimator('paper');
    expect(await studio.estimatorPlan()).toMatch(/KDE importance weights with bandwidth 0\.50 trait points and refine them with entropic optimal transport/);
    await studio.chooseEstimator('auto');
  });

  it('runs a full alignment with progress and lists it', async () => {
    await studio.runAlignment('e2e run');
    await expect.poll(() => studio.runRow('e2e run').count(), { timeout: 60_000 }).toBe(1);
    // The run fits six candidate estimators and measures the frontier: about 20-30 s on the demo pool.
    await expect.poll(async () => studio.runRow('e2e run').innerText(), { timeout: 100_000 }).toMatch(/done/);
    await expect.poll(() => studio.metricCell('metrics-run-resample-amw'), { timeout: 30_000 }).toMatch(/^\d\.\d{4}$/);
    const resample = Number(await studio.metricCell('metrics-run-resample-amw'));
    const raw = Number(await studio.metricCell('metrics-run-raw-amw'));
    expect(resample).toBeLessThan(raw);
    // The runs table names the estimator and that auto chose it.
    expect(await studio.runRow('e2e run').innerText()).toMatch(/, chosen by auto/);
    // The studio now shows that run's frontier for the current target (the run was made for it).
    await expect.poll(() => page.getByTestId('studio-frontier-chart').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('studio-frontier').innerText()).toMatch(/latest finished run for this target/);
    await browser.screenshot('studio-after-run.png');
    expect(browser.errors).toEqual([]);
  });

  it('keeps the target, slider edits and choices in the address, restores them on reload, and never mixes two targets in the table', async () => {
    // The run above was made for the current target: its rows are in the table, labelled with the run.
    expect(await page.getByTestId('metrics-run-raw').innerText()).toMatch(/e2e run, this target/);
    const wholeN = await page.getByTestId('target-n').innerText();
    await page.getByTestId('region-select').selectOption('europe');
    await studio.pressOnSlider('slider-shift-E', 'ArrowRight', 4); // E mean shift +0.20
    await studio.pressOnSlider('slider-spread-E', 'ArrowRight', 2); // E spread x1.10
    await page.getByTestId('live-method-select').selectOption('kde');
    await page.getByTestId('bandwidth-select').selectOption('0.35');
    await studio.chooseEstimator('raking');
    await page.getByTestId('run-selection').selectOption('pivotal');
    await expect
      .poll(() => new URL(page.url()).search, { timeout: 10_000 })
      .toBe('?target=europe&E=+0.2x1.1&live=kde&bandwidth=0.35&estimator=raking&selection=pivotal');
    await studio.waitUpToDate();
    await expect.poll(() => page.getByTestId('target-n').innerText(), { timeout: 30_000 }).not.toBe(wholeN);
    const europeN = await page.getByTestId('target-n').innerText();
    // The run was for the whole sample without edits: its rows are hidden and the table says why.
    expect(await page.getByTestId('metrics-run-raw').count()).toBe(0);
    expect(await page.getByTestId('metrics-run-missing').innerText()).toMatch(/The latest run \(#\d+ e2e run.*\) was for another target/);
    // The status line says in words whether this target is safe to run.
    expect(await page.getByTestId('target-status').innerText()).toMatch(/^(Safe to run|Run with care|Not safe to run as it is): .*ESS [\d,]+ of 1,263/);

    await page.reload({ waitUntil: 'networkidle' });
    await studio.waitUpToDate();
    expect(await page.getByTestId('region-select').inputValue()).toBe('europe');
    expect(await page.getByTestId('target-n').innerText()).toBe(europeN);
    expect(await page.getByTestId('input-shift-E').inputValue()).toBe('0.2');
    expect(await page.getByTestId('input-spread-E').inputValue()).toBe('1.1');
    expect(await page.getByTestId('live-method-select').inputValue()).toBe('kde');
    expect(await page.getByTestId('bandwidth-select').inputValue()).toBe('0.35');
    expect(await page.getByTestId('run-estimator').inputValue()).toBe('raking');
    expect(await page.getByTestId('run-selection').inputValue()).toBe('pivotal');
    expect(await page.getByTestId('url-problems').count()).toBe(0);
  });

  it('reaches "Run alignment" by keyboard in a few stops through the studio\'s jump links', async () => {
    await page.goto(`${baseURL}/studio`, { waitUntil: 'networkidle' });
    await studio.waitUpToDate();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    let stops = 0;
    while ((await focused()) !== 'jump-run' && stops < 15) {
      await page.keyboard.press('Tab');
      stops++;
    }
    expect(await focused()).toBe('jump-run');
    await page.keyboard.press('Enter');
    while ((await focused()) !== 'run-alignment' && stops < 25) {
      await page.keyboard.press('Tab');
      stops++;
    }
    expect(await focused()).toBe('run-alignment');
    // Skip link, brand, seven screens, three jump links, then the run panel's five fields (62 stops without them).
    expect(stops).toBeLessThanOrEqual(20);
  });

  it('names an address parameter it cannot use instead of ignoring it', async () => {
    await page.goto(`${baseURL}/studio?target=garbage&N=-0.3&E=+9`, { waitUntil: 'networkidle' });
    await studio.waitUpToDate();
    const problems = page.getByTestId('url-problem');
    expect(await problems.evaluateAll((els) => els.map((e) => e.getAttribute('data-param')))).toEqual(['target', 'E']);
    expect(await problems.first().innerText()).toMatch(/^The address parameter target=garbage was not understood \(expected "all", a region .*\); the studio shows respondents from all countries instead\.$/);
    expect(await problems.nth(1).innerText()).toMatch(/E=.*9 was not understood \(the mean shift must be between -1 and \+1 points/);
    // The parameters it understood are applied.
    expect(await page.getByTestId('input-shift-N').inputValue()).toBe('-0.3');
    expect(await page.getByTestId('region-select').inputValue()).toBe('all');
    expect(browser.errors).toEqual([]);
  });

  it('builds the target on the map: a country chosen by keyboard becomes the studio target', async () => {
    await page.goto(`${baseURL}/studio`, { waitUntil: 'networkidle' });
    await studio.waitUpToDate();
    await page.getByTestId('studio-builder-toggle').click();
    const builder = page.getByTestId('studio-builder');
    const uk = builder.getByRole('checkbox', { name: /^United Kingdom\b/ });
    await uk.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="studio-builder"] [data-testid="respondent-count"]:not([data-value="19718"])');
    const n = Number(await builder.getByTestId('respondent-count').getAttribute('data-value'));
    expect(n).toBeGreaterThan(100);
    expect(n).toBeLessThan(19_718);
    // The studio's own target follows the builder: the same respondents, a custom selection.
    await page.waitForFunction((n) => document.querySelector('[data-testid="target-n"]')?.textContent?.replace(/,/g, '') === String(n), n, { timeout: 30_000 });
    expect(await page.getByTestId('region-select').inputValue()).toBe('custom');
    await studio.waitUpToDate();
    await browser.screenshot('studio-builder.png');
    expect(browser.errors).toEqual([]);
  });

  it('shows the run’s estimator, candidate table and diversity-fidelity frontier on the runs page', async () => {
    const id = await studio.runId('e2e run');
    const runs = new StudioRunsPage(page, baseURL);
    await runs.open(id);
    expect(await runs.heading()).toContain(`#${id} e2e run`);

    const estimator = await runs.estimator();
    expect(estimator.choice).toBe('auto');
    expect(estimator.used).toBeTruthy();
    expect(estimator.text).toContain(`Weights from ${estimator.used}`);
    expect(estimator.text).toMatch(/Chosen by auto/);

    expect(await runs.candidateHeaders()).toEqual(['Estimator', 'AMW', 'FD', 'SW', 'MMD', 'MAEcorr', 'Mean ratio to Raw (score)', 'ESS', 'Distinct personas']);
    const labels = await runs.candidateLabels();
    expect(labels).toHaveLength(6);
    expect(labels).toContain('paper (kde 0.2 + OT)');
    expect(await runs.winnerLabel()).toBe(estimator.used);
    expect(await runs.scoreDefinition()).toMatch(/^Score = mean ratio to Raw: the mean over AMW, FD, SW, MMD and MAEcorr/);

    const chart = await runs.frontierChart();
    expect(chart.points).toBeGreaterThanOrEqual(2 * 8 + 1); // distinct sets, systematic draws, the run's own set
    expect(chart.text).toContain('distinct personas in the set (count, log scale)');
    expect(chart.text).toContain('mean ratio to Raw (unitless)');
    expect(chart.legend).toEqual(['Distinct sets (pivotal sampling)', 'Systematic draws (at their distinct count)', 'This run’s set']);
    expect(await runs.frontierSentence()).toMatch(/^1,000 draws use \d+ distinct personas \(AMW \d\.\d\d\); 1,000 distinct personas reach AMW \d\.\d\d; recommended k = [\d,]+\.$/);
    await browser.screenshot('studio-run-page.png');
    expect(browser.errors).toEqual([]);
  });
});
