/**
 * `npm run bench`: performance and accuracy figures of the pure core, printed to stdout.
 * Sections: paper scale (30,738 x 19,718), recovery on split human data (Table 1 + OT variant evidence), KDE and
 * OT approximation errors, scaling in N and M, large scale (1,000,000 x 100,000), live update (100,000 pool).
 * Data: db/seed-data/reference/big5-openpsychometrics (IPIP-50 scored to E A C N O). Personas are simulated by a
 * documented biased draw (tests/support/recovery.ts): weights exp(0.8 (zA + zC - zN)).
 * `npm run bench:engine -- --sections 1,5` runs only those sections.
 */
import { liveCalibrate } from '../../lib/align/liveCalibrate';
import { loadBig5Traits } from '../support/big5';
import { biasedBootstrap, biasedSplit } from '../support/recovery';
import { alignPool, createPoolDensityCache, importanceSampling, liveReweight, transportWeights, type AlignResult } from '../../lib/align';
import { createRng, selectRows, type Matrix } from '../../lib/numeric';
import { gaussianKde, weightedMoments, amw, frechetDistance, paperMetrics } from '../../lib/stats';

const now = () => performance.now();
/** 4 decimals; values below 0.001 (a k-set's FD, MAEcorr) with 3 significant digits so that their ratios can be read. */
const f4 = (x: number) => (x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4));
const pad = (s: string | number, n: number) => String(s).padEnd(n);

function uniformBootstrap(traits: Matrix, n: number, seed: number): Matrix {
  const rng = createRng(seed);
  return selectRows(traits, Array.from({ length: n }, () => rng.nextInt(traits.rows)));
}

/** Times alignPool; the engine sections measure the paper's pipeline (KDE + OT) unless the config names another estimator. */
function timedAlign(pool: Matrix, reference: Matrix, config: Record<string, unknown> = {}) {
  config = { estimator: 'paper', selection: 'withoutReplacement', ...config };
  const marks: Record<string, number> = {};
  let last = now();
  let stage = 'validate';
  const t0 = last;
  const r = alignPool({
    pool,
    reference,
    config,
    onProgress: (s) => {
      if (s !== stage) {
        const t = now();
        marks[stage] = (marks[stage] ?? 0) + t - last;
        last = t;
        stage = s;
      }
    },
  });
  const t = now();
  marks[stage] = (marks[stage] ?? 0) + t - last;
  return { r, ms: t - t0, marks };
}

function table1(r: AlignResult) {
  const rows: [string, Record<string, number>][] = [
    ['Raw', r.metrics.raw as unknown as Record<string, number>],
    ['RandomSelect', r.metrics.randomSelect as unknown as Record<string, number>],
    ['Resample', r.metrics.resample as unknown as Record<string, number>],
    ['Weighted pool', r.metrics.weighted as unknown as Record<string, number>],
  ];
  console.log(`  ${pad('set', 14)}${['AMW', 'FD', 'SW', 'MMD', 'MAEcorr', 'mean(4)'].map((h) => pad(h, 9)).join('')}`);
  for (const [name, m] of rows) {
    const mean4 = (m.amw! + m.fd! + m.sw! + m.mmd!) / 4;
    console.log(`  ${pad(name, 14)}${[m.amw!, m.fd!, m.sw!, m.mmd!, m.maecorr!, mean4].map((v) => pad(f4(v), 9)).join('')}`);
  }
}

/** auto's candidate table: held-out metrics, mean ratio to Raw (the score), ESS and distinct personas of each candidate. */
function candidates(r: AlignResult) {
  const t = r.estimator.candidates;
  if (!t) return;
  console.log(`  estimator chosen on ${r.estimator.heldOut!.fitRows} fitting / ${r.estimator.heldOut!.heldOutRows} held-out reference rows: ${r.estimator.used.label}`);
  console.log(`  ${pad('candidate', 34)}${['AMW', 'FD', 'SW', 'MMD', 'MAEcorr', 'score'].map((h) => pad(h, 9)).join('')}${pad('ESS', 9)}distinct`);
  for (const c of t) {
    const m = c.heldOut;
    const mark = c.label === r.estimator.used.label ? ' *' : '';
    console.log(`  ${pad(c.label + mark, 34)}${[m.amw, m.fd, m.sw, m.mmd, m.maecorr, c.score].map((v) => pad(f4(v), 9)).join('')}${pad(c.ess.toFixed(1), 9)}${c.distinct}${c.error ? ` (${c.error})` : ''}`);
  }
}

