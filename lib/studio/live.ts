/**
 * The studio's live computation, run inside a Web Worker: everything that follows a slider move, in one update.
 * Pure (core imports only), so tests and the bench exercise it directly.
 *
 * One update per edit: apply the slider transforms to the reference (the target), weight the pool (calibration by
 * default, warm-started from the previous edit; or the paper's KDE importance weights), weight health, the five metrics
 * of the weighted pool, of the pool as it is and of each no-persona baseline, coverage, ASMD, marginal densities,
 * correlation differences, the weight histogram and the two-trait scatter. Nothing is deferred, so when the page has
 * drawn a result every panel shows the same target. SW and MMD use seeded subsamples and a per-session MMD bandwidth
 * (in `notes`); everything pool-side that does not depend on the target is cached at load.
 */
import { coverage, coverageIndex, type CoverageIndex } from '../align/coverage';
import { createPoolDensityCache, liveReweight, traitOrder, type PoolDensityCache } from '../align';
import { liveCalibrate } from '../align/liveCalibrate';
import { cachedOrderAmw, poolOrder, sortTarget, type PoolOrder, type SortedTarget } from '../align/liveReweight';
import { selectMultinomial } from '../align/selectMultinomial';
import { STUDIO_KDE_BANDWIDTH } from '../core/defaults';
import { TRAITS } from '../core/traits';
import { createRng } from '../numeric/rng';
import { sampleIndices } from '../numeric/sampleIndices';
import type { Matrix } from '../numeric/matrix';
import {
  asmdFromMoments,
  frechetFromMoments,
  maeCorrFromMoments,
  medianHeuristic,
  mmdGram,
  mmdWithGram,
  sortedProjections,
  weightedMoments,
  type MmdGram,
  type SortedProjections,
  type WeightedMoments,
} from '../stats';
import { evenGrid, marginalDensities } from '../stats/marginalDensities';
import { wasserstein1dSorted } from '../stats/wasserstein1d';
import { applyTransforms, traitMoments, type TraitMoments, type TraitTransform } from '../targets/transform';
import type { BaselineMetrics, CoverageRegion, FiveMetrics, KdeBandwidth, LiveBalance, LiveMethod, LiveResult, ScatterPoints } from './live-types';

/** The monotonic clock of every runtime this module runs in (the studio's Web Worker, Node); it times the stages only. */
declare const performance: { now(): number };

/** Subsample sizes of the live SW and MMD (full runs use every point). */
export const LIVE_SUBSAMPLE = 600;
/**
 * Respondents used for the live KDE target density: the cost of a KDE reweight grows with the target size (binning
 * and sorting), and 5,000 seeded respondents cut it about fourfold on the full reference (46 -> 12 ms in Node) at a
 * kernel of 0.5 points. Calibration and every AMW use every respondent.
 */
export const LIVE_TARGET_SAMPLE = 5000;
/** MMD is O((n + m)^2): it gets a smaller subsample. */
export const LIVE_MMD_SUBSAMPLE = 300;
/**
 * Grid budget of the live KDE target density: 2^16 nodes (9 per trait). Measured on a 1,263-persona pool drawn from
 * the BIG5 sample with an agreeable, stable bias against 5,000 respondents: L1 distance of the weights to those of a
 * 2^21 grid 0.025 at 2^16, 0.038 at 2^17 and 0.049 at 2^15, at 10.2, 12.1 and 8.7 ms per update (Node 20, 2-core EPYC).
 */
export const LIVE_GRID_NODES = 1 << 16;
export const LIVE_PROJECTIONS = 50;
/** Points per side of the two-trait scatter. */
export const SCATTER_POINTS = 300;
const GRID = evenGrid(1, 5, 41);
const MARGINAL_BANDWIDTH = 0.15;
const COVERAGE_RADIUS = 1;

function matrix(data: Float64Array, rows: number): Matrix {
  return { data, rows, cols: 5 };
}

/** A seeded subsample of row indices (uniform, without replacement), sorted; all rows when there are few. */
function subsampleIndices(n: number, k: number, seed: number): Uint32Array {
  if (n <= k) return Uint32Array.from({ length: n }, (_, i) => i);
  return sampleIndices(n, k, createRng(seed)).slice().sort();
}

function take(data: Float64Array, idx: Uint32Array): Float64Array {
  const out = new Float64Array(idx.length * 5);
  idx.forEach((i, r) => out.set(data.subarray(i * 5, i * 5 + 5), r * 5));
  return out;
}

function corrMatrix(m: WeightedMoments): number[][] {
  const c = m.correlation;
  return Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => c[i * 5 + j]!));
}

