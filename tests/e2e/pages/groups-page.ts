import type { Page } from 'playwright-core';

/** Page object of the groups screens (list + define, and one group). */
export class GroupsPage {
  constructor(
    private readonly page: Page,
    private readonly baseURL: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(`${this.baseURL}/groups`, { waitUntil: 'networkidle' });
  }

  groupRow(name: string) {
    return this.page.getByTestId('groups-list').locator('tr', { hasText: name });
  }

  /** Ticks countries one by one in the reference picker (a custom region). */
  async pickCountries(names: string[]): Promise<void> {
    const form = this.page.getByTestId('group-form');
    await form.getByText(/^Pick countries/).click();
    for (const n of names) await form.getByRole('checkbox', { name: new RegExp(`^${n}\\b`) }).check();
  }

  async respondentCount(): Promise<number> {
    return Number(await this.page.getByTestId('respondent-count').getAttribute('data-value'));
  }

  async waitForRespondents(n: number, timeout = 15_000): Promise<void> {
    await this.page.waitForSelector(`[data-testid="respondent-count"][data-value="${n}"]`, { timeout });
  }

  async define(opts: { name: string; regionName?: string; description: string; retrieveCount?: number }): Promise<void> {
    await this.page.getByTestId('group-name').fill(opts.name);
    if (opts.regionName) await this.page.getByTestId('custom-region-name').fill(opts.regionName);
    await this.page.getByTestId('group-description').fill(opts.description);
    if (opts.retrieveCount) await this.page.getByTestId('retrieve-count').fill(String(opts.retrieveCount));
  }

  async save(): Promise<void> {
    await this.page.getByTestId('save-group').click();
    // client-side navigation (router.push): wait for the group page itself
    await this.page.waitForFunction(() => /\/groups\/\d+$/.test(location.pathname) || document.querySelector('[data-testid="group-error"]'), undefined, {
      timeout: 30_000,
    });
    const error = this.page.getByTestId('group-error');
    if (await error.count()) throw new Error(`saving the group failed: ${await error.innerText()}`);
    await this.page.getByTestId('group-title').waitFor({ timeout: 30_000 });
    await this.page.getByTestId('retrieval-hits').waitFor({ timeout: 30_000 });
  }

  hits() {
    return this.page.getByTestId('retrieval-hits').locator('tbody tr');
  }

  /** Starts the alignment and waits for its job to finish and the page to show the run. */
  async align(timeout = 90_000): Promise<void> {
    const before = (await this.page.getByTestId('latest-run').count()) ? await this.page.getByTestId('latest-run').getAttribute('data-run-id') : null;
    await this.page.getByTestId('align-group').click();
    // the progress bar appears, then the page refreshes with the new run (or shows an error)
    await this.page.waitForFunction(
      (prev) => {
        const run = document.querySelector('[data-testid="latest-run"]');
        return (run && run.getAttribute('data-run-id') !== prev) || document.querySelector('[data-testid="group-action-error"]');
      },
      before,
      { timeout },
    );
    const error = this.page.getByTestId('group-action-error');
    if (await error.count()) throw new Error(`aligning failed: ${await error.innerText()}`);
  }

  async metric(set: 'raw' | 'resample', metric: 'amw' | 'fd' | 'sw' | 'mmd' | 'maecorr'): Promise<number> {
    return Number(await this.page.getByTestId(`group-metrics-${set}-${metric}`).innerText());
  }

  async goToExport(): Promise<void> {
    await this.page.getByTestId('export-group-link').click();
    await this.page.getByTestId('export-form').waitFor({ timeout: 30_000 });
  }
}
