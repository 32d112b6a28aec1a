/**
 * The studio's live computation, run inside a Web Worker: everything that follows a slider move.
 * Pure (core imports only), so tests and the bench exercise it directly.
 *
 * Primary update (at slider speed): apply the slider transforms to the reference (the target), reweight the cached
 * pool (importance weights against the cached pool density), weight health, the five metrics of the weighted pool,
 * ASMD, marginal densities and correlation differences. Secondary (when idle): the unweighted pool's metrics, the
 * no-persona baselines, and coverage. SW and MMD use seeded subsamples and a per-session MMD bandwidth (in `notes`).
 */
import { coverage, coverageIndex, type CoverageIndex } from '../align/coverage';
import { createPoolDensityCache, liveReweight, traitOrder, type PoolDensityCache } from '../align';
import { selectMultinomial } from '../align/selectMultinomial';
import { createRng } from '../numeric/rng';
import { sampleIndices } from '../numeric/sampleIndices';
import type { Matrix } from '../numeric/matrix';
import {
  amw,
  asmdFromMoments,
  frechetFromMoments,
  maeCorrFromMoments,
  medianHeuristic,
  mmd,
  mmdGram,
  mmdWithGram,
  slicedWasserstein,
  slicedWassersteinSorted,
  sortedProjections,
  weightedMoments,
  type MmdGram,
  type SortedProjections,
  type WeightedMoments,
} from '../stats';
import { evenGrid, marginalDensities } from '../stats/marginalDensities';
import { applyTransforms, traitMoments, type TraitMoments, type TraitTransform } from '../targets/transform';
import type { BaselineMetrics, CoverageRegion, FiveMetrics, KdeBandwidth, LiveResult, SecondaryResult } from './live-types';

const CODES = ['E', 'A', 'C', 'N', 'O'];
/** Subsample sizes of the live SW and MMD (full runs use every point). */
export const LIVE_SUBSAMPLE = 600;
/**
 * Respondents used for the live target density and AMW: the cost of a live reweight grows with the target size
 * (binning and sorting), and 5,000 seeded respondents cut it about fourfold on the full reference (46 -> 12 ms in
 * Node) at a kernel of 0.5 points. Full runs use every respondent.
 */
export const LIVE_TARGET_SAMPLE = 5000;
/** MMD is O((n + m)^2): it gets a smaller subsample. */
export const LIVE_MMD_SUBSAMPLE = 300;
/**
 * Grid budget of the live target density: 2^16 nodes (9 per trait). Measured on a 1,263-persona pool drawn from the
 * BIG5 sample with an agreeable, stable bias against 5,000 respondents: L1 distance of the weights to those of a 2^21
 * grid 0.025 at 2^16, 0.038 at 2^17 and 0.049 at 2^15, at 10.2, 12.1 and 8.7 ms per update (Node 20, 2-core EPYC).
 */
export const LIVE_GRID_NODES = 1 << 16;
export const LIVE_PROJECTIONS = 50;
/**
 * The studio's default KDE bandwidth, 0.5 trait points. Evidence (tests/unit/studio/live.test.ts): for a pool of
 * 1,500 respondents drawn from the reference itself, weights should be near uniform; bandwidth 0.20 (the paper's
 * value) gave ESS 1.3 of 1,500, 0.35 gave 142, Scott's rule 38, and 0.5 gave 1,419 (k-hat 0.60): in five
 * dimensions the density ratio needs a wider kernel than the paper's to be stable at this pool size.
 */
export const STUDIO_DEFAULT_BANDWIDTH: KdeBandwidth = 0.5;
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
    if (p < 0) parts.push(`low ${CODES[k]} (≤ ${ranges[2 * k + 1]!.toFixed(1)})`);
    else if (p > 0) parts.push(`high ${CODES[k]} (≥ ${ranges[2 * k]!.toFixed(1)})`);
  });
  return parts.length ? parts.join(', ') : 'scores near the average on every trait';
}

export interface LiveSessionInput {
  pool: ArrayLike<number>;
  poolN: number;
  reference: ArrayLike<number>;
  referenceN: number;
  baselines?: { id: string; label: string; data: ArrayLike<number>; n: number }[];
  bandwidth?: KdeBandwidth;
}

