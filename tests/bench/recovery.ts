/**
 * `npm run bench:recovery`: how much of the bias of a persona pool each estimator of alignPool removes, on biased
 * pools drawn from the human BIG5 sample itself (so the truth is known). A bench that prints figures, never a test.
 *
 * Design. The 19,718 scored respondents (tests/support/big5.ts) are split in two halves with the seeded permutation
 * of tests/support/recovery.ts (biasedSplit with beta 0 and the whole half as pool, i.e. half A unbiased and half B).
 * A biased pool of size n is drawn from half A with inclusion weight pi(x_i) under one selection mechanism: Poisson
 * sampling (probability min(1, c pi_i), expected size n, no repeats) for n <= 4,929, else n draws WITH replacement,
 * P proportional to pi (z = traits standardised by half A's mean and sd; order E A C N O):
 *   1 tilt       pi = logistic(-1 + 1.2 (zE + zA + zC - zN) / 2)            (positivity, as LLM personas)
 *   2 compress   pi = exp(-|z|^2 / (2 * 1.5^2))                             (rows near the centre)
 *   3 tilt+hole  pi as 1, and 0 where zE < -0.5 and zN > 0.5                (a region the pool never reaches)
 *   4 clusters   pi = max(0.02, max_c exp(-|z - c|^2 / 2)), 4 seeded centres c = z of random half-A rows
 *   5 shape      pi = 0.01 + exp(-(zE^2 - 1.1)^2 / (2 * 0.3^2))             (E turns bimodal; its mean and variance
 *                stay close to the human ones, so first- and second-moment calibration has little to match)
 * Either draw makes the pool density proportional to inclusion(x) p_A(x), so the true weights are 1 / inclusion (the
 * "oracle" row). Sizes from 10,000 exceed half A (9,859 rows) and are drawn with repeats: those pools hold repeated rows.
 * The reference is half B (9,859 rows). Every alignPool choice ('auto', 'calibration', 'raking', 'logistic', 'kde',
 * 'paper') is run with its defaults (selection 'systematic', k = 1,000, seed = the run's seed).
 *
 * Metrics: AMW, FD, SW (100 directions, seed 0), MMD (RBF, median heuristic), MAEcorr via paperMetricsBatch, against
 * half B, for (a) the weighted pool and (b) the k-set. Raw = the whole unweighted pool. Floor = a uniform draw of
 * 1,000 rows of half A (without replacement) against half B: the error of an unbiased set of the same size.
 * Gap closed, per metric: (raw - x) / (raw - floor), clipped to [-1, 1.5]; a metric with raw <= floor (nothing to
 * close) is left out of the mean and counted. The figure is the mean over the (kept) five metrics, then over seeds.
 * 1 = as good as an unbiased random k-set; the weighted pool can pass 1 because it is larger than k.
 *
 * Flags: --seeds N (default 3), --large (adds n = 30,000 and 300,000; slow), --sizes 2000,10000 and --mechanisms 1,5
 * (a subset, for a quick look). Default run: n = 2,000 and 10,000,
 * 3 seeds, 5 mechanisms = 30 cases x 6 estimators; measured at about 10 minutes on 2 idle cores and 26 minutes on 2
 * busy shared ones (the printed total is the run's own). Use --seeds 1 for a quick look.
 *
 * The summary ends with one line per target of auto's k-set: mean gap closed >= 90%; never worse than Raw on any
 * metric (every run); the same beyond a k-set's noise (worse than Raw on a metric where Raw is above the floor, or
 * worse than both), with the oracle's k-set as witness of what correct weights achieve there; within 5 points of the
 * best single estimator on every case (mean over seeds). Each metric where auto's k-set is worse than Raw is printed
 * with Raw, the floor and the oracle's k-set.
 */
import os from 'node:os';
import { loadBig5Traits } from '../support/big5';
import { biasedSplit } from '../support/recovery';
import { alignPool, selectMultinomial, selectSystematic, selectWithoutReplacement, type EstimatorChoice } from '../../lib/align';
import { createRng, selectRows, type Matrix } from '../../lib/numeric';
import { paperMetricsBatch, weightDiagnostics, weightedMoments, PAPER_METRICS, type PaperMetrics } from '../../lib/stats';

