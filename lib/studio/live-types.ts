/** The shapes exchanged between the studio page and its Web Worker (plain data: they cross postMessage). */

export interface FiveMetrics {
  amw: number;
  fd: number;
  sw: number;
  mmd: number;
  maecorr: number;
}

export interface WeightDiagnostics {
  ess: number;
  designEffect: number;
  maxWeightShare: number;
  khat: number;
}

export interface CoverageRegion {
  /** Plain-language description, e.g. "low E (<= 2.1), high N (>= 3.9)". */
  description: string;
  /** Share of the target's mass in this region that has no persona nearby. */
  share: number;
  /** Trait means of the uncovered target points in the region (E, A, C, N, O). */
  center: number[];
  /** Trait ranges (min, max) of those points. */
  ranges: [number, number][];
}

export interface LiveResult {
  requestId: number;
  /** Milliseconds spent in the worker for this update. */
  ms: number;
  /** Milliseconds per stage (target, weights, metrics, charts). */
  stages: Record<string, number>;
  poolN: number;
  targetN: number;
  diagnostics: WeightDiagnostics;
  /** The pool under the importance weights, measured against the target. */
  metrics: { weighted: FiveMetrics };
  /** Absolute standardised mean difference per trait (E, A, C, N, O), before and after weighting. */
  asmd: { before: number[]; after: number[] };
  /** Kernel density of each trait on a grid of scores 1-5: pool, target, and pool weighted. */
  marginals: { grid: number[]; pool: number[][]; target: number[][]; weighted: number[][] };
  /** Histogram of log10(n * w_i): 0 is the uniform weight 1/n. */
  weightHistogram: { lo: number; hi: number; count: number }[];
  /** Target correlation minus set correlation (5 x 5), before and after weighting. */
  correlationDiff: { before: number[][]; after: number[][] };
  /** Notes on approximations used for speed (e.g. subsample sizes). */
  notes: string[];
}

/** Figures that follow a target change but are not needed at slider speed: computed when the worker is idle. */
export interface SecondaryResult {
  requestId: number;
  ms: number;
  /** The pool as it is (uniform weights) against the target. */
  rawMetrics: FiveMetrics;
  baselines: BaselineMetrics[];
  coverage: { threshold: number; uncoveredShare: number; regions: CoverageRegion[] };
}

export type KdeBandwidth = number | 'scott' | 'silverman';

export interface BaselineMetrics {
  id: string;
  label: string;
  n: number;
  metrics: FiveMetrics;
}

export type WorkerRequest =
  | {
      type: 'init';
      pool: number[];
      poolN: number;
      reference: number[];
      referenceN: number;
      baselines: { id: string; label: string; data: number[]; n: number }[];
      bandwidth: KdeBandwidth;
    }
  | { type: 'update'; requestId: number; transforms: { shift: number; scale: number }[] }
  | { type: 'scatter'; requestId: number; traits: [number, number] };

export type WorkerResponse =
  | { type: 'ready'; ms: number }
  | { type: 'result'; result: LiveResult }
  | { type: 'secondary'; result: SecondaryResult }
  | { type: 'scatter'; requestId: number; target: [number, number][]; weighted: [number, number][] }
  | { type: 'error'; requestId: number; message: string };