export class LiveSession {
  private readonly cache: PoolDensityCache;
  private readonly poolN: number;
  private readonly reference: Float64Array;
  private readonly referenceN: number;
  private readonly refMoments: TraitMoments;
  private readonly baselines: { id: string; label: string; data: Float64Array; n: number }[];
  private readonly poolSub: Matrix;
  private readonly poolSubIdx: Uint32Array;
  private readonly targetSubIdx: Uint32Array;
  private readonly targetLiveIdx: Uint32Array;
  /** Per-trait order of the live respondents: the slider maps are increasing per trait, so it never changes. */
  private readonly targetLiveOrder: Uint32Array;
  private readonly poolMmdIdx: Uint32Array;
  private readonly poolMmd: Matrix;
  private readonly targetMmdIdx: Uint32Array;
  private readonly mmdBandwidth: number;
  private readonly coverageIdx: CoverageIndex;
  private readonly poolMarginals: number[][];
  private readonly poolMoments: WeightedMoments;
  private readonly poolCorr: number[][];
  /** The pool subsample's SW projections (sorted) and MMD Gram matrix: fixed, only their weights change. */
  private readonly poolSubProjections: SortedProjections;
  private readonly poolMmdGram: MmdGram;
  readonly bandwidth: KdeBandwidth;
  private lastTarget: Float64Array | null = null;
  private lastTargetMoments: WeightedMoments | null = null;
  private lastWeights: Float64Array | null = null;
  private lastRequestId = 0;

  constructor(input: LiveSessionInput) {
    this.poolN = input.poolN;
    this.bandwidth = input.bandwidth ?? STUDIO_DEFAULT_BANDWIDTH;
    const pool = matrix(Float64Array.from(input.pool), input.poolN);
    this.cache = createPoolDensityCache({ pool, options: { bandwidth: this.bandwidth, liveMaxNodes: LIVE_GRID_NODES } });
    this.reference = Float64Array.from(input.reference);
    this.referenceN = input.referenceN;
    this.refMoments = traitMoments(this.reference, this.referenceN);
    this.baselines = (input.baselines ?? []).map((b) => ({ ...b, data: Float64Array.from(b.data) }));
    this.poolSubIdx = subsampleIndices(input.poolN, LIVE_SUBSAMPLE, 11);
    this.poolSub = matrix(take(pool.data, this.poolSubIdx), this.poolSubIdx.length);
    this.targetSubIdx = subsampleIndices(input.referenceN, LIVE_SUBSAMPLE, 12);
    this.targetLiveIdx = subsampleIndices(input.referenceN, LIVE_TARGET_SAMPLE, 17);
    this.targetLiveOrder = traitOrder(matrix(take(this.reference, this.targetLiveIdx), this.targetLiveIdx.length));
    this.poolMmdIdx = subsampleIndices(input.poolN, LIVE_MMD_SUBSAMPLE, 15);
    this.poolMmd = matrix(take(pool.data, this.poolMmdIdx), this.poolMmdIdx.length);
    this.targetMmdIdx = subsampleIndices(input.referenceN, LIVE_MMD_SUBSAMPLE, 16);
    this.mmdBandwidth = medianHeuristic(this.poolSub, matrix(take(this.reference, this.targetSubIdx), this.targetSubIdx.length), 0);
    this.coverageIdx = coverageIndex({ pool, mean: this.refMoments.mean, sd: this.refMoments.sd, radius: COVERAGE_RADIUS });
    this.poolMarginals = marginalDensities(pool, undefined, GRID, MARGINAL_BANDWIDTH).map((a) => Array.from(a));
    this.poolMoments = weightedMoments(pool);
    this.poolCorr = corrMatrix(this.poolMoments);
    this.poolSubProjections = sortedProjections(this.poolSub, { projections: LIVE_PROJECTIONS, seed: 0 });
    this.poolMmdGram = mmdGram(this.poolMmd, this.mmdBandwidth);
  }

