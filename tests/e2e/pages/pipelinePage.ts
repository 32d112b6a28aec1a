import type { Page } from 'playwright-core';

/** Page object of the persona pipeline screen. */
export class PipelinePage {
  constructor(
    private readonly page: Page,
    private readonly baseURL: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(`${this.baseURL}/pipeline`, { waitUntil: 'networkidle' });
    await this.page.getByTestId('import-form').waitFor();
  }

  llmStatus() {
    return this.page.getByTestId('llm-status');
  }

  submit(form: 'generate' | 'measure' | 'baseline' | 'demographics') {
    return this.page.getByTestId(`${form}-submit`);
  }

  async importPosts(file: string, sourceId: string): Promise<void> {
    await this.page.getByTestId('import-kind').selectOption('posts');
    await this.page.getByTestId('import-file').setInputFiles(file);
    await this.page.getByTestId('import-source').fill(sourceId);
    await this.page.getByTestId('import-submit').click();
    await this.page.getByTestId('import-report').waitFor();
  }

  async reportNumber(testId: 'import-imported' | 'import-bad'): Promise<number> {
    return Number(await this.page.getByTestId(testId).innerText());
  }

  badRows() {
    return this.page.getByTestId('import-bad-rows').locator('tbody tr');
  }

  sourceRow(sourceId: string) {
    return this.page.getByTestId(`post-source-${sourceId}`);
  }
}