function describePattern(pattern: Int8Array, ranges: Float64Array): string {
  const parts: string[] = [];
  pattern.forEach((p, k) => {
    if (p < 0) parts.push(`low ${TRAITS[k]} (≤ ${ranges[2 * k + 1]!.toFixed(1)})`);
    else if (p > 0) parts.push(`high ${TRAITS[k]} (≥ ${ranges[2 * k]!.toFixed(1)})`);
  });
  return parts.length ? parts.join(', ') : 'scores near the average on every trait';
}

/** AMW of a set under uniform weights from its per-trait sorted values (d x n) against the sorted target. O(d (n + m)). */
function uniformAmw(sorted: Float64Array, n: number, target: SortedTarget, targetUniform: Float64Array): number {
  const m = targetUniform.length;
  const w = new Float64Array(n).fill(1 / n);
  let s = 0;
  for (let k = 0; k < 5; k++) s += wasserstein1dSorted(sorted.subarray(k * n, (k + 1) * n), w, target.sortedValues.subarray(k * m, (k + 1) * m), targetUniform);
  return s / 5;
}

/**
 * Sliced Wasserstein-1 between two samples projected on the same seeded directions and sorted (sortedProjections with
 * the same count and seed): the mean over directions of the 1-D W1 of the projections, the first sample under
 * `aWeights` (default uniform), the second uniform. Same value as slicedWasserstein; each side is sorted once for
 * any number of comparisons. O(L (n + m)).
 */
function slicedW1(a: SortedProjections, aWeights: ArrayLike<number> | undefined, b: SortedProjections): number {
  const L = a.directions.length / a.cols;
  const wa = new Float64Array(a.rows);
  const wb = new Float64Array(b.rows).fill(1 / b.rows);
  let total = 0;
  if (aWeights) for (let i = 0; i < a.rows; i++) total += aWeights[i]!;
  let s = 0;
  for (let l = 0; l < L; l++) {
    if (aWeights) for (let t = 0; t < a.rows; t++) wa[t] = aWeights[a.order[l * a.rows + t]!]! / total;
    else wa.fill(1 / a.rows);
    s += wasserstein1dSorted(a.values.subarray(l * a.rows, (l + 1) * a.rows), wa, b.values.subarray(l * b.rows, (l + 1) * b.rows), wb);
  }
  return s / L;
}

/** A comparison set measured live without weights: its sorted marginals, SW projections, MMD Gram matrix and moments. */
interface FixedSet {
  n: number;
  sorted: Float64Array;
  projections: SortedProjections;
  gram: MmdGram;
  moments: WeightedMoments;
}

export interface LiveSessionInput {
  pool: ArrayLike<number>;
  poolN: number;
  reference: ArrayLike<number>;
  referenceN: number;
  baselines?: { id: string; label: string; data: ArrayLike<number>; n: number }[];
  /** Live weights (default 'calibration'). */
  method?: LiveMethod;
  /** KDE bandwidth (method 'kde' only). */
  bandwidth?: KdeBandwidth;
}

export class LiveSession {
  readonly method: LiveMethod;
  readonly bandwidth: KdeBandwidth;
  private readonly pool: Matrix;
  private readonly poolN: number;
  /** The pool's per-trait sort order (AMW); with KDE weights the pool density cache, which carries it too. */
  private readonly order: PoolOrder;
  private readonly kdeCache: PoolDensityCache | null;
  private readonly reference: Float64Array;
  private readonly referenceN: number;
  private readonly refMoments: TraitMoments;
  /** Per-trait order of the respondents: the slider maps are increasing per trait, so it never changes. */
  private readonly referenceOrder: Uint32Array;
  private readonly targetUniform: Float64Array;
  private readonly baselines: (FixedSet & { id: string; label: string })[];
  private readonly rawPool: FixedSet;
  private readonly poolSubIdx: Uint32Array;
  private readonly targetSubIdx: Uint32Array;
  private readonly targetLiveIdx: Uint32Array;
  private readonly targetLiveOrder: Uint32Array;
  private readonly poolMmdIdx: Uint32Array;
  private readonly targetMmdIdx: Uint32Array;
  private readonly scatterIdx: Uint32Array;
  private readonly mmdBandwidth: number;
  private readonly coverageIdx: CoverageIndex;
  private readonly poolMarginals: number[][];
  private readonly poolCorr: number[][];
  private lambda: Float64Array | undefined;
  private lastTarget: Float64Array | null = null;
  private lastWeights: Float64Array | null = null;

