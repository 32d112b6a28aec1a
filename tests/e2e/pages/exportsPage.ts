import type { Download, Page } from 'playwright-core';
import type { ExportFormat } from '@/lib/export/schema';

/** Page object of the exports screen. */
export class ExportsPage {
  constructor(
    private readonly page: Page,
    private readonly baseURL: string,
  ) {}

  async open(query = ''): Promise<void> {
    await this.page.goto(`${this.baseURL}/exports${query}`, { waitUntil: 'networkidle' });
  }

  async chooseFormat(format: ExportFormat): Promise<void> {
    await this.page.getByTestId(`export-format-${format}`).check();
  }

  /** Creates an export with the form as it is; returns the new export id. */
  async create(): Promise<number> {
    await this.page.getByTestId('create-export').click();
    const created = this.page.getByTestId('export-created');
    await created.waitFor({ timeout: 30_000 });
    return Number(await created.getAttribute('data-export-id'));
  }

  async download(id: number, format: ExportFormat | 'manifest'): Promise<Download> {
    const link = this.page.getByTestId(`download-${id}-${format}`);
    await link.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([this.page.waitForEvent('download'), link.click()]);
    return download;
  }
}
