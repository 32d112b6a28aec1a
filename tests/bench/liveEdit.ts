/**
 * Node bench of the studio's live edit at 100,000 personas: calibration per edit (the live default: dual on a seeded
 * subsample, warm-started, extended to every persona), the KDE reweight for comparison, the whole pool's moment gap
 * of the subsample approximation against the exact whole-pool calibration, and the worker's whole update (every
 * figure the studio shows).
 *
 * Pool: 100,000 draws from the BIG5 respondents tilted toward agreeable, conscientious, stable people (as the
 * engine bench's biased bootstrap); target: every respondent under the sliders, moved like a keyboard drag on N and E
 * (0.05 per key). Run: npm run bench:live. Prints median and p95 over 30 edits after 5 warm-up edits.
 */
import os from 'node:os';
import { createPoolDensityCache, liveReweight, traitOrder } from '../../lib/align';
import { LIVE_CALIBRATION_ROWS, liveCalibrate } from '../../lib/align/liveCalibrate';
import { poolOrder } from '../../lib/align/liveReweight';
import { createRng } from '../../lib/numeric/rng';
import { biasedBootstrap } from '../support/recovery';
import { sampleIndices } from '../../lib/numeric/sampleIndices';
import { selectRows, type Matrix } from '../../lib/numeric/matrix';
import { LIVE_GRID_NODES, LIVE_TARGET_SAMPLE, LiveSession } from '../../lib/studio/live';
import { applyTransforms, combineTransforms, traitMoments, type TraitTransform } from '../../lib/targets/transform';
import { loadBig5Traits } from '../support/big5';

const POOL = Number(process.env.BENCH_LIVE_POOL ?? 100_000);
const EDITS = 30;
const WARMUP = 5;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}
const f1 = (x: number) => x.toFixed(1);
const f3 = (x: number) => x.toFixed(3);
const summary = (xs: number[]) => `median ${f1(quantile(xs, 0.5))} ms, p95 ${f1(quantile(xs, 0.95))} ms`;

const reference = loadBig5Traits().traits;
const pool = biasedBootstrap(reference, POOL, 41);
const moments = traitMoments(reference.data, reference.rows);
const neutral = { shift: 0, spread: 1 };
/** Edit e: N moved down 0.05 per key for ten keys and back, E up 0.05 every third key. */
function transformsOf(e: number): TraitTransform[] {
  const n = e % 20 < 10 ? e % 20 : 20 - (e % 20);
  const edits = { E: { shift: 0.05 * Math.floor(e / 3) % 0.5, spread: 1 }, A: neutral, C: neutral, N: { shift: -0.05 * n, spread: 1 }, O: neutral };
  return combineTransforms(moments, null, edits);
}
const targets: Matrix[] = Array.from({ length: WARMUP + EDITS }, (_, e) => ({ data: applyTransforms(reference.data, reference.rows, transformsOf(e), moments), rows: reference.rows, cols: 5 }));
const referenceOrder = traitOrder(reference);

process.stdout.write(`Studio live edit, ${POOL.toLocaleString('en-US')}-persona pool x ${reference.rows.toLocaleString('en-US')} respondents, Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? ''})\n`);

