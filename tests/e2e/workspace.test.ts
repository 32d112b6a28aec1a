import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { getWorkspaceOverview } from '@/lib/workspace/overview';
import { artifacts, baseURL, useBrowserSession } from './browserSession';
import { WorkspacePage } from './pages/workspacePage';


describe.skipIf(!baseURL)('workspace screen', () => {
  const session = useBrowserSession();

  it('shows the counts that are in the database', async () => {
    const page = session.page;
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const screen = new WorkspacePage(page, baseURL);
    await screen.open();
    await page.screenshot({ path: path.join(artifacts, 'workspace.png'), fullPage: true });

    const db = openDatabase(path.join(inject('dataDir'), 'populace.db'));
    const o = getWorkspaceOverview(db);
    db.$client.close();

    expect(await screen.count('count-personas')).toBe(o.personas.total);
    expect(o.personas.total).toBe(2328);
    expect(await screen.count('count-respondents')).toBe(19_718);
    expect(await screen.count('count-instruments')).toBe(o.instruments.length);
    expect(await screen.count('count-runs')).toBe(o.alignmentRuns.length);
    for (const s of o.personas.bySource) {
      expect(await screen.cellNumber(`source-${s.sourceId}-measured`)).toBe(s.byStatus.measured);
      expect(await screen.cellNumber(`source-${s.sourceId}-draft`)).toBe(s.byStatus.draft);
    }
    expect(errors).toEqual([]);
  });
});
