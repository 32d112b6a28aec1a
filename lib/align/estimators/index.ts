/** Public surface of the weight estimators: one input, one result, four methods in a registry keyed by name. */
import { calibrationWeights } from './calibrationWeights';
import { kdeWeights } from './kdeWeights';
import { logisticWeights } from './logisticWeights';
import { rakingWeights } from './rakingWeights';
import type { EstimatorName, WeightEstimatorInput, WeightEstimatorResult } from './weightEstimatorInput';

export {
  type EstimatorName,
  type WeightEstimatorInput,
  type WeightEstimatorResult,
  type ConstraintReport,
  type CalibrationOptions,
  type RakingOptions,
  type LogisticOptions,
  type MomentSet,
  prepareEstimatorInput,
} from './weightEstimatorInput';
export { calibrationWeights } from './calibrationWeights';
export { rakingWeights } from './rakingWeights';
export { logisticWeights } from './logisticWeights';
export { kdeWeights } from './kdeWeights';
export { quantileBins, binOf, describeBin, type QuantileBins } from './quantileBins';
export { momentFeatures, featureRow, featureMeans, denseFeatures, type MomentFeatureSet, type FeatureKind } from './momentFeatures';
export { balanceReport, binShares, failedConstraintsSentence, type BalanceSpec } from './balanceReport';
export { pseudoSolve } from './pseudoSolve';

/**
 * Weight estimators keyed by name; every entry takes a WeightEstimatorInput and returns a WeightEstimatorResult
 * (weights summing to 1, converged, iterations, Kish diagnostics, per-constraint balance, warnings, parameters).
 * - calibration: entropy balancing of means, variances, covariances (optionally quantile-bin shares); Hainmueller 2012.
 * - raking: iterative proportional fitting of per-trait quantile-bin shares; Deming & Stephan 1940.
 * - logistic: odds of a penalised logistic classifier between reference and pool (balance's ipw).
 * - kde: the paper's KDE density ratio (importanceSampling), unchanged.
 * Choose between them by measurement on held-out reference data (README, "Defaults worth knowing": auto).
 * @example weightEstimators.calibration({ pool, reference }).weights.length === pool.rows
 */
export const weightEstimators: Record<EstimatorName, (input: WeightEstimatorInput) => WeightEstimatorResult> = {
  calibration: calibrationWeights,
  raking: rakingWeights,
  logistic: logisticWeights,
  kde: kdeWeights,
};

/** The estimator names in registry order. */
export const ESTIMATOR_NAMES: readonly EstimatorName[] = ['calibration', 'raking', 'logistic', 'kde'];