// 1. Calibration per edit (the live default).
{
  let t = performance.now();
  const order = poolOrder(pool);
  process.stdout.write(`  pool sort order (once): ${f1(performance.now() - t)} ms\n`);
  const times: number[] = [];
  const gaps: number[] = [];
  const iterations: number[] = [];
  let lambda: Float64Array | undefined;
  for (let e = 0; e < WARMUP + EDITS; e++) {
    t = performance.now();
    const r = liveCalibrate({ cache: order, target: targets[e]!, targetOrder: referenceOrder, initialLambda: lambda });
    const ms = performance.now() - t;
    lambda = r.converged ? r.lambda : undefined;
    if (e < WARMUP) continue;
    times.push(ms);
    gaps.push(r.maxGap);
    iterations.push(r.iterations);
  }
  process.stdout.write(
    `  calibration per edit (dual on ${LIVE_CALIBRATION_ROWS.toLocaleString('en-US')} seeded personas, warm start, extension, whole-pool balance report, ESS, k-hat, AMW): ${summary(times)} (Newton steps median ${quantile(iterations, 0.5)})\n`,
  );
  process.stdout.write(`  whole pool's largest moment gap (target SDs) over the edits: median ${f3(quantile(gaps, 0.5))}, max ${f3(Math.max(...gaps))}\n`);
  // Against the exact whole-pool calibration at three edits.
  for (const e of [WARMUP, WARMUP + 10, WARMUP + 20]) {
    t = performance.now();
    const exact = liveCalibrate({ cache: order, target: targets[e]!, targetOrder: referenceOrder, rows: POOL });
    const exactMs = performance.now() - t;
    const sub = liveCalibrate({ cache: order, target: targets[e]!, targetOrder: referenceOrder });
    let tv = 0;
    for (let i = 0; i < POOL; i++) tv += 0.5 * Math.abs(sub.weights[i]! - exact.weights[i]!);
    process.stdout.write(
      `    edit ${e}: subsample gap ${f3(sub.maxGap)} (${sub.constraints.reduce((a, c) => (Math.abs(c.gap) > Math.abs(a.gap) ? c : a)).name}) vs exact ${f3(exact.maxGap)} (cold, ${f1(exactMs)} ms); total variation between the two weight vectors ${f3(tv)}; ESS ${sub.ess.toFixed(0)} vs ${exact.ess.toFixed(0)}; AMW ${f3(sub.amw)} vs ${f3(exact.amw)}\n`,
    );
  }
}

// 2. KDE reweight for comparison (the paper's weights; the studio's "KDE" option).
{
  let t = performance.now();
  const cache = createPoolDensityCache({ pool, options: { bandwidth: 0.5, liveMaxNodes: LIVE_GRID_NODES } });
  process.stdout.write(`  KDE pool density cache (once): ${f1(performance.now() - t)} ms\n`);
  const idx = sampleIndices(reference.rows, LIVE_TARGET_SAMPLE, createRng(17)).slice().sort();
  const liveOrder = traitOrder(selectRows(reference, idx));
  const times: number[] = [];
  for (let e = 0; e < WARMUP + EDITS; e++) {
    const target = selectRows(targets[e]!, idx);
    t = performance.now();
    liveReweight({ cache, target, targetOrder: liveOrder });
    if (e >= WARMUP) times.push(performance.now() - t);
  }
  process.stdout.write(`  KDE reweight per edit (bandwidth 0.5, ${LIVE_TARGET_SAMPLE.toLocaleString('en-US')} seeded respondents, ESS, k-hat, AMW): ${summary(times)}\n`);
}

// 3. The worker's whole update: every figure of the studio.
for (const method of ['calibration', 'kde'] as const) {
  let t = performance.now();
  const session = new LiveSession({ pool: pool.data, poolN: POOL, reference: reference.data, referenceN: reference.rows, method });
  const init = performance.now() - t;
  const times: number[] = [];
  const stages: Record<string, number[]> = {};
  for (let e = 0; e < WARMUP + EDITS; e++) {
    const r = session.update(e, transformsOf(e));
    if (e < WARMUP) continue;
    times.push(r.ms);
    for (const [k, v] of Object.entries(r.stages)) (stages[k] ??= []).push(v);
  }
  process.stdout.write(
    `  worker update, ${method} (weights, 5 metrics of the weighted and raw pool, coverage, charts, scatter; no baselines): ${summary(times)}; load ${f1(init)} ms; stage medians ${Object.entries(stages)
      .map(([k, v]) => `${k} ${f1(quantile(v, 0.5))}`)
      .join(', ')}\n`,
  );
}