  constructor(input: LiveSessionInput) {
    this.method = input.method ?? 'calibration';
    this.poolN = input.poolN;
    this.bandwidth = input.bandwidth ?? STUDIO_KDE_BANDWIDTH;
    const pool = matrix(Float64Array.from(input.pool), input.poolN);
    this.pool = pool;
    this.kdeCache =
      this.method === 'kde' ? createPoolDensityCache({ pool, options: { bandwidth: this.bandwidth, liveMaxNodes: LIVE_GRID_NODES } }) : null;
    this.order = this.kdeCache ?? poolOrder(pool);
    this.reference = Float64Array.from(input.reference);
    this.referenceN = input.referenceN;
    this.refMoments = traitMoments(this.reference, this.referenceN);
    this.referenceOrder = traitOrder(matrix(this.reference, this.referenceN));
    this.targetUniform = new Float64Array(this.referenceN).fill(1 / this.referenceN);
    this.poolSubIdx = subsampleIndices(input.poolN, LIVE_SUBSAMPLE, 11);
    this.targetSubIdx = subsampleIndices(input.referenceN, LIVE_SUBSAMPLE, 12);
    this.targetLiveIdx = subsampleIndices(input.referenceN, LIVE_TARGET_SAMPLE, 17);
    this.targetLiveOrder = traitOrder(matrix(take(this.reference, this.targetLiveIdx), this.targetLiveIdx.length));
    this.poolMmdIdx = subsampleIndices(input.poolN, LIVE_MMD_SUBSAMPLE, 15);
    this.targetMmdIdx = subsampleIndices(input.referenceN, LIVE_MMD_SUBSAMPLE, 16);
    this.scatterIdx = subsampleIndices(input.referenceN, SCATTER_POINTS, 13);
    const poolSub = matrix(take(pool.data, this.poolSubIdx), this.poolSubIdx.length);
    this.mmdBandwidth = medianHeuristic(poolSub, matrix(take(this.reference, this.targetSubIdx), this.targetSubIdx.length), 0);
    this.coverageIdx = coverageIndex({ pool, mean: this.refMoments.mean, sd: this.refMoments.sd, radius: COVERAGE_RADIUS });
    this.poolMarginals = marginalDensities(pool, undefined, GRID, MARGINAL_BANDWIDTH).map((a) => Array.from(a));
    // The pool's SW projections and MMD Gram matrix are on subsamples (their weights change live); a baseline's on
    // every answer set.
    this.rawPool = {
      n: pool.rows,
      sorted: this.order.sortedValues,
      projections: sortedProjections(poolSub, { projections: LIVE_PROJECTIONS, seed: 0 }),
      gram: mmdGram(matrix(take(pool.data, this.poolMmdIdx), this.poolMmdIdx.length), this.mmdBandwidth),
      moments: weightedMoments(pool),
    };
    this.poolCorr = corrMatrix(this.rawPool.moments);
    this.baselines = (input.baselines ?? []).map((b) => {
      const a = matrix(Float64Array.from(b.data), b.n);
      return {
        id: b.id,
        label: b.label,
        n: b.n,
        sorted: poolOrder(a).sortedValues,
        projections: sortedProjections(a, { projections: LIVE_PROJECTIONS, seed: 0 }),
        gram: mmdGram(a, this.mmdBandwidth),
        moments: weightedMoments(a),
      };
    });
  }

