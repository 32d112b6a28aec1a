import type { Page } from 'playwright-core';

/** Page object of the persona browser (/personas) and the persona page (/personas/:id). */
export class PersonasPage {
  constructor(
    private readonly page: Page,
    private readonly baseURL: string,
  ) {}

  async open(query = ''): Promise<void> {
    await this.page.goto(`${this.baseURL}/personas${query}`, { waitUntil: 'networkidle' });
    await this.page.getByTestId('persona-row').first().waitFor();
  }

  /** The number of matching personas shown above the table (waits until it is known). */
  async total(): Promise<number> {
    const el = this.page.getByTestId('result-total');
    await this.page.waitForFunction(() => document.querySelector('[data-testid="result-total"]')?.getAttribute('data-value') !== '');
    return Number(await el.getAttribute('data-value'));
  }

  /** Waits until the total equals a value (after a filter change). */
  async waitForTotal(n: number): Promise<void> {
    await this.page.waitForFunction((v) => document.querySelector('[data-testid="result-total"]')?.getAttribute('data-value') === String(v), n);
  }

  async search(text: string): Promise<void> {
    await this.page.getByTestId('search').fill(text);
  }

  async toggle(testId: string): Promise<void> {
    await this.page.getByTestId(testId).click();
  }

  async visibleIds(): Promise<number[]> {
    return this.page.getByTestId('persona-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
  }

  async loadedCount(): Promise<number> {
    const text = await this.page.getByText(/loaded$/).first().innerText();
    return Number(/·\s*([\d,]+) loaded/.exec(text)?.[1]?.replace(/,/g, '') ?? 0);
  }

  async scrollTableToBottom(): Promise<void> {
    await this.page.getByTestId('persona-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  }

  url(): string {
    return this.page.url();
  }

  async openPersona(id: number): Promise<void> {
    await this.page.goto(`${this.baseURL}/personas/${id}`, { waitUntil: 'networkidle' });
    await this.page.getByTestId('persona-page').waitFor();
  }
}