const args = process.argv.slice(2);
const seedsArg = args.indexOf('--seeds');
const SEEDS = seedsArg >= 0 ? Math.max(1, Number.parseInt(args[seedsArg + 1] ?? '3', 10) || 3) : 3;
const LARGE = args.includes('--large');
const listArg = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? (args[i + 1] ?? '').split(',').map((v) => Number.parseInt(v, 10)).filter((v) => Number.isFinite(v)) : null;
};
const SIZES = listArg('--sizes') ?? (LARGE ? [2_000, 10_000, 30_000, 300_000] : [2_000, 10_000]);
/** --mechanisms 1,5: only those mechanisms (numbered as below). */
const ONLY = listArg('--mechanisms');
const K = 1_000;
const ESTIMATORS: EstimatorChoice[] = ['auto', 'calibration', 'raking', 'logistic', 'kde', 'paper'];
const METRIC_OPTS = { seed: 0, projections: 100 };

type Mechanism = { name: string; make: (A: Matrix, seed: number) => Float64Array };

/** z-scores of half A's rows (by half A's own mean and sd). */
function zScores(A: Matrix): Float64Array {
  const m = weightedMoments(A);
  const z = new Float64Array(A.rows * 5);
  for (let i = 0; i < A.rows; i++) for (let k = 0; k < 5; k++) z[i * 5 + k] = (A.data[i * 5 + k]! - m.mean[k]!) / m.sd[k]!;
  return z;
}
const E = 0, A_ = 1, C = 2, N = 3;
const logistic = (t: number) => 1 / (1 + Math.exp(-t));
const tilt = (z: Float64Array, i: number) => logistic(-1 + 1.2 * ((z[i * 5 + E]! + z[i * 5 + A_]! + z[i * 5 + C]! - z[i * 5 + N]!) / 2));

const MECHANISMS: Mechanism[] = [
  {
    name: '1 tilt (E+A+C-N)',
    make: (A) => {
      const z = zScores(A);
      return Float64Array.from({ length: A.rows }, (_, i) => tilt(z, i));
    },
  },
  {
    name: '2 variance compression',
    make: (A) => {
      const z = zScores(A);
      return Float64Array.from({ length: A.rows }, (_, i) => {
        let r2 = 0;
        for (let k = 0; k < 5; k++) r2 += z[i * 5 + k]! ** 2;
        return Math.exp(-r2 / (2 * 1.5 ** 2));
      });
    },
  },
  {
    name: '3 tilt + hole (low E, high N)',
    make: (A) => {
      const z = zScores(A);
      return Float64Array.from({ length: A.rows }, (_, i) => (z[i * 5 + E]! < -0.5 && z[i * 5 + N]! > 0.5 ? 0 : tilt(z, i)));
    },
  },
  {
    name: '4 archetype clusters',
    make: (A, seed) => {
      const z = zScores(A);
      const rng = createRng(1000 + seed);
      const centres = Array.from({ length: 4 }, () => rng.nextInt(A.rows));
      return Float64Array.from({ length: A.rows }, (_, i) => {
        let best = 0;
        for (const c of centres) {
          let d2 = 0;
          for (let k = 0; k < 5; k++) d2 += (z[i * 5 + k]! - z[c * 5 + k]!) ** 2;
          best = Math.max(best, Math.exp(-d2 / 2));
        }
        return Math.max(0.02, best);
      });
    },
  },
  {
    name: '5 shape (bimodal E, moments kept)',
    make: (A) => {
      const z = zScores(A);
      return Float64Array.from({ length: A.rows }, (_, i) => 0.01 + Math.exp(-((z[i * 5 + E]! ** 2 - 1.1) ** 2) / (2 * 0.3 ** 2)));
    },
  },
];

