import type { Page } from 'playwright-core';

/** Page object of the alignment studio. */
export class StudioPage {
  constructor(
    private readonly page: Page,
    private readonly baseURL: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(`${this.baseURL}/studio`, { waitUntil: 'networkidle' });
    await this.waitUpToDate();
  }

  /** Waits until the live figures match the latest input (the stale marker has cleared). */
  async waitUpToDate(timeout = 60_000): Promise<void> {
    await this.page.waitForSelector('[data-testid="stale-marker"][data-stale="false"]', { timeout });
  }

  /** Starts recording every value the stale marker's data-stale attribute takes (read with staleHistory()). */
  async recordStaleMarker(): Promise<void> {
    await this.page.evaluate(() => {
      const el = document.querySelector('[data-testid="stale-marker"]')!;
      const w = window as Window & { __staleHistory?: string[] };
      w.__staleHistory = [el.getAttribute('data-stale') ?? ''];
      new MutationObserver(() => w.__staleHistory!.push(el.getAttribute('data-stale') ?? '')).observe(el, { attributes: true, attributeFilter: ['data-stale'] });
    });
  }

  async staleHistory(): Promise<string[]> {
    return this.page.evaluate(() => (window as Window & { __staleHistory?: string[] }).__staleHistory ?? []);
  }

  async isStale(): Promise<boolean> {
    return (await this.page.getByTestId('stale-marker').getAttribute('data-stale')) === 'true';
  }

  async diagnostic(testId: 'diag-ess' | 'diag-amw' | 'diag-khat' | 'diag-deff' | 'diag-maxshare'): Promise<string> {
    return (await this.page.getByTestId(testId).getAttribute('data-value')) ?? '';
  }

  /** A cell of the metrics table, read after scrolling the table into view (off screen it is not kept up to date). */
  async metricCell(testId: string): Promise<string> {
    await this.page.getByTestId('metrics-table').scrollIntoViewIfNeeded();
    const cell = this.page.getByTestId(testId);
    await cell.scrollIntoViewIfNeeded();
    await this.page.waitForTimeout(100);
    return cell.innerText();
  }

  /** The SVG of the marginals chart, as a fingerprint of what it draws. */
  async marginalsSvg(): Promise<string> {
    return this.page.getByTestId('chart-marginals').locator('svg').first().innerHTML();
  }

  /** Moves a slider with the keyboard only. */
  async pressOnSlider(testId: string, key: 'ArrowLeft' | 'ArrowRight', times: number): Promise<void> {
    await this.page.getByTestId(testId).focus();
    for (let i = 0; i < times; i++) await this.page.keyboard.press(key);
  }

  async runAlignment(name: string): Promise<void> {
    await this.page.getByTestId('run-name').fill(name);
    await this.page.getByTestId('run-alignment').click();
  }

  runRow(name: string) {
    return this.page.getByTestId('runs-list').locator('tr[data-testid^="run-"]:not([data-testid$="-warnings"])', { hasText: name });
  }

  /** The id of a listed run ("#12 name"). */
  async runId(name: string): Promise<number> {
    const m = /#(\d+)/.exec(await this.runRow(name).innerText());
    if (!m) throw new Error(`run "${name}" is not listed`);
    return Number(m[1]);
  }

  /** Chooses the weight estimator of the next run. */
  async chooseEstimator(value: string): Promise<void> {
    await this.page.getByTestId('run-estimator').selectOption(value);
  }

  /** The sentence saying which estimator the next full run will use. */
  async estimatorPlan(): Promise<string> {
    return this.page.getByTestId('estimator-plan').innerText();
  }
}
