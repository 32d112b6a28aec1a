/** Takes a full-page screenshot of a URL in headless Chromium: tsx tests/tools/screenshot.mts URL OUT.png */
import { launchBrowser } from '../support/browser.ts';

const [url, out] = process.argv.slice(2);
if (!url || !out) {
  process.stderr.write('usage: tsx tests/tools/screenshot.mts URL OUT.png\n');
  process.exit(2);
}
const ctx = await launchBrowser();
const page = await ctx.newPage();
const errors: string[] = [];
page.on('console', (m) => {
  if (m.type() === 'error') errors.push(m.text());
});
await page.goto(url, { waitUntil: 'networkidle' });
await page.screenshot({ path: out, fullPage: true });
process.stdout.write(`console errors: ${errors.length ? errors.join(' | ') : 'none'}\n`);
await ctx.close();
