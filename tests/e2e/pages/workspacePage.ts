import type { Page } from 'playwright-core';

/** Page object of the workspace (first) screen. */
export class WorkspacePage {
  constructor(
    private readonly page: Page,
    private readonly baseURL: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(`${this.baseURL}/`, { waitUntil: 'networkidle' });
    await this.page.getByTestId('count-personas').waitFor();
  }

  /** The number a stat card shows (read from its data-value and checked against its text). */
  async count(testId: string): Promise<number> {
    const el = this.page.getByTestId(testId);
    const value = Number(await el.getAttribute('data-value'));
    const text = Number((await el.innerText()).replace(/,/g, ''));
    if (value !== text) throw new Error(`${testId}: data-value ${value} but the text shows ${text}`);
    return value;
  }

  async cellNumber(testId: string): Promise<number> {
    return Number((await this.page.getByTestId(testId).innerText()).replace(/,/g, ''));
  }
}
