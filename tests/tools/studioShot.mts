/** Opens the studio, waits for live figures, moves a slider by keyboard, and takes screenshots. */
import { launchBrowser } from '../support/browser.ts';

const [base, outPrefix] = process.argv.slice(2);
const ctx = await launchBrowser();
const page = await ctx.newPage();
const errors: string[] = [];
page.on('console', (m) => {
  if (m.type() === 'error') errors.push(m.text());
});
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto(`${base}/studio`, { waitUntil: 'networkidle' });
await page.waitForSelector('[data-testid="stale-marker"][data-stale="false"]', { timeout: 60_000 });
await page.waitForTimeout(1500);
await page.screenshot({ path: `${outPrefix}-1.png`, fullPage: true });
await page.getByTestId('slider-shift-N').focus();
for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
await page.waitForSelector('[data-testid="stale-marker"][data-stale="false"]', { timeout: 60_000 });
await page.waitForTimeout(1000);
await page.screenshot({ path: `${outPrefix}-2.png`, fullPage: false });
const lat = await page.evaluate(() => window.__studioLatencies ?? []);
process.stdout.write(`latencies ms: ${lat.map((x) => x.toFixed(0)).join(', ')}\nconsole errors: ${errors.join(' | ') || 'none'}\n`);
await ctx.close();