  /** Unweighted metrics of a set against the target from both sides' moments; SW and MMD come computed (subsamples). */
  private metrics(a: Matrix, aMoments: WeightedMoments, target: Matrix, targetMoments: WeightedMoments, sw: number, mmdValue: number): FiveMetrics {
    return {
      amw: amw({ a, b: target }).value,
      fd: frechetFromMoments(aMoments, targetMoments),
      sw,
      mmd: mmdValue,
      maecorr: maeCorrFromMoments(aMoments, targetMoments),
    };
  }

  /** The primary live update for new slider transforms. */
  update(requestId: number, transforms: readonly TraitTransform[]): LiveResult {
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
    const targetSub = matrix(take(target, this.targetSubIdx), this.targetSubIdx.length);
    const pool = this.cache.pool;
    lap('target');
    const targetLive = matrix(take(target, this.targetLiveIdx), this.targetLiveIdx.length);
    const live = liveReweight({ cache: this.cache, target: targetLive, targetOrder: this.targetLiveOrder });
    const w = live.weights;
    lap('weights');
    this.lastTarget = target;
    this.lastWeights = w;
    this.lastRequestId = requestId;

    const wSub = Float64Array.from(this.poolSubIdx, (i) => w[i]!);
    const wMmd = Float64Array.from(this.poolMmdIdx, (i) => w[i]!);
    let wSubTotal = 0;
    for (const v of wSub) wSubTotal += v;
    let wMmdTotal = 0;
    for (const v of wMmd) wMmdTotal += v;
    const targetMmd = matrix(take(target, this.targetMmdIdx), this.targetMmdIdx.length);
    // Each sample's moments once, shared by FD, MAEcorr, ASMD and the correlation maps.
    const targetMoments = weightedMoments(tm);
    this.lastTargetMoments = targetMoments;
    const weightedMomentsOfPool = weightedMoments(pool, w);
    const weighted: FiveMetrics = {
      amw: live.amw,
      fd: frechetFromMoments(weightedMomentsOfPool, targetMoments),
      // When the subsample carries no weight at all, SW and MMD are not defined for it.
      sw: wSubTotal > 0 ? slicedWassersteinSorted(this.poolSubProjections, wSub, targetSub) : NaN,
      mmd: wMmdTotal > 0 ? mmdWithGram(this.poolMmdGram, wMmd, targetMmd) : NaN,
      maecorr: maeCorrFromMoments(weightedMomentsOfPool, targetMoments),
    };
    lap('metrics');

    const asmdBefore = Array.from(asmdFromMoments(this.poolMoments, targetMoments));
    const asmdAfter = Array.from(asmdFromMoments(weightedMomentsOfPool, targetMoments));
    const targetMarg = marginalDensities(tm, undefined, GRID, MARGINAL_BANDWIDTH).map((a) => Array.from(a));
    const weightedMarg = marginalDensities(pool, w, GRID, MARGINAL_BANDWIDTH).map((a) => Array.from(a));
    const cTarget = corrMatrix(targetMoments);
    const cAfter = corrMatrix(weightedMomentsOfPool);
    const diff = (a: number[][], b: number[][]) => a.map((row, i) => row.map((v, j) => v - b[i]![j]!));
    lap('charts');

    // Histogram of log10(n w_i) in bins of 0.25; 0 = the uniform weight; zero weights are left out.
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

    return {
      requestId,
      ms: performance.now() - t0,
      stages,
      poolN: this.poolN,
      targetN: this.referenceN,
      diagnostics: { ess: live.ess, designEffect: live.designEffect, maxWeightShare: live.maxWeightShare, khat: live.khat },
      metrics: { weighted },
      asmd: { before: asmdBefore, after: asmdAfter },
      marginals: { grid: Array.from(GRID), pool: this.poolMarginals, target: targetMarg, weighted: weightedMarg },
      weightHistogram: counts.map((c, b) => ({ lo: lo + b * 0.25, hi: lo + (b + 1) * 0.25, count: c })),
      correlationDiff: { before: diff(cTarget, this.poolCorr), after: diff(cTarget, cAfter) },
      notes: [
        `KDE bandwidth: ${typeof this.bandwidth === 'number' ? `${this.bandwidth} trait points` : `${this.bandwidth === 'scott' ? "Scott's" : "Silverman's"} rule`}; target density on a binned grid from ${this.targetLiveIdx.length} seeded respondents (weights and weighted AMW); Pareto-smoothed weights.`,
        `SW (${LIVE_PROJECTIONS} seeded directions) uses seeded subsamples of ${this.poolSubIdx.length} personas and ${this.targetSubIdx.length} respondents, MMD (RBF, weighted V-statistic, bandwidth ${this.mmdBandwidth.toFixed(3)} by the median heuristic at load) of ${this.poolMmdIdx.length} and ${this.targetMmdIdx.length}; AMW, FD and MAEcorr use every point.`,
      ],
    };
  }