  /** Every live figure for new slider transforms; the scatter shows `traits` (x, y). */
  update(requestId: number, transforms: readonly TraitTransform[], traits: [number, number] = [0, 3]): LiveResult {
    const t0 = performance.now();
    const stages: Record<string, number> = {};
    let mark = t0;
    const lap = (name: string) => {
      const now = performance.now();
      stages[name] = now - mark;
      mark = now;
    };
    const target = applyTransforms(this.reference, this.referenceN, transforms, this.refMoments);
    const tm = matrix(target, this.referenceN);
    const sorted = sortTarget(tm, this.referenceOrder);
    const targetSub = matrix(take(target, this.targetSubIdx), this.targetSubIdx.length);
    const targetMmd = matrix(take(target, this.targetMmdIdx), this.targetMmdIdx.length);
    // Every set's SW shares the target subsample's sorted projections.
    const targetProjections = sortedProjections(targetSub, { projections: LIVE_PROJECTIONS, seed: 0 });
    lap('target');

    let w: Float64Array;
    let amw: number;
    let targetMoments: WeightedMoments;
    let weightedPoolMoments: WeightedMoments;
    let diagnostics: LiveResult['diagnostics'];
    let balance: LiveBalance | null = null;
    let warnings: string[] = [];
    if (this.kdeCache) {
      const targetLive = matrix(take(target, this.targetLiveIdx), this.targetLiveIdx.length);
      const live = liveReweight({ cache: this.kdeCache, target: targetLive, targetOrder: this.targetLiveOrder });
      w = live.weights;
      // AMW against every respondent, like every other set's.
      amw = cachedOrderAmw(this.order, sorted, w, this.targetUniform).amw;
      targetMoments = weightedMoments(tm);
      weightedPoolMoments = weightedMoments(this.pool, w);
      diagnostics = { ess: live.ess, designEffect: live.designEffect, maxWeightShare: live.maxWeightShare, khat: live.khat };
    } else {
      const live = liveCalibrate({ cache: this.order, target: tm, targetWeights: this.targetUniform, targetOrder: this.referenceOrder, initialLambda: this.lambda });
      this.lambda = live.converged ? live.lambda : undefined;
      w = live.weights;
      amw = live.amw;
      targetMoments = live.moments.target;
      weightedPoolMoments = live.moments.pool;
      diagnostics = { ess: live.ess, designEffect: live.designEffect, maxWeightShare: live.maxWeightShare, khat: live.khat };
      const worst = live.constraints.reduce((a, c) => (Math.abs(c.gap) > Math.abs(a.gap) ? c : a), live.constraints[0]!);
      balance = { solvedRows: live.solvedRows, maxGap: live.maxGap, worst: worst.name, converged: live.converged, iterations: live.iterations };
      warnings = live.warnings;
    }
    this.lastTarget = target;
    this.lastWeights = w;
    lap('weights');

    const wSub = Float64Array.from(this.poolSubIdx, (i) => w[i]!);
    const wMmd = Float64Array.from(this.poolMmdIdx, (i) => w[i]!);
    let wSubTotal = 0;
    for (const v of wSub) wSubTotal += v;
    let wMmdTotal = 0;
    for (const v of wMmd) wMmdTotal += v;
    const raw = this.rawPool;
    const metrics = {
      weighted: {
        amw,
        fd: frechetFromMoments(weightedPoolMoments, targetMoments),
        // When the subsample carries no weight at all, SW and MMD are not defined for it.
        sw: wSubTotal > 0 ? slicedW1(raw.projections, wSub, targetProjections) : NaN,
        mmd: wMmdTotal > 0 ? mmdWithGram(raw.gram, wMmd, targetMmd) : NaN,
        maecorr: maeCorrFromMoments(weightedPoolMoments, targetMoments),
      },
      raw: this.fixedMetrics(raw, sorted, targetMoments, targetProjections, targetMmd),
    };
    lap('metrics');
    const baselines: BaselineMetrics[] = this.baselines.map((b) => ({
      id: b.id,
      label: b.label,
      n: b.n,
      metrics: this.fixedMetrics(b, sorted, targetMoments, targetProjections, targetMmd),
    }));
    lap('baselines');
    const cov = coverage({ index: this.coverageIdx, target: matrix(take(target, this.targetLiveIdx), this.targetLiveIdx.length) });
    const regions: CoverageRegion[] = cov.gaps
      .filter((g) => g.share >= 0.005)
      .map((g) => ({
        description: describePattern(g.pattern, g.ranges),
        share: g.share,
        center: Array.from(g.center),
        ranges: Array.from({ length: 5 }, (_, k) => [g.ranges[2 * k]!, g.ranges[2 * k + 1]!] as [number, number]),
      }));
    lap('coverage');

    const asmdBefore = Array.from(asmdFromMoments(raw.moments, targetMoments));
    const asmdAfter = Array.from(asmdFromMoments(weightedPoolMoments, targetMoments));
    const targetMarg = marginalDensities(tm, undefined, GRID, MARGINAL_BANDWIDTH).map((a) => Array.from(a));
    const weightedMarg = marginalDensities(this.pool, w, GRID, MARGINAL_BANDWIDTH).map((a) => Array.from(a));
    const cTarget = corrMatrix(targetMoments);
    const cAfter = corrMatrix(weightedPoolMoments);
    const diff = (a: number[][], b: number[][]) => a.map((row, i) => row.map((v, j) => v - b[i]![j]!));
    const scatter = this.scatter(traits);
    const weightHistogram = this.weightHistogram(w);
    lap('charts');

    const n = (x: number) => x.toLocaleString('en-US');
    const weightsNote =
      this.method === 'kde'
        ? `Live weights: KDE importance weights, bandwidth ${typeof this.bandwidth === 'number' ? `${this.bandwidth} trait points` : `by ${this.bandwidth === 'scott' ? "Scott's" : "Silverman's"} rule`}; target density on a binned grid from ${n(this.targetLiveIdx.length)} seeded respondents; Pareto-smoothed weights.`
        : `Live weights: calibration (entropy balancing of the target's means, variances and covariances), solved on ${balance!.solvedRows < this.poolN ? `a fixed seeded subsample of ${n(balance!.solvedRows)} of the ${n(this.poolN)} personas and extended to all of them by the same exponential tilt` : `all ${n(this.poolN)} personas`}, warm-started from the previous edit; the whole pool's largest moment gap is ${balance!.maxGap.toFixed(3)} target SDs (${balance!.worst}).`;
    return {
      requestId,
      ms: performance.now() - t0,
      stages,
      poolN: this.poolN,
      targetN: this.referenceN,
      method: this.method,
      diagnostics,
      balance,
      warnings,
      metrics,
      baselines,
      coverage: { threshold: cov.radius, uncoveredShare: cov.uncoveredShare, regions },
      scatter,
      asmd: { before: asmdBefore, after: asmdAfter },
      marginals: { grid: Array.from(GRID), pool: this.poolMarginals, target: targetMarg, weighted: weightedMarg },
      weightHistogram,
      correlationDiff: { before: diff(cTarget, this.poolCorr), after: diff(cTarget, cAfter) },
      notes: [
        weightsNote,
        `SW (${LIVE_PROJECTIONS} seeded directions) uses seeded subsamples of ${n(this.poolSubIdx.length)} personas and ${n(this.targetSubIdx.length)} respondents, MMD (RBF, weighted V-statistic, bandwidth ${this.mmdBandwidth.toFixed(3)} by the median heuristic at load) of ${n(this.poolMmdIdx.length)} and ${n(this.targetMmdIdx.length)} (baselines: every answer set); coverage the ${n(this.targetLiveIdx.length)} seeded respondents; AMW, FD and MAEcorr use every point.`,
      ],
    };
  }

