/** Public surface of the alignment layer: trait space, costs, OT variants, importance sampling, selection, pipeline. */
export { TRAIT_CODES, TRAIT_NAMES, TRAIT_RANGE, validateTraitSet, type TraitCode } from './traitSpace';
export { medianCost, pairCost } from './medianCost';
export { sinkhorn, type SinkhornInput, type SinkhornResult, type OtVariant } from './sinkhorn';
export { otVariants } from './otVariants';
export { compressPoints, quantiseToCentres, type CompressedPoints } from './compressPoints';
export { transportWeights, type TransportOptions, type TransportWeightsResult } from './transportWeights';
export { importanceSampling, type ImportanceSamplingOptions, type ImportanceSamplingResult } from './importanceSampling';
export { type SelectionInput, type SelectionResult } from './selectionInput';
export { selectMultinomial } from './selectMultinomial';
export { selectSystematic } from './selectSystematic';
export { selectTopFraction } from './selectTopFraction';
export { selectWithoutReplacement } from './selectWithoutReplacement';
export { selectionMethods, UNIQUE_SELECTION_METHODS, type SelectionMethod } from './selectionMethods';
export { selectPivotal, inclusionProbabilities } from './selectPivotal';
export { selectHerding, type HerdingOptions, type HerdingResult, type HerdingMeanEmbedding } from './selectHerding';
export {
  diversityFrontier,
  defaultFrontierSizes,
  type DiversityFrontierInput,
  type DiversityFrontierResult,
  type FrontierMetrics,
  type DistinctSelectionMethod,
} from './diversityFrontier';
export {
  weightEstimators,
  ESTIMATOR_NAMES,
  calibrationWeights,
  rakingWeights,
  logisticWeights,
  kdeWeights,
  type EstimatorName,
  type WeightEstimatorInput,
  type WeightEstimatorResult,
  type ConstraintReport,
  type CalibrationOptions,
  type RakingOptions,
  type LogisticOptions,
  type MomentSet,
} from './estimators';
export { fitWeights, type EstimatorSpec, type FitSettings, type FittedWeights } from './fitWeights';
export { chooseEstimator, splitRows, AUTO_CANDIDATES, type ChooseEstimatorInput, type ChooseEstimatorResult } from './chooseEstimator';
export { type CandidateScore } from './candidateTable';
export {
  alignPool,
  DEFAULT_ALIGN_CONFIG,
  ESTIMATOR_CHOICES,
  type EstimatorChoice,
  type EstimatorReport,
  type AlignConfig,
  type AlignPoolInput,
  type AlignResult,
  type AlignDiagnostics,
  type BalanceReport,
} from './alignPool';
export { createPoolDensityCache, type PoolDensityCache, type PoolDensityCacheOptions } from './poolDensityCache';
export { liveReweight, traitOrder, type LiveReweightResult } from './liveReweight';
export { AlignInputError, type AlignInputErrorCode } from '../numeric/alignInputError';
