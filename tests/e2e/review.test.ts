/**
 * Reviews five personas with the keyboard only (name, accept, reason by number + reject, undo), then checks the audit
 * trail on the reviewer's history page and in the database.
 */
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { artifacts, baseURL, useBrowserSession } from './browser-session';
import { ReviewPage } from './pages/review-page';

const REVIEWER = 'Keyboard Kim';

describe.skipIf(!baseURL)('keyboard review', () => {
  const browser = useBrowserSession();

  it('reviews five personas with the keyboard, undoes one, and the audit trail shows it', async () => {
    const page = browser.page;
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const screen = new ReviewPage(page, baseURL);
    await screen.open();
    await screen.enterReviewerByKeyboard(REVIEWER);
    expect(await screen.shortcut('accept')).toBe('a');
    expect(await screen.shortcut('undo')).toBe('u');
    await page.screenshot({ path: path.join(artifacts, 'review-start.png'), fullPage: true });

    // The queue is riskiest first: the first personas are flagged duplicates.
    expect(await screen.currentStatus()).toBe('flagged');
    // a = accept; 7 (duplicate) + r = reject; 1 (hallucinated) + r; a; 7 + r.
    const plan: { keys: string[]; decision: 'accept' | 'reject'; reason?: string }[] = [
      { keys: ['a'], decision: 'accept' },
      { keys: ['7', 'r'], decision: 'reject', reason: 'duplicate' },
      { keys: ['1', 'r'], decision: 'reject', reason: 'hallucinated' },
      { keys: ['a'], decision: 'accept' },
      { keys: ['7', 'r'], decision: 'reject', reason: 'duplicate' },
    ];
    const reviewed: number[] = [];
    for (const step of plan) {
      reviewed.push(await screen.currentId());
      for (const k of step.keys.slice(0, -1)) {
        await screen.press(k);
        expect(await screen.reasonPressed(step.reason!)).toBe(true);
      }
      await screen.pressAndWaitForMove(step.keys.at(-1)!);
    }
    expect(new Set(reviewed).size).toBe(5);
    await page.screenshot({ path: path.join(artifacts, 'review-after-five.png'), fullPage: true });

    // k goes back to the last persona (shows it was decided), j forward again.
    expect(await screen.pressAndWaitForMove('k')).toBe(reviewed[4]);
    await page.getByTestId('review-decided').waitFor();
    await screen.pressAndWaitForMove('j');

    // u undoes the last decision (the reject of the fifth) and returns to it with its status restored.
    await screen.press('u');
    await page.waitForFunction((id) => document.querySelector('[data-testid="review-card"]')?.getAttribute('data-id') === String(id), reviewed[4]);
    await page.waitForFunction(() => document.querySelector('[data-testid="review-card"]')?.getAttribute('data-status') === 'flagged');
    expect(await screen.message()).toMatch(new RegExp(`Undid the reject of #${reviewed[4]}`));
    const session = await screen.sessionEntries();
    expect(session).toHaveLength(5);
    expect(session[0]).toEqual({ text: expect.stringContaining(`#${reviewed[4]} reject`), undone: true });
    expect(session.slice(1).every((e) => !e.undone)).toBe(true);
    await page.screenshot({ path: path.join(artifacts, 'review-after-undo.png'), fullPage: true });

    // The audit trail: six rows newest first, the undone reject struck through.
    const history = await screen.openHistory(REVIEWER);
    await page.screenshot({ path: path.join(artifacts, 'review-history.png'), fullPage: true });
    expect(history.map((h) => [h.decision, h.persona])).toEqual([
      ['undo', reviewed[4]],
      ['reject', reviewed[4]],
      ['accept', reviewed[3]],
      ['reject', reviewed[2]],
      ['reject', reviewed[1]],
      ['accept', reviewed[0]],
    ]);
    expect(history.map((h) => h.undone)).toEqual([false, true, false, false, false, false]);

    // And in the database: reviewer, reasons, statuses.
    const db = openDatabase(path.join(inject('dataDir'), 'populace.db'));
    const rows = db.$client
      .prepare('SELECT persona_id, reviewer, decision, reason_code, undoes_id, created_at FROM review_decisions ORDER BY id')
      .all() as { persona_id: number; reviewer: string; decision: string; reason_code: string | null; undoes_id: number | null; created_at: string }[];
    const statuses = db.$client.prepare(`SELECT id, status FROM personas WHERE id IN (${reviewed.join(',')})`).all() as { id: number; status: string }[];
    db.$client.close();
    const mine = rows.filter((r) => r.reviewer === REVIEWER);
    expect(mine.map((r) => [r.persona_id, r.decision, r.reason_code])).toEqual([
      [reviewed[0], 'accept', null],
      [reviewed[1], 'reject', 'duplicate'],
      [reviewed[2], 'reject', 'hallucinated'],
      [reviewed[3], 'accept', null],
      [reviewed[4], 'reject', 'duplicate'],
      [reviewed[4], 'undo', null],
    ]);
    expect(mine.every((r) => /^\d{4}-\d\d-\d\dT/.test(r.created_at))).toBe(true);
    const statusOf = new Map(statuses.map((s) => [s.id, s.status]));
    expect(reviewed.map((id) => statusOf.get(id))).toEqual(['accepted', 'rejected', 'rejected', 'accepted', 'flagged']);
    expect(errors).toEqual([]);
  });
});