  /**
   * The slower figures for the last update (raw pool metrics, each baseline, coverage) as small steps, so that the
   * worker can stop between steps when a newer slider value arrives. Call the steps in order; the last one returns
   * the assembled result.
   */
  secondarySteps(): (() => SecondaryResult | null)[] {
    const target = this.lastTarget;
    const targetMoments = this.lastTargetMoments;
    if (!target || !targetMoments) return [];
    const requestId = this.lastRequestId;
    const t0 = performance.now();
    const tm = matrix(target, this.referenceN);
    const targetSub = matrix(take(target, this.targetSubIdx), this.targetSubIdx.length);
    const targetMmd = matrix(take(target, this.targetMmdIdx), this.targetMmdIdx.length);
    const pool = this.cache.pool;
    let rawMetrics: FiveMetrics | null = null;
    const baselines: BaselineMetrics[] = [];
    const steps: (() => SecondaryResult | null)[] = [];
    steps.push(() => {
      // The pool's subsample projections, Gram matrix and moments are cached; unweighted here.
      const sw = slicedWassersteinSorted(this.poolSubProjections, undefined, targetSub);
      rawMetrics = this.metrics(pool, this.poolMoments, tm, targetMoments, sw, mmdWithGram(this.poolMmdGram, undefined, targetMmd));
      return null;
    });
    for (const b of this.baselines) {
      steps.push(() => {
        const a = matrix(b.data, b.n);
        const sw = slicedWasserstein({ a, b: targetSub, projections: LIVE_PROJECTIONS, seed: 0 }).value;
        const mmdValue = mmd({ a, b: targetMmd, mmdBandwidth: this.mmdBandwidth }).value;
        baselines.push({ id: b.id, label: b.label, n: b.n, metrics: this.metrics(a, weightedMoments(a), tm, targetMoments, sw, mmdValue) });
        return null;
      });
    }
    steps.push(() => {
      const cov = coverage({ index: this.coverageIdx, target: tm });
      const regions: CoverageRegion[] = cov.gaps
        .filter((g) => g.share >= 0.005)
        .map((g) => ({
          description: describePattern(g.pattern, g.ranges),
          share: g.share,
          center: Array.from(g.center),
          ranges: Array.from({ length: 5 }, (_, k) => [g.ranges[2 * k]!, g.ranges[2 * k + 1]!] as [number, number]),
        }));
      return {
        requestId,
        ms: performance.now() - t0,
        rawMetrics: rawMetrics!,
        baselines,
        coverage: { threshold: cov.radius, uncoveredShare: cov.uncoveredShare, regions },
      };
    });
    return steps;
  }

  /** All secondary figures at once (tests and the bench). */
  secondary(): SecondaryResult | null {
    let out: SecondaryResult | null = null;
    for (const step of this.secondarySteps()) out = step();
    return out;
  }

  /** Points for the two-trait scatter: target respondents and personas drawn by weight (seeded). */
  scatter(traits: [number, number], count = 300): { target: [number, number][]; weighted: [number, number][] } {
    const target = this.lastTarget;
    const weights = this.lastWeights;
    if (!target || !weights) return { target: [], weighted: [] };
    const [a, b] = traits;
    const tIdx = subsampleIndices(this.referenceN, count, 13);
    const t = Array.from(tIdx, (j) => [target[j * 5 + a]!, target[j * 5 + b]!] as [number, number]);
    const draws = selectMultinomial({ weights, size: count, rng: createRng(14) }).indices;
    const pool = this.cache.pool.data;
    const wpts = Array.from(draws, (i) => [pool[i * 5 + a]!, pool[i * 5 + b]!] as [number, number]);
    return { target: t, weighted: wpts };
  }
}