interface Row {
  gapW: number;
  gapK: number;
  ess: number;
  distinct: number;
  secs: number;
  excludedW: number;
  excludedK: number;
  worseW: (keyof PaperMetrics)[];
  worseK: (keyof PaperMetrics)[];
  /** The k-set's five metrics. */
  k: PaperMetrics;
  /** auto only: the estimator it chose. */
  pick?: string;
}

/** Mean over metrics of the clipped share of the raw-to-floor gap closed; metrics with raw <= floor are left out. */
function gapClosed(raw: PaperMetrics, floor: PaperMetrics, x: PaperMetrics): { gap: number; excluded: number } {
  let s = 0;
  let c = 0;
  for (const m of PAPER_METRICS) {
    const den = raw[m] - floor[m];
    if (!(den > 0)) continue;
    s += Math.min(1.5, Math.max(-1, (raw[m] - x[m]) / den));
    c++;
  }
  return { gap: c ? s / c : NaN, excluded: PAPER_METRICS.length - c };
}
const worse = (raw: PaperMetrics, x: PaperMetrics): (keyof PaperMetrics)[] => PAPER_METRICS.filter((m) => x[m] > raw[m]);
const distinctCount = (idx: ArrayLike<number>) => new Set(Array.from(idx)).size;

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : 'n/a');
const pad = (s: string | number, w: number) => String(s).padEnd(w);
const lpad = (s: string | number, w: number) => String(s).padStart(w);

const t00 = performance.now();
const { traits } = loadBig5Traits();
const cpus = os.cpus();
console.log(`# Populace recovery bench (node ${process.version}; ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores)`);
console.log(`# ${traits.rows} respondents split in halves A / B per seed; pool sizes ${SIZES.join(', ')}; seeds ${Array.from({ length: SEEDS }, (_, s) => s + 1).join(', ')}; k = ${K}; selection systematic`);
console.log('# Pool from half A: Poisson sampling with probability min(1, c pi) for n <= 4,929, else draws with replacement P ~ pi; reference = half B.');
console.log('# Gap closed = mean over AMW, FD, SW, MMD, MAEcorr of (raw - x) / (raw - floor), each clipped to [-1, 1.5]; floor = uniform');
console.log('# 1,000-row draw from half A vs half B; metrics with raw <= floor left out (count in "excl"). W = weighted pool, K = k-set.');
console.log('# Oracle = true weights 1/pi (normalised); its k-set is a systematic draw of 1,000 on those weights.\n');

// Per case (mechanism x size): per estimator (plus oracle) the rows of every seed.
type CaseResult = { mech: string; n: number; rows: Map<string, Row[]>; rawMean: number[]; floorMean: number[]; shift: [number, number][]; raw: PaperMetrics[]; floor: PaperMetrics[] };

/**
 * The biased pool: Poisson sampling (row i kept independently with probability min(1, c pi_i), c set so the expected
 * size is n; no repeats) when n <= half of half A, else n draws with replacement with P proportional to pi. Either
 * way the returned `inclusion` is proportional to the pool's density ratio to half A, so 1 / inclusion are true weights.
 */
function drawPool(pi: Float64Array, n: number, rng: ReturnType<typeof createRng>): { drawn: Uint32Array; inclusion: Float64Array } {
  if (n <= pi.length / 2) {
    let lo = 0;
    let hi = 1;
    const expected = (c: number) => pi.reduce((a, p) => a + Math.min(1, c * p), 0);
    while (expected(hi) < n) hi *= 2;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2;
      if (expected(mid) < n) lo = mid;
      else hi = mid;
    }
    const inclusion = Float64Array.from(pi, (p) => Math.min(1, hi * p));
    const drawn: number[] = [];
    for (let i = 0; i < pi.length; i++) if (rng.next() < inclusion[i]!) drawn.push(i);
    return { drawn: Uint32Array.from(drawn), inclusion };
  }
  return { drawn: selectMultinomial({ weights: pi, size: n, rng }).indices, inclusion: pi };
}