/** The default run (estimator auto, systematic draws): time, stages, candidates, Table 1, distinct personas. */
function defaultRun(pool: Matrix, reference: Matrix, label: string): AlignResult {
  const { r, ms, marks } = timedAlign(pool, reference, { estimator: 'auto', selection: 'systematic' });
  console.log(`  ${label}: default run (auto estimator + systematic draws) ${(ms / 1000).toFixed(2)} s (${stages(marks)}); ${r.selection.length} draws, ${new Set(r.selection).size} distinct personas; ESS ${r.diagnostics.ess.toFixed(0)}`);
  candidates(r);
  table1(r);
  return r;
}

function stages(marks: Record<string, number>) {
  return Object.entries(marks)
    .filter(([, v]) => v > 0.5)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
    .join(', ');
}

const { traits, dropped } = loadBig5Traits();
console.log(`# Populace core bench (node ${process.version}, ${traits.rows} scored IPIP-50 respondents, ${dropped} dropped for missing items)`);
console.log('Trait space: E A C N O on the 1-5 scale; KDE bandwidth 0.20 trait points (standardise none), PSIS; OT semiRelaxed,');
console.log('tau = epsilon = 0.08 x median cost, 250 iterations max, tolerance 1e-6, <= 300 reference centres (personas kept exact up to a 2^25-entry kernel); size 1000 without replacement.\n');

let paperScaleDefault: AlignResult | null = null;
/** `--sections 1,5`: only those sections (numbered as printed); default all. */
const sectionsArg = process.argv.indexOf('--sections');
const SECTIONS = sectionsArg >= 0 ? new Set((process.argv[sectionsArg + 1] ?? '').split(',').map((v) => Number.parseInt(v, 10))) : null;
const section = (n: number) => SECTIONS === null || SECTIONS.has(n);

// 1. Paper scale
if (section(1)) {
  console.log('## 1. Paper scale: 30,738 personas (biased bootstrap of the human sample) vs the 19,718 reference');
  const pool = biasedBootstrap(traits, 30738, 11);
  timedAlign(selectRows(pool, Array.from({ length: 2000 }, (_, i) => i)), selectRows(traits, Array.from({ length: 2000 }, (_, i) => i))); // warm-up (JIT)
  const { r, ms, marks } = timedAlign(pool, traits);
  console.log(`  full Resample (KDE weights + OT + selection + metrics for Raw, RandomSelect, Resample, weighted): ${(ms / 1000).toFixed(2)} s`);
  console.log(`  stages: ${stages(marks)}`);
  console.log(`  OT: ${r.ot!.sourceSupport} x ${r.ot!.targetSupport} supports, epsilon ${f4(r.ot!.epsilon)}, ${r.ot!.iterations} iterations, converged ${r.ot!.converged}, final marginal error ${r.ot!.marginalError[r.ot!.marginalError.length - 1]?.toExponential(2)}`);
  console.log(`  diagnostics: ESS ${r.diagnostics.ess.toFixed(0)}, design effect ${r.diagnostics.designEffect.toFixed(2)}, max weight share ${r.diagnostics.maxWeightShare.toExponential(2)}, k-hat ${r.diagnostics.khat.toFixed(2)} (importance ESS ${r.diagnostics.importanceEss.toFixed(1)})`);
  table1(r);
  paperScaleDefault = defaultRun(pool, traits, 'same pool');
  console.log('');
}

