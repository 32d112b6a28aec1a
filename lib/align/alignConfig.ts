/** The settings of the global alignment (alignPool) and their defaults. */
import type { BandwidthSpec } from '../stats/bandwidth';
import type { EstimatorName } from './estimators';
import type { FitSettings } from './fitWeights';
import type { SelectionMethod } from './selectionMethods';
import { TRAIT_RANGE } from './traitSpace';

/** How the pool is weighted: `auto` (chosen by held-out divergence), `paper` (KDE + OT, the paper's pipeline) or one estimator. */
export type EstimatorChoice = 'auto' | 'paper' | EstimatorName;
export const ESTIMATOR_CHOICES = ['auto', 'paper', 'calibration', 'raking', 'logistic', 'kde'] as const satisfies readonly EstimatorChoice[];

/** Every setting of the global alignment, with Populace's defaults. The resolved copy is returned in the result. */
export interface AlignConfig extends FitSettings {
  /** Weight estimator; default 'auto' (see chooseEstimator). 'paper' = KDE at `bandwidth` + OT. */
  estimator: EstimatorChoice;
  /** OT refinement after a named estimator ('paper' always refines; 'auto' chooses); default 'none'. */
  refine: 'none' | 'ot';
  /** Quantile bins per trait for calibration (extra share constraints; 0 = moments only) and raking; default 0 (raking: 5). */
  bins: number;
  /** Share of the reference `auto` holds out to measure candidates; default 0.5. */
  heldOutShare: number;
  /** Size k of the selected set; default min(1000, pool size). */
  size: number;
  /** KDE bandwidth; default 0.2 (trait points on the 1-5 scale, standardise 'none'). */
  bandwidth: BandwidthSpec;
  /** Selection method for the final set; default 'systematic' (draws with repeats keep the weights; the set carries counts). */
  selection: SelectionMethod;
  /** Sliced-Wasserstein directions; default 100 (seeded by metricsSeed). */
  projections: number;
  /** Seed of the metrics' random directions and subsamples; default 0 (fixed so runs compare). */
  metricsSeed: number;
  /** Accepted value range; default [1, 5]. */
  range: [number, number];
}

export const DEFAULT_ALIGN_CONFIG: Omit<AlignConfig, 'size'> & { size: number | null } = {
  estimator: 'auto',
  refine: 'none',
  bins: 0,
  heldOutShare: 0.5,
  seed: 0,
  size: null,
  bandwidth: 0.2,
  standardise: 'none',
  truncation: 'psis',
  cap: null,
  kdeMethod: 'auto',
  candidateFraction: 0.7,
  otSourceMass: 'importance',
  variant: 'semiRelaxed',
  epsilon: null,
  epsilonFactor: 0.08,
  tau: null,
  maxIterations: 250,
  tolerance: 1e-6,
  costWeights: null,
  batchSize: 10_000,
  maxSupport: 300,
  selection: 'systematic',
  projections: 100,
  metricsSeed: 0,
  range: [TRAIT_RANGE[0], TRAIT_RANGE[1]],
};
