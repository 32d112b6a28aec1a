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

  /** Ticks countries one by one in the builder's country list (the map's accessible alternative), searching for each. */
  async pickCountries(names: string[]): Promise<void> {
    const form = this.page.getByTestId('group-form');
    await this.mapCountry('DE').waitFor({ timeout: 30_000 });
    await form.getByTestId('country-list-details').locator('summary').click();
    for (const n of names) {
      await form.getByTestId('country-search').fill(n);
      await form.getByTestId('country-list').getByRole('checkbox', { name: new RegExp(`^${n}\\b`) }).check();
    }
    await form.getByTestId('country-search').fill('');
  }

  async openNew(query = ''): Promise<void> {
    await this.page.goto(`${this.baseURL}/groups/new${query}`, { waitUntil: 'networkidle' });
    await this.mapCountry('DE').waitFor({ timeout: 30_000 });
  }

  /** A country of the builder's map (alpha-2 code). */
  mapCountry(code: string) {
    return this.page.getByTestId('builder-map').locator(`path[data-code="${code}"]`);
  }

  /** Drags a rectangle on the builder's map around the given countries' boxes. */
  async dragAround(codes: string[], margin = 6): Promise<void> {
    const boxes = await Promise.all(codes.map((c) => this.mapCountry(c).boundingBox()));
    const x0 = Math.min(...boxes.map((b) => b!.x)) - margin;
    const y0 = Math.min(...boxes.map((b) => b!.y)) - margin;
    const x1 = Math.max(...boxes.map((b) => b!.x + b!.width)) + margin;
    const y1 = Math.max(...boxes.map((b) => b!.y + b!.height)) + margin;
    await this.page.mouse.move(x0, y0);
    await this.page.mouse.down();
    await this.page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, { steps: 4 });
    await this.page.mouse.move(x1, y1, { steps: 4 });
    await this.page.mouse.up();
  }

  /** Brushes the builder's pyramid from one age band to another (labels such as "50-54", "70+"). */
  async brushAges(from: string, to: string): Promise<void> {
    const a = await this.page.getByTestId(`builder-pyramid-band-${from}`).boundingBox();
    const b = await this.page.getByTestId(`builder-pyramid-band-${to}`).boundingBox();
    await this.page.mouse.move(a!.x + a!.width * 0.3, a!.y + a!.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(b!.x + b!.width * 0.3, b!.y + b!.height / 2, { steps: 5 });
    await this.page.mouse.up();
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
