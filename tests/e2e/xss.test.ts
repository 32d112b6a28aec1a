/**
 * XSS proof: script and HTML payloads stored in persona names, occupations, narratives, flags, posts, source and
 * target names (written straight into the e2e server's database) are shown as text on the persona browser, the
 * persona page, the review screen and the studio: no script runs (window.__xss stays undefined, no dialog opens),
 * no payload element exists in the DOM, and the payload text is visible as typed.
 * Everything stored here is removed again afterwards, so the other browser tests see the demo workspace unchanged.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Db } from '@/db/client';
import { deleteFixtureData } from '@/db/queries/fixtures';
import { getDefaultReference } from '@/db/queries/personas';
import { insertMinedPersona, insertPersonasBatch } from '@/db/queries/pipeline';
import { ensureSource, insertPostsBatch } from '@/db/queries/posts';
import { traitEditsSchema } from '@/db/json';
import { saveTarget } from '@/db/queries/targets';
import { artifacts, baseURL, useBrowserSession } from './browserSession';

const MARK = 'zqxssmarker';
const P = {
  script: '<script>window.__xss=1</script>',
  img: '<img src=x onerror="window.__xss=2;alert(2)">',
  svg: '"><svg onload="window.__xss=3;alert(3)">',
  jsUrl: 'javascript:window.__xss=4',
  anchor: '<a href="javascript:window.__xss=5">click me</a>',
  iframe: '</textarea><iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
  style: '<style>body{display:none}</style><b onmouseover="window.__xss=7">bold</b>',
} as const;
const ALL = Object.values(P);
const PERSONA_SOURCE = 'xss-personas';
const POST_SOURCE = 'xss-posts';
const TARGET_NAME = `Target ${P.img}`;

/** Injected DOM that would mean the markup was parsed as HTML (not script tags: Next inlines its data as JS strings). */
async function injectedElements(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      document.querySelectorAll('img[src="x"], svg[onload], iframe[srcdoc], a[href^="javascript:"], b[onmouseover], [onerror], [onload]:not(body)').length,
  );
}