// 2. Recovery
if (section(2)) {
  console.log('## 2. Recovery: split respondents in two halves (seed 1); pool = 5,000 drawn from half A without replacement');
  console.log('   with weights exp(0.8 (zA + zC - zN)) (agreeable, conscientious, stable, as LLM personas are); reference = half B (9,859)');
  const { pool, reference } = biasedSplit(traits, { poolSize: 5000, seed: 1 });
  const { r, ms } = timedAlign(pool, reference, { seed: 1 });
  console.log(`  default pipeline (${(ms / 1000).toFixed(2)} s):`);
  table1(r);
  const red = (k: 'amw' | 'fd' | 'sw' | 'mmd' | 'maecorr') => `${k} ${((1 - r.metrics.resample[k] / r.metrics.raw[k]) * 100).toFixed(0)}%/${((1 - r.metrics.resample[k] / r.metrics.randomSelect[k]) * 100).toFixed(0)}%`;
  console.log(`  Resample reduction vs Raw/RandomSelect: ${(['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const).map(red).join(', ')}`);
  const pm = weightedMoments(pool).mean;
  const rm = weightedMoments(reference).mean;
  const sm = weightedMoments(selectRows(pool, r.selection)).mean;
  console.log(`  trait means E A C N O: reference ${Array.from(rm, (v) => v.toFixed(2)).join(' ')} | pool ${Array.from(pm, (v) => v.toFixed(2)).join(' ')} | resample ${Array.from(sm, (v) => v.toFixed(2)).join(' ')}`);
  console.log('\n  OT variant evidence (same pool/reference/seed; importance weights as source mass; tau in units of epsilon):');
  console.log(`  ${pad('variant', 22)}${pad('weighted pool AMW/FD/SW/MMD/MAEcorr', 42)}${pad('Resample AMW/FD/SW/MMD/MAEcorr', 42)}ESS`);
  const runs: [string, Record<string, unknown>][] = [
    ['balanced', { variant: 'balanced' }],
    ['semiRelaxed tau=0.5e', { variant: 'semiRelaxed', tauFactor: 0.5 }],
    ['semiRelaxed tau=e *', { variant: 'semiRelaxed' }],
    ['semiRelaxed tau=2e', { variant: 'semiRelaxed', tauFactor: 2 }],
    ['unbalanced tau=0.5e', { variant: 'unbalanced', tauFactor: 0.5 }],
    ['unbalanced tau=e', { variant: 'unbalanced' }],
    ['unbalanced tau=2e', { variant: 'unbalanced', tauFactor: 2 }],
  ];
  const eps = r.ot!.epsilon;
  for (const [name, c] of runs) {
    const { tauFactor, ...rest } = c as { tauFactor?: number };
    const rr = alignPool({ pool, reference, config: { seed: 1, estimator: 'paper', selection: 'withoutReplacement', ...rest, ...(tauFactor ? { tau: tauFactor * eps } : {}) } }) as AlignResult;
    const w = rr.metrics.weighted;
    const s = rr.metrics.resample;
    console.log(`  ${pad(name, 22)}${pad([w.amw, w.fd, w.sw, w.mmd, w.maecorr].map(f4).join(' '), 42)}${pad([s.amw, s.fd, s.sw, s.mmd, s.maecorr].map(f4).join(' '), 42)}${rr.diagnostics.ess.toFixed(0)}`);
  }
  console.log('  (* default.) Balanced row sums equal the importance weights (ESS ~ 1-2: useless as weights); its Resample looks good only');
  console.log('  because weighted sampling without replacement with such extreme weights degenerates to a top-k ranking.');
  console.log('');
}