/** Largest |mean difference| (in reference sd) and largest |log sd ratio| over the five traits, pool vs reference. */
function momentShift(pool: Matrix, ref: Matrix): [number, number] {
  const p = weightedMoments(pool);
  const r = weightedMoments(ref);
  let dm = 0;
  let ds = 0;
  for (let k = 0; k < 5; k++) {
    dm = Math.max(dm, Math.abs(p.mean[k]! - r.mean[k]!) / r.sd[k]!);
    ds = Math.max(ds, Math.abs(Math.log(p.sd[k]! / r.sd[k]!)));
  }
  return [dm, ds];
}
const cases: CaseResult[] = [];
const splits = Array.from({ length: SEEDS }, (_, s) => {
  const { pool: halfA, reference: halfB } = biasedSplit(traits, { seed: s + 1, poolSize: traits.rows, beta: 0 });
  return { halfA, halfB };
});

// Warm-up (JIT) so the first timed case is not penalised.
{
  const { halfA, halfB } = splits[0]!;
  const small = selectRows(halfA, Array.from({ length: 500 }, (_, i) => i));
  for (const estimator of ESTIMATORS) alignPool({ pool: small, reference: halfB, config: { estimator, seed: 0, size: 200 } });
}

for (const mech of MECHANISMS.filter((_, i) => ONLY === null || ONLY.includes(i + 1))) {
  for (const n of SIZES) {
    const rows = new Map<string, Row[]>();
    const push = (k: string, r: Row) => rows.set(k, [...(rows.get(k) ?? []), r]);
    const rawMean: number[] = [];
    const floorMean: number[] = [];
    const shift: [number, number][] = [];
    const raws: PaperMetrics[] = [];
    const floors: PaperMetrics[] = [];
    for (let s = 0; s < SEEDS; s++) {
      const seed = s + 1;
      const { halfA, halfB } = splits[s]!;
      const pi = mech.make(halfA, seed);
      const rng = createRng(7919 * seed + n);
      const { drawn, inclusion } = drawPool(pi, n, rng);
      const pool = selectRows(halfA, drawn);
      shift.push(momentShift(pool, halfB));
      const floorIdx = selectWithoutReplacement({ weights: new Float64Array(halfA.rows).fill(1), size: K, rng }).indices;
      const oracleW = Float64Array.from(drawn, (i) => 1 / inclusion[i]!);
      const oracleSel = selectSystematic({ weights: oracleW, size: K, rng }).indices;
      const [raw, floor, oW, oK] = paperMetricsBatch(
        [{ a: pool }, { a: selectRows(halfA, floorIdx) }, { a: pool, aWeights: oracleW }, { a: selectRows(pool, oracleSel) }],
        halfB,
        undefined,
        METRIC_OPTS,
      ) as [PaperMetrics, PaperMetrics, PaperMetrics, PaperMetrics];
      raws.push(raw);
      floors.push(floor);
      rawMean.push(PAPER_METRICS.reduce((a, m) => a + raw[m], 0) / 5);
      floorMean.push(PAPER_METRICS.reduce((a, m) => a + floor[m], 0) / 5);
      const row = (w: PaperMetrics, k: PaperMetrics, ess: number, distinct: number, secs: number): Row => {
        const gw = gapClosed(raw, floor, w);
        const gk = gapClosed(raw, floor, k);
        return { gapW: gw.gap, gapK: gk.gap, excludedW: gw.excluded, excludedK: gk.excluded, ess, distinct, secs, worseW: worse(raw, w), worseK: worse(raw, k), k };
      };
      push('oracle (1/pi)', row(oW, oK, weightDiagnostics(oracleW).ess, distinctCount(oracleSel), 0));
      for (const estimator of ESTIMATORS) {
        const t0 = performance.now();
        const r = alignPool({ pool, reference: halfB, config: { estimator, seed, size: K, selection: 'systematic' } });
        const secs = (performance.now() - t0) / 1000;
        const x = row(r.metrics.weighted, r.metrics.resample, r.diagnostics.ess, distinctCount(r.selection), secs);
        push(estimator, estimator === 'auto' ? { ...x, pick: r.estimator.used.label } : x);
      }
    }
    cases.push({ mech: mech.name, n, rows, rawMean, floorMean, shift, raw: raws, floor: floors });
    printCase(cases[cases.length - 1]!);
  }
}