  /** The five metrics of an unweighted set against the target: AMW from sorted marginals, SW and MMD on subsamples. */
  private fixedMetrics(set: FixedSet, sorted: SortedTarget, targetMoments: WeightedMoments, targetProjections: SortedProjections, targetMmd: Matrix): FiveMetrics {
    return {
      amw: uniformAmw(set.sorted, set.n, sorted, this.targetUniform),
      fd: frechetFromMoments(set.moments, targetMoments),
      sw: slicedW1(set.projections, undefined, targetProjections),
      mmd: mmdWithGram(set.gram, undefined, targetMmd),
      maecorr: maeCorrFromMoments(set.moments, targetMoments),
    };
  }

  /** Histogram of log10(n w_i) in bins of 0.25; 0 = the uniform weight; zero weights are left out. O(n). */
  private weightHistogram(w: Float64Array): LiveResult['weightHistogram'] {
    let lo = Infinity;
    let hi = -Infinity;
    const logs = new Float64Array(this.poolN);
    let count = 0;
    for (let i = 0; i < this.poolN; i++) {
      if (w[i]! <= 0) continue;
      const v = Math.log10(this.poolN * w[i]!);
      logs[count++] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    lo = Math.floor(lo * 4) / 4;
    hi = Math.max(lo + 0.25, Math.ceil(hi * 4) / 4);
    const nb = Math.max(1, Math.round((hi - lo) / 0.25));
    const counts = new Array<number>(nb).fill(0);
    for (let c = 0; c < count; c++) counts[Math.min(nb - 1, Math.floor((logs[c]! - lo) / 0.25))]!++;
    return counts.map((c, b) => ({ lo: lo + b * 0.25, hi: lo + (b + 1) * 0.25, count: c }));
  }

  /** Points for the two-trait scatter of the last update: seeded target respondents and personas drawn by weight. */
  scatter(traits: [number, number]): ScatterPoints {
    const target = this.lastTarget;
    const weights = this.lastWeights;
    if (!target || !weights) return { traits, target: [], weighted: [] };
    const [a, b] = traits;
    const t = Array.from(this.scatterIdx, (j) => [target[j * 5 + a]!, target[j * 5 + b]!] as [number, number]);
    const draws = selectMultinomial({ weights, size: SCATTER_POINTS, rng: createRng(14) }).indices;
    const pool = this.pool.data;
    const wpts = Array.from(draws, (i) => [pool[i * 5 + a]!, pool[i * 5 + b]!] as [number, number]);
    return { traits, target: t, weighted: wpts };
  }
}