// 3. Approximation errors
if (section(3)) {
  console.log('## 3. Approximation errors at paper scale');
  const pool = biasedBootstrap(traits, 30738, 11);
  const idx = Array.from({ length: 1500 }, (_, i) => i * 20);
  const sub = selectRows(pool, idx);
  for (const maxNodes of [1 << 20, 1 << 22]) {
    const t = now();
    const binned = gaussianKde({ data: traits, points: pool, bandwidth: 0.2, method: 'binned', binned: { maxNodes } });
    const ms = now() - t;
    const exact = gaussianKde({ data: traits, points: sub, bandwidth: 0.2, method: 'exact' }).logDensity;
    const err = idx.map((i, t2) => Math.abs(binned.logDensity[i]! - exact[t2]!)).sort((a, b) => a - b);
    console.log(`  binned KDE (reference density at personas), grid ${Array.from(binned.grid!.shape).join('x')} (spacing ${binned.grid!.spacing[0]!.toFixed(3)}): |log error| median ${f4(err[750]!)}, 95% ${f4(err[1425]!)}, max ${f4(err[1499]!)}; ${ms.toFixed(0)} ms for 30,738 points`);
  }
  {
    const t = now();
    const loo = gaussianKde({ data: pool, leaveOneOut: true, bandwidth: 0.2, method: 'binned' });
    const ms = now() - t;
    // exact LOO at the subsample: density of each sub point against all pool points minus itself
    let err: number[] = [];
    const d = 5;
    for (let t2 = 0; t2 < idx.length; t2++) {
      const i = idx[t2]!;
      let m = -Infinity;
      const vals = new Float64Array(pool.rows);
      for (let j = 0; j < pool.rows; j++) {
        if (j === i) {
          vals[j] = -Infinity;
          continue;
        }
        let q = 0;
        for (let k = 0; k < d; k++) q += (pool.data[i * d + k]! - pool.data[j * d + k]!) ** 2;
        vals[j] = -q / (2 * 0.04);
        if (vals[j]! > m) m = vals[j]!;
      }
      let s = 0;
      for (let j = 0; j < pool.rows; j++) s += Math.exp(vals[j]! - m);
      const ex = m + Math.log(s) - Math.log(pool.rows - 1) - 5 * Math.log(0.2) - 2.5 * Math.log(2 * Math.PI);
      err.push(Math.abs(ex - loo.logDensity[i]!));
    }
    err = err.sort((a, b) => a - b);
    console.log(`  binned leave-one-out pool KDE: |log error| median ${f4(err[750]!)}, 95% ${f4(err[1425]!)}, max ${f4(err[1499]!)}; ${ms.toFixed(0)} ms; exact fallbacks ${loo.fallbackCount}`);
  }
  {
    const { pool: p2, reference: r2 } = biasedSplit(traits, { poolSize: 3000, referenceSize: 3000, seed: 2 });
    const iw = importanceSampling(p2, r2).weights;
    const t1 = now();
    const exact = transportWeights(p2, iw, r2, undefined, { maxSupport: Infinity, kernelCacheLimit: 1 << 24 });
    const te = now() - t1;
    for (const maxSupport of [150, 300, 1000]) {
      const t2 = now();
      const approx = transportWeights(p2, iw, r2, undefined, { maxSupport });
      const ta = now() - t2;
      const rel = Array.from(exact.weights, (w, i) => Math.abs(approx.weights[i]! - w) / Math.max(w, 1e-300)).sort((a, b) => a - b);
      const tv = 0.5 * Array.from(exact.weights).reduce((s, w, i) => s + Math.abs(w - approx.weights[i]!), 0);
      const ma = amw({ a: p2, b: r2, aWeights: approx.weights }).value;
      const me = amw({ a: p2, b: r2, aWeights: exact.weights }).value;
      const fa = frechetDistance({ a: p2, b: r2, aWeights: approx.weights }).value;
      const fe = frechetDistance({ a: p2, b: r2, aWeights: exact.weights }).value;
      if (maxSupport === 1000) {
        const both = transportWeights(p2, iw, r2, undefined, { maxSupport: 1000, kernelCacheLimit: 1000 * 1000 });
        console.log(`  ... and with personas quantised too (1000 x 1000 supports, grid extension): weighted AMW ${f4(amw({ a: p2, b: r2, aWeights: both.weights }).value)} vs ${f4(me)}`);
      }
      console.log(`  OT with the reference on <= ${maxSupport} supports vs exact 3000 x 3000 (semiRelaxed): weight rel. error median ${f4(rel[1500]!)}, total variation ${f4(tv)}; weighted AMW ${f4(ma)} vs ${f4(me)}, FD ${f4(fa)} vs ${f4(fe)}; ${ta.toFixed(0)} ms vs ${te.toFixed(0)} ms`);
    }
  }
  console.log('');
}

// 4. Scaling
if (section(4)) {
  console.log('## 4. Scaling (default pipeline; times in s; pool = biased bootstrap, reference = uniform bootstrap)');
  console.log(`  ${pad('N pool', 10)}${pad('M ref', 10)}${pad('total', 8)}stages`);
  for (const [n, m] of [
    [10000, 20000],
    [30000, 20000],
    [100000, 20000],
    [30000, 5000],
    [30000, 100000],
  ] as const) {
    const pool = biasedBootstrap(traits, n, 21);
    const ref = uniformBootstrap(traits, m, 22);
    const { ms, marks } = timedAlign(pool, ref);
    console.log(`  ${pad(n, 10)}${pad(m, 10)}${pad((ms / 1000).toFixed(2), 8)}${stages(marks)}`);
  }
  console.log('  Growth: KDE O(N + M) (binning on a fixed grid, plus exact fallbacks in sparse tails); OT O(iterations x N x 300) while');
  console.log('  N x 300 <= 2^25 (N <= 112k), then constant (personas grid-quantised to <= 112k points) plus O(N) quantisation/extension, and');
  console.log('  O(M) for the reference quantisation; metrics O(100 (N + M) log(N + M)) (SW sorts dominate).');
  console.log('');
}