function mean(xs: number[]) {
  const ok = xs.filter((x) => Number.isFinite(x));
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}

function printCase(c: CaseResult) {
  const sm = mean(c.shift.map((x) => x[0]));
  const ss = mean(c.shift.map((x) => x[1]));
  console.log(`## ${c.mech}, n = ${c.n.toLocaleString('en-US')}  (mean of 5 metrics: raw ${mean(c.rawMean).toFixed(4)}, floor ${mean(c.floorMean).toFixed(4)}; ${SEEDS} seeds)`);
  console.log(`  pool vs reference: largest |mean shift| ${sm.toFixed(2)} sd, largest |log sd ratio| ${ss.toFixed(2)}`);
  console.log(`  ${pad('estimator', 16)}${lpad('gap W', 7)}${lpad('gap K', 7)}${lpad('excl W/K', 10)}${lpad('ESS', 9)}${lpad('distinct', 10)}${lpad('s', 8)}  worse than Raw (W | K)`);
  for (const [name, rs] of c.rows) {
    const worseW = [...new Set(rs.flatMap((r) => r.worseW))].join(',') || '-';
    const worseK = [...new Set(rs.flatMap((r) => r.worseK))].join(',') || '-';
    console.log(
      `  ${pad(name, 16)}${lpad(pct(mean(rs.map((r) => r.gapW))), 7)}${lpad(pct(mean(rs.map((r) => r.gapK))), 7)}` +
        `${lpad(`${rs.reduce((a, r) => a + r.excludedW, 0)}/${rs.reduce((a, r) => a + r.excludedK, 0)}`, 10)}` +
        `${lpad(mean(rs.map((r) => r.ess)).toFixed(0), 9)}${lpad(mean(rs.map((r) => r.distinct)).toFixed(0), 10)}${lpad(mean(rs.map((r) => r.secs)).toFixed(2), 8)}  ${worseW} | ${worseK}`,
    );
  }
  const picks = (c.rows.get('auto') ?? []).map((r) => r.pick ?? '?');
  console.log(`  auto chose: ${picks.join('; ')}\n`);
}

