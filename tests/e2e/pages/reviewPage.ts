import type { Page } from 'playwright-core';

/** Page object of the keyboard review screen (/review). */
export class ReviewPage {
  constructor(
    private readonly page: Page,
    private readonly baseURL: string,
  ) {}

  async open(query = ''): Promise<void> {
    await this.page.goto(`${this.baseURL}/review${query}`, { waitUntil: 'networkidle' });
    await this.page.getByTestId('review-screen').waitFor();
  }

  /** Types the reviewer name into the focused name field and presses Enter (keyboard only). */
  async enterReviewerByKeyboard(name: string): Promise<void> {
    await this.page.getByTestId('reviewer-input').waitFor();
    await this.page.keyboard.type(name);
    await this.page.keyboard.press('Enter');
    await this.page.getByTestId('reviewer-name').waitFor();
  }

  async currentId(): Promise<number> {
    const card = this.page.getByTestId('review-card');
    await card.waitFor();
    return Number(await card.getAttribute('data-id'));
  }

  async currentStatus(): Promise<string> {
    return (await this.page.getByTestId('review-card').getAttribute('data-status')) ?? '';
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** Presses a key and waits until the card shows another persona. */
  async pressAndWaitForMove(key: string): Promise<number> {
    const before = await this.currentId();
    await this.page.keyboard.press(key);
    await this.page.waitForFunction(
      (id) => document.querySelector('[data-testid="review-card"]')?.getAttribute('data-id') !== String(id),
      before,
    );
    return this.currentId();
  }

  /** The count shown as "N left in this queue" (waits until it is known). */
  async remaining(): Promise<number> {
    await this.page.waitForFunction(() => (document.querySelector('[data-testid="queue-remaining"]')?.getAttribute('data-value') ?? '') !== '');
    return Number(await this.page.getByTestId('queue-remaining').getAttribute('data-value'));
  }

  /** Waits until the remaining count equals a value. */
  async waitForRemaining(n: number): Promise<void> {
    await this.page.waitForFunction((v) => document.querySelector('[data-testid="queue-remaining"]')?.getAttribute('data-value') === String(v), n);
  }

  /** The filter the queue works through, as shown above it ('' without one). */
  async filterText(): Promise<string> {
    const el = this.page.getByTestId('queue-filter-text');
    return (await el.count()) ? el.innerText() : '';
  }

  async pickerOpen(): Promise<boolean> {
    return (await this.page.getByTestId('reason-picker').count()) > 0;
  }

  async reasonPressed(code: string): Promise<boolean> {
    return (await this.page.getByTestId(`reason-${code}`).getAttribute('aria-pressed')) === 'true';
  }

  async message(): Promise<string> {
    return this.page.getByTestId('review-message').innerText();
  }

  async shortcut(action: string): Promise<string> {
    return this.page.getByTestId(`shortcut-${action}`).innerText();
  }

  async sessionEntries(): Promise<{ text: string; undone: boolean }[]> {
    const entries = this.page.getByTestId('session-entry');
    const n = await entries.count();
    const out: { text: string; undone: boolean }[] = [];
    for (let i = 0; i < n; i++) {
      const e = entries.nth(i);
      out.push({ text: await e.innerText(), undone: (await e.getAttribute('data-undone')) === 'yes' });
    }
    return out;
  }

  /** Rows of a reviewer's history page (/reviewers/NAME), newest first. */
  async openHistory(reviewer: string): Promise<{ decision: string; persona: number; undone: boolean }[]> {
    await this.page.goto(`${this.baseURL}/reviewers/${encodeURIComponent(reviewer)}`, { waitUntil: 'networkidle' });
    const rows = this.page.getByTestId('decision-row');
    const n = await rows.count();
    const out: { decision: string; persona: number; undone: boolean }[] = [];
    for (let i = 0; i < n; i++) {
      const r = rows.nth(i);
      out.push({
        decision: (await r.getAttribute('data-decision')) ?? '',
        persona: Number(await r.getAttribute('data-persona')),
        undone: (await r.getAttribute('data-undone')) === 'yes',
      });
    }
    return out;
  }
}