// 5. Large
if (section(5)) {
  console.log('## 5. Large: 1,000,000 personas vs 100,000 reference rows');
  const pool = biasedBootstrap(traits, 1_000_000, 31);
  const ref = uniformBootstrap(traits, 100_000, 32);
  const rssBefore = process.memoryUsage().rss;
  const { r, ms, marks } = timedAlign(pool, ref);
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(`  total ${(ms / 1000).toFixed(2)} s (${stages(marks)}); peak RSS ${(peak / 2 ** 30).toFixed(2)} GB (RSS before the run ${(rssBefore / 2 ** 30).toFixed(2)} GB)`);
  console.log(`  OT ${r.ot!.sourceSupport} x ${r.ot!.targetSupport} supports, ${r.ot!.iterations} iterations, converged ${r.ot!.converged}; ESS ${r.diagnostics.ess.toFixed(0)}`);
  table1(r);
  const rssBeforeDefault = process.memoryUsage().rss;
  const d = defaultRun(pool, ref, '1,000,000 x 100,000');
  const peakDefault = process.resourceUsage().maxRSS * 1024;
  console.log(`  peak RSS so far ${(peakDefault / 2 ** 30).toFixed(2)} GB (RSS before the default run ${(rssBeforeDefault / 2 ** 30).toFixed(2)} GB)`);
  console.log(`  metrics estimation (sets whose metrics were estimated on a subsample, with SE): ${JSON.stringify(d.diagnostics.metricsEstimation)}`);
  // Like with like: the same generator (biased bootstrap seed 31, the same 100,000-row reference) at 30,000 personas.
  const smallPool = biasedBootstrap(traits, 30_000, 31);
  const small = defaultRun(smallPool, ref, '30,000 x 100,000 (same generator)');
  console.log(`  ${pad('set / metric', 26)}${pad('30,000', 10)}${pad('1,000,000', 11)}ratio`);
  for (const set of ['resample', 'weighted'] as const) {
    for (const k of ['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const) {
      const a = small.metrics[set][k];
      const b = d.metrics[set][k];
      console.log(`  ${pad(`${set === 'resample' ? 'k-set' : 'weighted pool'} ${k}`, 26)}${pad(f4(a), 10)}${pad(f4(b), 11)}${a > 0 ? (b / a).toFixed(2) : '-'}`);
    }
  }
  // One seed's k-set of 1,000 draws carries the draw's noise (the refined draws' FD and MAEcorr, near 1e-6 and 2e-4,
  // differ by a factor of 2 between seeds at either size): the like-with-like comparison is also printed as the mean
  // over five run seeds (0-4), beside the sampling noise of the reference itself (its two halves against each other).
  const laterSeeds = (p: Matrix) => [1, 2, 3, 4].map((seed) => alignPool({ pool: p, reference: ref, config: { estimator: 'auto', selection: 'systematic', seed } }));
  const bigRuns = [d, ...laterSeeds(pool)];
  const smallRuns = [small, ...laterSeeds(smallPool)];
  const mean = (rs: AlignResult[], k: 'amw' | 'fd' | 'sw' | 'mmd' | 'maecorr', set: 'resample' | 'weighted' = 'resample') => rs.reduce((a, x) => a + x.metrics[set][k], 0) / rs.length;
  console.log(`  k-set over run seeds 0-4 (mean; per seed in brackets):`);
  for (const k of ['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const) {
    const a = mean(smallRuns, k);
    const b = mean(bigRuns, k);
    const each = (rs: AlignResult[]) => rs.map((x) => f4(x.metrics.resample[k])).join(' ');
    console.log(`  ${pad(`k-set ${k}`, 26)}${pad(f4(a), 10)}${pad(f4(b), 11)}${(b / a).toFixed(2)}   (30,000: ${each(smallRuns)}; 1,000,000: ${each(bigRuns)})`);
  }
  const half = Math.floor(ref.rows / 2);
  const halves = paperMetrics({ a: selectRows(ref, Array.from({ length: half }, (_, i) => i)), b: selectRows(ref, Array.from({ length: ref.rows - half }, (_, i) => half + i)) });
  console.log(`  reference sampling noise (its first 50,000 rows against the other 50,000): ${(['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const).map((k) => `${k} ${f4(halves[k])}`).join(', ')}`);
  // The floor under each k-set: its own weighted pool (the estimator fitted on half the reference, so not exactly 0).
  console.log(`  weighted pool over the same seeds (mean): ${(['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const).map((k) => `${k} ${f4(mean(smallRuns, k, 'weighted'))} / ${f4(mean(bigRuns, k, 'weighted'))}`).join(', ')} (30,000 / 1,000,000)`);
  if (paperScaleDefault) {
    const ratio = (k: 'amw' | 'fd' | 'sw' | 'mmd' | 'maecorr') => `${k} ${f4(d.metrics.resample[k])} vs ${f4(paperScaleDefault!.metrics.resample[k])}`;
    console.log(`  (k-set at 1M vs the paper-scale pool of section 1, a different reference: ${(['amw', 'fd', 'sw', 'mmd', 'maecorr'] as const).map(ratio).join(', ')})`);
  }
  console.log('');
}

// 6. Live update
if (section(6)) {
  console.log('## 6. Live update: 100,000-persona pool, pool density cached; target = reference (19,718) with slider-style row weights');
  const pool = biasedBootstrap(traits, 100_000, 41);
  const t0 = now();
  const cache = createPoolDensityCache({ pool });
  console.log(`  cache (pool leave-one-out KDE + live grid ${Array.from(cache.grid.shape).join('x')}): ${(now() - t0).toFixed(0)} ms once`);
  const times: number[] = [];
  let last = liveReweight({ cache, target: traits });
  for (let rep = 0; rep < 15; rep++) {
    const shift = (rep % 7) * 0.1;
    const tw = Float64Array.from({ length: traits.rows }, (_, j) => Math.exp(shift * (traits.data[j * 5 + 3]! - 3)));
    const t = now();
    last = liveReweight({ cache, target: traits, targetWeights: tw });
    times.push(now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`  weights + ESS + k-hat + AMW per target edit: median ${times[7]!.toFixed(1)} ms, max ${times[14]!.toFixed(1)} ms (15 edits) (ESS ${last.ess.toFixed(0)}, AMW ${f4(last.amw)})`);
  const idx = Array.from({ length: 1000 }, (_, i) => i * 100);
  const exact = gaussianKde({ data: traits, points: selectRows(pool, idx), bandwidth: 0.5, method: 'exact' }).logDensity;
  const live = liveReweight({ cache, target: traits });
  const err = idx.map((i, t) => Math.abs(live.logTargetDensity[i]! - exact[t]!)).sort((a, b) => a - b);
  console.log(`  live-grid target log density vs exact (live bandwidth 0.5): |error| median ${f4(err[500]!)}, 95% ${f4(err[950]!)}`);
  // Calibration weights per edit (not yet the studio's live path): warm-started entropy balancing on the same pool.
  const ctimes: number[] = [];
  const sub = selectRows(traits, Array.from({ length: 5000 }, (_, i) => i * 3));
  let lambda: Float64Array | undefined;
  for (let rep = 0; rep < 15; rep++) {
    const shift = (rep % 7) * 0.03;
    const target = { ...sub, data: sub.data.map((v, j) => (j % 5 === 3 ? Math.min(5, Math.max(1, v + shift)) : v)) };
    const t = now();
    lambda = liveCalibrate({ cache, target, initialLambda: lambda }).lambda;
    ctimes.push(now() - t);
  }
  ctimes.sort((a, b) => a - b);
  console.log(`  calibration weights + ESS + k-hat + AMW per target edit (5,000 respondents, warm start): median ${ctimes[7]!.toFixed(1)} ms, max ${ctimes[14]!.toFixed(1)} ms (15 edits)`);
}