// Summary for auto, with one line per target.
{
  const singles = ESTIMATORS.filter((e) => e !== 'auto');
  const label = (c: CaseResult) => `${c.mech}, n=${c.n}`;
  const f4 = (x: number) => x.toFixed(4);
  console.log('## Summary: auto');
  const gW = cases.map((c) => mean(c.rows.get('auto')!.map((r) => r.gapW)));
  const gK = cases.map((c) => mean(c.rows.get('auto')!.map((r) => r.gapK)));
  const worstIdx = (g: number[]) => g.reduce((b, x, i) => (x < g[b]! ? i : b), 0);
  console.log(`  mean gap closed over ${cases.length} mechanism x size cases: weighted pool ${pct(mean(gW))}, k-set ${pct(mean(gK))}`);
  console.log(`  worst case: weighted pool ${pct(gW[worstIdx(gW)]!)} (${label(cases[worstIdx(gW)]!)}); k-set ${pct(gK[worstIdx(gK)]!)} (${label(cases[worstIdx(gK)]!)})`);

  // Worse than Raw: every run of auto, k-set and weighted pool; per failing k-set run the figures of the metric.
  let runs = 0;
  let worseWCount = 0;
  const failing: string[] = [];
  const failingRuns: string[] = [];
  let failingMetrics = 0;
  const beyondNoise: string[] = [];
  const oracleFails: string[] = [];
  for (const c of cases) {
    c.rows.get('auto')!.forEach((r, s) => {
      runs++;
      if (r.worseW.length) worseWCount++;
      if (!r.worseK.length) return;
      const raw = c.raw[s]!;
      const floor = c.floor[s]!;
      const oracle = c.rows.get('oracle (1/pi)')![s]!.k;
      failingRuns.push(`${label(c)} seed ${s + 1}`);
      failing.push(`${label(c)} seed ${s + 1} (${r.pick}): W[${r.worseW.join(',') || '-'}] K[${r.worseK.join(',')}]`);
      for (const m of r.worseK) {
        failingMetrics++;
        console.log(
          `    ${label(c)} seed ${s + 1}, ${m}: auto k-set ${f4(r.k[m])}, Raw ${f4(raw[m])}, floor ${f4(floor[m])} (unbiased random k-set), oracle k-set ${f4(oracle[m])}`,
        );
        // Attainable: Raw above the floor (an unbiased k-set beats it) or auto worse than the floor too.
        if (raw[m] > floor[m] || r.k[m] > floor[m]) beyondNoise.push(`${label(c)} seed ${s + 1} ${m}`);
        if (oracle[m] > raw[m]) oracleFails.push(`${label(c)} seed ${s + 1} ${m}`);
      }
    });
  }
  const failingK = failing.length;
  console.log(`  worse than Raw on any metric: weighted pool in ${worseWCount} of ${runs} runs, k-set in ${failingK} of ${runs} runs${failingK ? ':' : ''}`);
  for (const w of failing) console.log(`    ${w}`);

  // Distance from the best single estimator.
  const dW: number[] = [];
  const dK: number[] = [];
  const farK: string[] = [];
  console.log('  distance from the best single estimator per case (auto minus best, percentage points; best named):');
  console.log(`    ${pad('case', 44)}${pad('weighted pool', 30)}k-set`);
  for (const c of cases) {
    const best = (key: 'gapW' | 'gapK') => {
      let b = { name: '', v: -Infinity };
      for (const e of singles) {
        const v = mean(c.rows.get(e)!.map((r) => r[key]));
        if (v > b.v) b = { name: e, v };
      }
      return b;
    };
    const bw = best('gapW');
    const bk = best('gapK');
    const aw = mean(c.rows.get('auto')!.map((r) => r.gapW));
    const ak = mean(c.rows.get('auto')!.map((r) => r.gapK));
    dW.push(100 * (aw - bw.v));
    dK.push(100 * (ak - bk.v));
    if (100 * (ak - bk.v) < -5) farK.push(`${label(c)} (${(100 * (ak - bk.v)).toFixed(1)} pp vs ${bk.name})`);
    const f = (d: number, b: string) => `${d >= 0 ? '+' : ''}${d.toFixed(1)} pp (best ${b})`;
    console.log(`    ${pad(label(c), 44)}${pad(f(100 * (aw - bw.v), bw.name), 30)}${f(100 * (ak - bk.v), bk.name)}`);
  }
  console.log(`    mean distance: weighted pool ${mean(dW).toFixed(1)} pp, k-set ${mean(dK).toFixed(1)} pp; worst: weighted ${Math.min(...dW).toFixed(1)} pp, k-set ${Math.min(...dK).toFixed(1)} pp`);

  const met = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  console.log('\n## Targets (auto\'s k-set)');
  console.log(`  [${met(mean(gK) >= 0.9)}] mean gap closed >= 90%: ${pct(mean(gK))} over ${cases.length} cases`);
  console.log(
    `  [${met(failingK === 0)}] never worse than Raw on any metric: ${failingK} of ${runs} runs worse somewhere${failingK ? ` (${failingRuns.join('; ')})` : ''}`,
  );
  console.log(
    `  [${met(beyondNoise.length === 0)}] ... beyond the noise of a k-set (worse than Raw where Raw is above the floor, or worse than both): ${beyondNoise.length ? beyondNoise.join('; ') : 'none'}` +
      (oracleFails.length ? `; the oracle's k-set (true weights) is worse than Raw there too in ${oracleFails.length} of the ${failingMetrics} (run, metric) pairs: ${oracleFails.join('; ')}` : ''),
  );
  console.log(`  [${met(farK.length === 0)}] within 5 points of the best single estimator on every case: ${cases.length - farK.length} of ${cases.length}${farK.length ? `; not: ${farK.join('; ')}` : ''}`);
  console.log(`\n  total run time ${((performance.now() - t00) / 1000).toFixed(0)} s`);
}
