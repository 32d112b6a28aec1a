/**
 * Browser benchmark of the alignment studio: input to LAST PANEL PAINTED for live updates in headless Chromium.
 *
 * For each scenario it serves the built app on a fresh database (the demo workspace, and the demo plus synthetic
 * measured personas for a ~100,000-persona pool), opens /studio in a viewport tall enough to show every live panel
 * (off-screen panels are not painted), and moves the Neuroticism mean-shift slider with the keyboard 30 times (after
 * 5 uncounted warm-up moves), waiting each time until the stale marker clears. Every live figure (the five metrics
 * of the weighted pool, the raw pool and each baseline, every chart, the scatter, coverage) comes from one worker
 * result per edit, and the page records (window.__studioLatencies) the time from the slider input until the browser
 * has painted that result and nothing on the page changed for a further frame. Each move also checks that the FD,
 * SW and MMD cells and the scatter were redrawn.
 * Run: npm run bench:studio. Prints p50 / p95 / max per scenario, with the medians of the worker, waiting and
 * render parts. Options (environment): BENCH_STUDIO_SCENARIOS=demo,large (default both), BENCH_STUDIO_EXTRA (synthetic
 * personas added for the large pool; default 155,000 rows, of which about 100,000 are measured and enter the pool),
 * BENCH_STUDIO_MOVES (counted moves, default 30).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { listPoolPersonas } from '../../db/queries/pool';
import { ensureBuilt } from '../../lib/cli/build';
import { prepareWorkspace } from '../../lib/workspace/prepare';
import { insertSyntheticPersonas } from '../integration/personas/synthetic';
import { launchBrowser } from '../support/browser';
import { acquireBuildLock } from '../support/lock';
import { startAppServer } from '../support/server';

const MOVES = Number(process.env.BENCH_STUDIO_MOVES ?? 30);
/** Moves made first and not counted: the first updates after load run before the JIT has compiled the hot code. */
const WARMUP = 5;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

async function scenario(label: string, extraPersonas: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'populace-bench-'));
  const db = openDatabase(path.join(dir, 'populace.db'));
  prepareWorkspace(db);
  if (extraPersonas > 0) insertSyntheticPersonas(db, extraPersonas, 424242);
  const poolN = listPoolPersonas({ db }).length;
  db.$client.close();
  const server = await startAppServer({ dataDir: dir, timeoutMs: 120_000 });
  const base = `http://localhost:${server.port}`;
  const ctx = await launchBrowser();
  try {
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1280, height: 4200 });
    const t0 = Date.now();
    await page.goto(`${base}/studio`, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForSelector('[data-testid="stale-marker"][data-stale="false"]', { timeout: 180_000 });
    const firstView = Date.now() - t0;
    await page.getByTestId('slider-shift-N').focus();
    for (let i = 0; i < WARMUP; i++) {
      await page.keyboard.press(i % 2 ? 'ArrowRight' : 'ArrowLeft');
      await page.waitForSelector('[data-testid="stale-marker"][data-stale="false"]', { timeout: 60_000 });
    }
    await page.evaluate(() => {
      window.__studioLatencies = [];
      window.__studioBreakdown = [];
    });
    // What the last panels show, to check that each move redrew them.
    const fingerprint = () =>
      page.evaluate(() =>
        ['metrics-live-weighted-fd', 'metrics-live-weighted-sw', 'metrics-live-weighted-mmd', 'metrics-live-raw-fd']
          .map((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '')
          .concat(document.querySelector('[data-testid="chart-scatter"] svg')?.innerHTML ?? '')
          .join('|'),
      );
    let unchanged = 0;
    for (let i = 0; i < MOVES; i++) {
      const before = await fingerprint();
      await page.keyboard.press(i % 10 < 5 ? 'ArrowLeft' : 'ArrowRight');
      await page.waitForSelector('[data-testid="stale-marker"][data-stale="false"]', { timeout: 60_000 });
      await page.waitForTimeout(100);
      if ((await fingerprint()) === before) unchanged++;
    }
    const lat = await page.evaluate(() => window.__studioLatencies ?? []);
    const parts = await page.evaluate(() => window.__studioBreakdown ?? []);
    const med = (f: (p: { worker: number; queue: number; render: number; commit: number; stages: Record<string, number> }) => number) =>
      quantile(parts.map(f), 0.5).toFixed(0);
    const stageNames = Object.keys(parts[0]?.stages ?? {});
    const worst = [...parts].sort((a, b) => b.worker + b.queue + b.render - (a.worker + a.queue + a.render)).slice(0, 3);
    const workerMs = await page.getByTestId('stale-marker').innerText();
    process.stdout.write(
      `${label.padEnd(28)} pool ${String(poolN).padStart(7)}  first view ${(firstView / 1000).toFixed(1)} s  ` +
        `updates ${lat.length} (after ${WARMUP} warm-up moves; ${unchanged} left the metric cells and scatter unchanged)  p50 ${quantile(lat, 0.5).toFixed(0)} ms  p95 ${quantile(lat, 0.95).toFixed(0)} ms  max ${Math.max(...lat).toFixed(0)} ms; medians: worker ${med((p) => p.worker)} ms, waiting ${med((p) => p.queue)} ms, render ${med((p) => p.render)} ms (of which React ${med((p) => p.commit)} ms) (${workerMs})\n` +
        `${''.padEnd(28)} worker stages (median ms): ${stageNames.map((n) => `${n} ${med((p) => p.stages[n] ?? 0)}`).join(', ')}\n` +
        `${''.padEnd(28)} slowest updates (worker / waiting / render ms): ${worst.map((p) => `${p.worker.toFixed(0)} / ${p.queue.toFixed(0)} / ${p.render.toFixed(0)}`).join('; ')}\n`,
    );
  } finally {
    await ctx.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  // The build in .next is shared with the e2e runs and the other benches: one at a time.
  const release = await acquireBuildLock({ announce: true });
  try {
    ensureBuilt();
    process.stdout.write(`Studio live-update latency, slider input to the last live panel painted, headless Chromium, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? ''})\n`);
    const scenarios = (process.env.BENCH_STUDIO_SCENARIOS ?? 'demo,large').split(',');
    process.stdout.write(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    if (scenarios.includes('demo')) await scenario('demo workspace', 0);
    const extra = Number(process.env.BENCH_STUDIO_EXTRA ?? 155_000);
    if (scenarios.includes('large')) await scenario('demo + synthetic personas', extra);
    process.stdout.write(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  } finally {
    release();
  }
}

main().catch((e) => {
  process.stderr.write(String(e) + '\n');
  process.exitCode = 1;
});
