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

/** How the live view weights the pool: calibration (entropy balancing, the default) or the paper's KDE importance weights. */
export type LiveMethod = 'calibration' | 'kde';

/** How well the whole weighted pool matches the target's moments (calibration only). */
export interface LiveBalance {
  /** Pool rows the calibration dual was solved on (a fixed seeded subsample, or the whole pool). */
  solvedRows: number;
  /** Largest |weighted pool moment - target moment| over means, variances and covariances, in target SDs. */
  maxGap: number;
  /** The constraint with that largest gap, e.g. "variance N". */
  worst: string;
  /** The solver balanced the solved rows exactly (false: the target is out of reach and a ridge was used). */
  converged: boolean;
  iterations: number;
}

/** Every figure of the studio for one target: all of it is recomputed on each slider edit. */
export interface LiveResult {
  requestId: number;
  /** Milliseconds spent in the worker for this update. */
  ms: number;
  /** Milliseconds per stage (target, weights, metrics, baselines, coverage, charts). */
  stages: Record<string, number>;
  poolN: number;
  targetN: number;
  method: LiveMethod;
  diagnostics: WeightDiagnostics;
  /** Calibration's balance of the whole pool; null for KDE weights. */
  balance: LiveBalance | null;
  /** Sentences about the weights (unreachable targets, missed moments). */
  warnings: string[];
  /** The pool under the live weights and the pool as it is, each measured against the target. */
  metrics: { weighted: FiveMetrics; raw: FiveMetrics };
  /** The no-persona LLM baselines against the target. */
  baselines: BaselineMetrics[];
  coverage: LiveCoverage;
  /** Two-trait scatter: target respondents and personas drawn by weight. */
  scatter: ScatterPoints;
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

export interface ScatterPoints {
  /** Trait indices on the x and y axes. */
  traits: [number, number];
  target: [number, number][];
  weighted: [number, number][];
}

/** Where the target has mass that no persona is near. */
export interface LiveCoverage {
  threshold: number;
  uncoveredShare: number;
  regions: CoverageRegion[];
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
      method: LiveMethod;
      bandwidth: KdeBandwidth;
    }
  | { type: 'update'; requestId: number; transforms: { shift: number; scale: number }[]; traits: [number, number] }
  | { type: 'scatter'; requestId: number; traits: [number, number] };

export type WorkerResponse =
  | { type: 'ready'; ms: number }
  | { type: 'result'; result: LiveResult }
  | { type: 'scatter'; requestId: number; scatter: ScatterPoints }
  | { type: 'error'; requestId: number; message: string };
