import type { Page } from 'playwright-core';

/** Page object of the runs page (/studio/runs): one run's estimator, candidate table and frontier, or two side by side. */
export class StudioRunsPage {
  constructor(
    private readonly page: Page,
    private readonly baseURL: string,
  ) {}

  /** Opens one run (or, without an id, the latest finished run). */
  async open(runId?: number): Promise<void> {
    await this.page.goto(`${this.baseURL}/studio/runs${runId ? `?run=${runId}` : ''}`, { waitUntil: 'networkidle' });
  }

  /** The run shown on its own. */
  get view() {
    return this.page.getByTestId('run-view');
  }

  async heading(): Promise<string> {
    return this.view.locator('h2').innerText();
  }

  /** The sentence naming the estimator; `choice` is what the run asked for, `used` what weighted the pool. */
  async estimator(): Promise<{ text: string; choice: string | null; used: string | null }> {
    const el = this.view.getByTestId('run-estimator');
    return { text: await el.innerText(), choice: await el.getAttribute('data-choice'), used: await el.getAttribute('data-used') };
  }

  /** The candidate table's column headers. */
  async candidateHeaders(): Promise<string[]> {
    return this.view.getByTestId('candidate-table').locator('thead th').allInnerTexts();
  }

  /** Labels of the candidate rows (the winner included), in table order. */
  async candidateLabels(): Promise<string[]> {
    return this.view.getByTestId('candidate-table').locator('tbody tr[data-label]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-label') ?? ''));
  }

  async winnerLabel(): Promise<string | null> {
    return this.view.getByTestId('candidate-winner').getAttribute('data-label');
  }

  async scoreDefinition(): Promise<string> {
    return this.view.getByTestId('candidate-score-definition').innerText();
  }

  /** The frontier chart: its drawn point symbols, axis labels and legend entries (once recharts has drawn it). */
  async frontierChart(): Promise<{ points: number; text: string; legend: string[] }> {
    const chart = this.view.getByTestId('frontier-chart');
    await chart.scrollIntoViewIfNeeded();
    await chart.locator('svg.recharts-surface .recharts-scatter-symbol').first().waitFor({ timeout: 15_000 });
    return {
      points: await chart.locator('.recharts-scatter-symbol').count(),
      text: await chart.innerText(),
      legend: await chart.locator('.recharts-legend-item-text').allInnerTexts(),
    };
  }

  async frontierSentence(): Promise<string> {
    return this.view.getByTestId('frontier-sentence').innerText();
  }
}
