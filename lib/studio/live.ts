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
 *
 * The weights are computed in liveWeights.ts, the unweighted sets and their metrics in liveSets.ts, the figures in
 * liveFigures.ts, the sample sizes and subsamples in liveSampling.ts.
 */
import { coverage, coverageIndex, type CoverageIndex } from '../align/coverage';
import { createPoolDensityCache, traitOrder, type PoolDensityCache } from '../align';
import { poolOrder, sortTarget, type PoolOrder } from '../align/liveReweight';
import { selectMultinomial } from '../align/selectMultinomial';
import { STUDIO_KDE_BANDWIDTH } from '../core/defaults';
import { createRng } from '../numeric/rng';
import type { Matrix } from '../numeric/matrix';
import { asmdFromMoments, frechetFromMoments, maeCorrFromMoments, medianHeuristic, mmdGram, mmdWithGram, sortedProjections, weightedMoments } from '../stats';
import { evenGrid, marginalDensities } from '../stats/marginalDensities';
import { applyTransforms, traitMoments, type TraitMoments, type TraitTransform } from '../targets/transform';
import type { BaselineMetrics, KdeBandwidth, LiveMethod, LiveResult, ScatterPoints } from './liveTypes';
import { corrMatrix, coverageRegions, weightHistogram } from './liveFigures';
import { LIVE_GRID_NODES, LIVE_MMD_SUBSAMPLE, LIVE_PROJECTIONS, LIVE_SUBSAMPLE, LIVE_TARGET_SAMPLE, matrix, SCATTER_POINTS, subsampleIndices, take } from './liveSampling';
import { fixedMetrics, fixedSet, slicedW1, type FixedSet } from './liveSets';
import { liveWeights } from './liveWeights';

export { LIVE_GRID_NODES, LIVE_MMD_SUBSAMPLE, LIVE_PROJECTIONS, LIVE_SUBSAMPLE, LIVE_TARGET_SAMPLE, SCATTER_POINTS } from './liveSampling';

/** The monotonic clock of every runtime this module runs in (the studio's Web Worker, Node); it times the stages only. */
declare const performance: { now(): number };

const GRID = evenGrid(1, 5, 41);
const MARGINAL_BANDWIDTH = 0.15;
const COVERAGE_RADIUS = 1;

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
    this.baselines = (input.baselines ?? []).map((b) => ({ id: b.id, label: b.label, ...fixedSet(matrix(Float64Array.from(b.data), b.n), this.mmdBandwidth) }));
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

    const weights = liveWeights({
      pool: this.pool,
      order: this.order,
      kdeCache: this.kdeCache,
      target,
      tm,
      sorted,
      targetUniform: this.targetUniform,
      referenceOrder: this.referenceOrder,
      targetLiveIdx: this.targetLiveIdx,
      targetLiveOrder: this.targetLiveOrder,
      lambda: this.lambda,
    });
    const { w, amw, targetMoments, weightedPoolMoments, diagnostics, balance, warnings } = weights;
    this.lambda = weights.lambda;
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
      raw: fixedMetrics(raw, sorted, this.targetUniform, targetMoments, targetProjections, targetMmd),
    };
    lap('metrics');
    const baselines: BaselineMetrics[] = this.baselines.map((b) => ({
      id: b.id,
      label: b.label,
      n: b.n,
      metrics: fixedMetrics(b, sorted, this.targetUniform, targetMoments, targetProjections, targetMmd),
    }));
    lap('baselines');
    const cov = coverage({ index: this.coverageIdx, target: matrix(take(target, this.targetLiveIdx), this.targetLiveIdx.length) });
    const regions = coverageRegions(cov.gaps);
    lap('coverage');

    const asmdBefore = Array.from(asmdFromMoments(raw.moments, targetMoments));
    const asmdAfter = Array.from(asmdFromMoments(weightedPoolMoments, targetMoments));
    const targetMarg = marginalDensities(tm, undefined, GRID, MARGINAL_BANDWIDTH).map((a) => Array.from(a));
    const weightedMarg = marginalDensities(this.pool, w, GRID, MARGINAL_BANDWIDTH).map((a) => Array.from(a));
    const cTarget = corrMatrix(targetMoments);
    const cAfter = corrMatrix(weightedPoolMoments);
    const diff = (a: number[][], b: number[][]) => a.map((row, i) => row.map((v, j) => v - b[i]![j]!));
    const scatter = this.scatter(traits);
    const histogram = weightHistogram(w, this.poolN);
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
      weightHistogram: histogram,
      correlationDiff: { before: diff(cTarget, this.poolCorr), after: diff(cTarget, cAfter) },
      notes: [
        weightsNote,
        `SW (${LIVE_PROJECTIONS} seeded directions) uses seeded subsamples of ${n(this.poolSubIdx.length)} personas and ${n(this.targetSubIdx.length)} respondents, MMD (RBF, weighted V-statistic, bandwidth ${this.mmdBandwidth.toFixed(3)} by the median heuristic at load) of ${n(this.poolMmdIdx.length)} and ${n(this.targetMmdIdx.length)} (baselines: every answer set); coverage the ${n(this.targetLiveIdx.length)} seeded respondents; AMW, FD and MAEcorr use every point.`,
      ],
    };
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