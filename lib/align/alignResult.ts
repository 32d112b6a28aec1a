/** The input and the result of the global alignment (alignPool). */
import type { Matrix } from '../numeric/matrix';
import type { MetricsEstimation, PaperMetrics } from '../stats/metrics';
import type { AlignConfig, EstimatorChoice } from './alignConfig';
import type { CandidateScore } from './candidateTable';
import type { ConstraintReport } from './estimators';
import type { EstimatorSpec } from './fitWeights';
import type { TransportWeightsResult } from './transportWeights';

export interface AlignPoolInput {
  /** Persona trait scores, n x d (d = 5: E A C N O). */
  pool: Matrix;
  /** Human reference scores, m x d. */
  reference: Matrix;
  /** Optional weights of the reference rows (the target after filters / edits); default uniform. */
  targetWeights?: ArrayLike<number>;
  config?: Partial<AlignConfig>;
  /** Column labels for messages (default trait codes). */
  labels?: readonly string[];
  /** Progress: stage name and overall fraction in [0, 1]. */
  onProgress?: (stage: 'validate' | 'choose' | 'importance' | 'transport' | 'selection' | 'metrics', fraction: number) => void;
}

/** Per-trait balance of one set against the target. */
export interface BalanceReport {
  /** Absolute standardised mean difference per trait. */
  asmd: Float64Array;
  /** Kolmogorov-Smirnov statistic per trait. */
  ks: Float64Array;
  /** Energy distance (Szekely & Rizzo). */
  energy: number;
}

export interface AlignDiagnostics {
  /** Kish ESS of the final persona weights. */
  ess: number;
  designEffect: number;
  maxWeightShare: number;
  /** Pareto k-hat of the raw importance weights. */
  khat: number;
  /** khat > 0.7. */
  khatWarning: boolean;
  /** ESS of the importance weights (after smoothing) and of the raw ones. */
  importanceEss: number;
  rawImportanceEss: number;
  converged: boolean;
  iterations: number;
  candidateCount: number;
  selectionSize: number;
  /** Plain-English notes (heavy tails, capped size, non-convergence). */
  warnings: string[];
  /**
   * How each set's metrics (AlignResult.metrics) were obtained: per set, only the metrics estimated on a subsample,
   * as { subsample: draws per side, se: standard error of the reported value }; {} = every metric exact. AMW, FD, SW
   * (100 seeded directions) and MAEcorr are always exact; MMD is exact on the distinct rows up to MMD_EXACT_LIMIT
   * (lattice scores, 40,000 distinct rows; other points 12,649) and estimated above (lib/stats/mmd.ts).
   * @example { raw: {}, randomSelect: {}, resample: {}, weighted: { mmd: { subsample: 5000, se: 0.002 } } }
   */
  metricsEstimation: Record<'raw' | 'randomSelect' | 'resample' | 'weighted', MetricsEstimation>;
}

/** Which estimator weighted the pool, and why. */
export interface EstimatorReport {
  /** What was asked for. */
  choice: EstimatorChoice;
  /** What weighted the pool (for auto: the winner). */
  used: EstimatorSpec;
  /** auto's candidate table (null when an estimator was named). */
  candidates: CandidateScore[] | null;
  /** auto: the whole pool's metrics against the held-out part, and the sizes of the two parts. */
  heldOut: { raw: PaperMetrics; fitRows: number; heldOutRows: number } | null;
  /** Balance of each targeted quantity after the estimator (before OT). */
  constraints: ConstraintReport[];
}

export interface AlignResult {
  /** Final persona weights (the estimator's, or the plan row sums after OT; zero outside the candidates), length n, sum 1. */
  weights: Float64Array;
  /** The estimator's weights before any OT refinement, length n. */
  importanceWeights: Float64Array;
  /** Pool log density (leave-one-out) at each persona when the estimator is KDE (reuse for live updates); else empty. */
  logPoolDensity: Float64Array;
  /** Indices of the selected personas (the Resample set). */
  selection: Uint32Array;
  /** Indices of the RandomSelect baseline (same size, uniform without replacement). */
  randomSelection: Uint32Array;
  diagnostics: AlignDiagnostics;
  /** The OT step's result without its weights (those are `weights` above), or null without OT refinement. */
  ot: Omit<TransportWeightsResult, 'weights'> | null;
  estimator: EstimatorReport;
  /** The paper's Table 1 rows (plus the weighted pool before resampling). */
  metrics: { raw: PaperMetrics; randomSelect: PaperMetrics; resample: PaperMetrics; weighted: PaperMetrics };
  balance: { raw: BalanceReport; randomSelect: BalanceReport; resample: BalanceReport };
  config: AlignConfig;
}
