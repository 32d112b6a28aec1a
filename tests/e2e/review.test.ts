/**
 * The reviewer's journey: filter the persona browser, "Review these one by one", then decide with the keyboard only
 * (accept; reject with a reason picked by number and confirmed with Enter; undo), watching the count left in the
 * queue go down; the decisions are checked in the database.
 */
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { artifacts, baseURL, useBrowserSession } from './browserSession';
import { PersonasPage } from './pages/personasPage';
import { ReviewPage } from './pages/reviewPage';

const REVIEWER = 'Keyboard Kim';

describe.skipIf(!baseURL)('keyboard review', () => {
  const browser = useBrowserSession();

  it('reviews a persona filter one by one with the keyboard, a reason for the reject, and the count left goes down', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 1440, height: 900 });
    const personas = new PersonasPage(page, baseURL);
    await personas.open();
    await personas.toggle('filter-source-gpt4-biographies');
    await page.waitForURL(/source=gpt4-biographies/);
    await personas.toggle('filter-ageBand-35-49');
    await page.waitForURL(/source=gpt4-biographies.*ageBand=35-49|ageBand=35-49.*source=gpt4-biographies/);
    const db0 = openDatabase(path.join(inject('dataDir'), 'populace.db'));
    const { total } = db0.$client
      .prepare("SELECT count(*) AS total FROM personas WHERE source_id = 'gpt4-biographies' AND age_band = '35-49' AND status NOT IN ('accepted', 'rejected')")
      .get() as { total: number };
    db0.$client.close();
    await personas.waitForTotal(total);
    await page.getByTestId('review-one-by-one').click();
    await page.waitForURL(/\/review\?/);
    expect(page.url()).toContain('source=gpt4-biographies');
    expect(page.url()).toContain('ageBand=35-49');

    const screen = new ReviewPage(page, baseURL);
    await page.getByTestId('review-screen').waitFor();
    await screen.enterReviewerByKeyboard(REVIEWER);
    expect(await screen.filterText()).toBe('source gpt4-biographies · age band 35-49');
    expect(await screen.remaining()).toBe(total);
    // Riskiest first: the filter's duplicate biographies lead.
    await page.getByTestId('review-flags').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'review-start.png'), fullPage: true });

    // a accepts.
    const first = await screen.currentId();
    await screen.pressAndWaitForMove('a');
    await screen.waitForRemaining(total - 1);

    // r opens the reason picker; Enter without a reason does nothing, 7 picks "Duplicate", Enter rejects.
    const second = await screen.currentId();
    await screen.press('r');
    await page.getByTestId('reason-picker').waitFor();
    await screen.press('Enter');
    expect(await screen.currentId()).toBe(second);
    await screen.press('7');
    expect(await screen.reasonPressed('duplicate')).toBe(true);
    await page.screenshot({ path: path.join(artifacts, 'review-reason-picker.png'), fullPage: true });
    await screen.pressAndWaitForMove('Enter');
    await screen.waitForRemaining(total - 2);
    expect(await screen.pickerOpen()).toBe(false);
    expect(await screen.message()).toBe(`Rejected #${second} (Duplicate).`);

    // Esc closes the picker without deciding; u undoes the reject and the count goes back up.
    await screen.press('r');
    await screen.press('Escape');
    expect(await screen.pickerOpen()).toBe(false);
    await screen.press('u');
    await page.waitForFunction((id) => document.querySelector('[data-testid="review-card"]')?.getAttribute('data-id') === String(id), second);
    await screen.waitForRemaining(total - 1);
    expect(await screen.message()).toBe(`Undid the reject of #${second}.`);
    const session = await screen.sessionEntries();
    expect(session.map((e) => e.undone)).toEqual([true, false]);
    await page.screenshot({ path: path.join(artifacts, 'review-after-undo.png'), fullPage: true });

    const db = openDatabase(path.join(inject('dataDir'), 'populace.db'));
    const rows = db.$client
      .prepare('SELECT persona_id AS personaId, decision, reason_code AS reasonCode FROM review_decisions WHERE reviewer = ? ORDER BY id')
      .all(REVIEWER);
    db.$client.close();
    expect(rows).toEqual([
      { personaId: first, decision: 'accept', reasonCode: null },
      { personaId: second, decision: 'reject', reasonCode: 'duplicate' },
      { personaId: second, decision: 'undo', reasonCode: null },
    ]);
    expect(browser.errors).toEqual([]);
  });
});