describe.skipIf(!baseURL)('stored XSS payloads render as text', () => {
  const session = useBrowserSession();
  let db: Db;
  const ids: Record<'a' | 'b' | 'mined', number> = { a: 0, b: 0, mined: 0 };
  const dialogs: string[] = [];

  beforeAll(() => {
    db = openDatabase(path.join(inject('dataDir'), 'populace.db'));
    deleteFixtureData({ db, sourceIds: [PERSONA_SOURCE, POST_SOURCE], targetNames: [TARGET_NAME] });
    const common = { kind: 'personas' as const, licence: 'test', citation: 'xss test', origin: P.anchor };
    ensureSource({ db, source: { id: PERSONA_SOURCE, name: `Imported ${P.script}`, ...common } });
    ensureSource({ db, source: { id: POST_SOURCE, name: `Posts ${P.svg}`, ...common, kind: 'posts' as const } });
    insertPersonasBatch({
      db,
      rows: [
        {
          persona: {
            sourceId: PERSONA_SOURCE,
            externalId: 'xss-a',
            name: P.script,
            occupation: P.img,
            country: P.svg,
            narrative: `${MARK} alpha. ${ALL.join(' ')}`,
            status: 'draft',
          },
        },
        {
          persona: {
            sourceId: PERSONA_SOURCE,
            externalId: 'xss-b',
            name: P.svg,
            occupation: P.anchor,
            narrative: `${MARK} beta. ${P.iframe} ${P.jsUrl}`,
            status: 'flagged',
            flags: [{ code: 'privacy', reason: `Contains ${P.img} and ${P.script}` }],
            qualityScores: { overall: { score: 2, reason: P.anchor } },
          },
        },
      ],
    });
    const byExt = (ext: string) => db.$client.prepare('SELECT id FROM personas WHERE source_id = ? AND external_id = ?').get(PERSONA_SOURCE, ext) as { id: number };
    ids.a = byExt('xss-a').id;
    ids.b = byExt('xss-b').id;
    insertPostsBatch({
      db,
      sourceId: POST_SOURCE,
      rows: ALL.map((text, i) => ({ authorExternalId: P.jsUrl, externalId: `p${i}`, text: `post ${i}: ${text}`, postedAt: null, metadata: { link: P.jsUrl } })),
    });
    const postIds = (db.$client.prepare('SELECT id FROM posts WHERE source_id = ?').all(POST_SOURCE) as { id: number }[]).map((r) => r.id);
    ids.mined = insertMinedPersona({
      db,
      persona: { sourceId: POST_SOURCE, externalId: 'xss-mined', name: P.iframe, narrative: `${MARK} gamma. ${P.style}`, occupation: P.script, status: 'draft' },
      postIds,
    }).persona.id;
    const ref = getDefaultReference({ db });
    if (ref) saveTarget({ db, name: TARGET_NAME, referenceSetId: ref.id, filters: { countries: [], genders: [] }, edits: traitEditsSchema.parse({}) });
  });

  afterAll(() => {
    if (!db) return;
    deleteFixtureData({ db, sourceIds: [PERSONA_SOURCE, POST_SOURCE], targetNames: [TARGET_NAME] });
    db.$client.close();
  });

  async function expectInert(page: Page, where: string): Promise<void> {
    // give inline handlers (onerror fires after the image fails) a moment to run if they were ever parsed
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), `window.__xss on ${where}`).toBeUndefined();
    expect(dialogs, `dialogs on ${where}`).toEqual([]);
    expect(await injectedElements(page), `injected elements on ${where}`).toBe(0);
  }

  /** The payload text is on the page as typed (as text, so innerText holds the angle brackets). */
  async function expectVisibleText(page: Page, text: string, where: string): Promise<void> {
    await page.waitForFunction((t) => document.body.innerText.includes(t), text, { timeout: 15_000 }).catch(() => undefined);
    expect(await page.evaluate(() => document.body.innerText), `"${text}" shown as text on ${where}`).toContain(text);
  }

  it('the persona browser shows the payloads of a search as text', async () => {
    const page = session.page;
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${baseURL}/personas?q=${MARK}`, { waitUntil: 'networkidle' });
    await page.waitForFunction(() => document.querySelector('[data-testid="result-total"]')?.getAttribute('data-value') === '3');
    await page.getByTestId('persona-row').first().waitFor();
    for (const t of [P.script, P.svg, P.iframe]) await expectVisibleText(page, t, '/personas');
    await expectInert(page, '/personas');
    // and when typed into the search box
    await page.getByTestId('search').fill(`${MARK} ${P.img}`);
    await page.waitForTimeout(800);
    await expectInert(page, '/personas (typed search)');
    await session.screenshot('xss-personas.png');
  });

  it('the persona pages show names, occupations, narratives, flags and posts as text', async () => {
    const page = session.page;
    for (const [key, id] of Object.entries(ids)) {
      await page.goto(`${baseURL}/personas/${id}`, { waitUntil: 'networkidle' });
      await page.getByTestId('persona-page').waitFor();
      const where = `/personas/${id} (${key})`;
      const narrative = await page.getByTestId('persona-narrative').innerText();
      expect(narrative, where).toContain(MARK);
      if (key === 'a') {
        for (const t of ALL) expect(narrative, `${where} narrative`).toContain(t);
        await expectVisibleText(page, P.script, where); // name in the heading
        await expectVisibleText(page, P.img, where); // occupation
      }
      if (key === 'b') {
        expect(narrative).toContain(P.iframe);
        await expectVisibleText(page, P.svg, where);
        await expectVisibleText(page, `Contains ${P.img} and ${P.script}`, where); // flag reason
      }
      if (key === 'mined') {
        expect(narrative).toContain(P.style);
        await expectVisibleText(page, `post 0: ${P.script}`, where); // source posts
        await expectVisibleText(page, `post 4: ${P.anchor}`, where);
      }
      await expectInert(page, where);
    }
    await session.screenshot('xss-persona-page.png');
  });

  it('the review screen shows a flagged payload persona as text', async () => {
    const page = session.page;
    await page.context().addCookies([{ name: 'populace_reviewer', value: 'xss-tester', url: baseURL }]);
    // The payload personas are flagged drafts, outside the default queue (the alignment pool): the queue of all personas.
    await page.goto(`${baseURL}/review?queue=all&source=${PERSONA_SOURCE}`, { waitUntil: 'networkidle' });
    await page.getByTestId('review-screen').waitFor();
    const card = page.getByTestId('review-card');
    await card.waitFor({ timeout: 15_000 });
    expect([ids.a, ids.b]).toContain(Number(await card.getAttribute('data-id')));
    const narrative = await page.getByTestId('review-narrative').innerText();
    expect(narrative).toContain(MARK);
    expect(ALL.some((t) => narrative.includes(t))).toBe(true);
    await expectInert(page, '/review');
    // the other one as well
    await page.getByTestId('next').click();
    await page.waitForTimeout(300);
    await expectInert(page, '/review (next)');
    await session.screenshot('xss-review.png');
  });

  it('the studio shows a payload target name as text', async () => {
    const page = session.page;
    await page.goto(`${baseURL}/studio`, { waitUntil: 'networkidle' });
    await page.getByTestId('target-summary').waitFor({ timeout: 30_000 });
    await expectVisibleText(page, TARGET_NAME, '/studio');
    await expectInert(page, '/studio');
    await session.screenshot('xss-studio.png');
  });
});
