import { importanceSampling } from '../importanceSampling';
import { balanceReport, failedConstraintsSentence } from './balanceReport';
import { estimatorResult } from './estimatorResult';
import { prepareEstimatorInput, type WeightEstimatorInput, type WeightEstimatorResult } from './weightEstimatorInput';

/**
 * The paper's step A behind the estimator interface: w_i = p_target(x_i) / q_pool(x_i) from two Gaussian KDEs,
 * computed by `importanceSampling` unchanged (bandwidth 0.20 trait points, leave-one-out pool density, PSIS tails by
 * default; settings in `input.kde`).
 *
 * Base weights: the pool density is unweighted, so non-uniform base weights are ignored (with a warning).
 * converged is true (a direct method; iterations 0); a Pareto k-hat above 0.7 adds a warning. `constraints` reports
 * the means, variances and covariances after weighting as checks (tolerance default 0.1 target SDs), not imposed.
 * Complexity: see importanceSampling (binned KDE above its exact limit).
 * Reference: Hu et al. (2025) arXiv 2509.10127, stage 3A; Silverman (1986); Vehtari et al. (2024) for PSIS.
 * @example kdeWeights({ pool, reference: pool }).diagnostics.ess > 0.9 * pool.rows // a large one-trait pool: near-uniform
 */
export function kdeWeights(input: WeightEstimatorInput): WeightEstimatorResult {
  const prep = prepareEstimatorInput(input);
  const { pool, reference, base, target, names } = prep;
  const tolerance = input.tolerance ?? 0.1;
  const warnings: string[] = [];
  const n = pool.rows;
  let uniformBase = true;
  for (let i = 1; i < n; i++) {
    if (Math.abs(base[i]! - base[0]!) > 1e-12 * base[0]!) {
      uniformBase = false;
      break;
    }
  }
  if (!uniformBase) warnings.push('The KDE estimator does not use base weights (its pool density is unweighted), so they were ignored.');
  const is = importanceSampling(pool, reference, input.targetWeights === undefined ? undefined : target, input.kde, input.onProgress);
  if (is.khatWarning) {
    warnings.push(
      `The importance weights have a heavy tail (Pareto k-hat ${Number(is.khat.toPrecision(3))} > 0.7): a few personas carry much of the weight and the estimate is unreliable.`,
    );
  }
  const weights = Float64Array.from(is.weights);
  const constraints = balanceReport(pool, weights, reference, target, base, names, { moments: 'all' }, tolerance);
  const sentence = failedConstraintsSentence(constraints);
  if (sentence) warnings.push(`After weighting, these moments are still more than ${tolerance} target SDs from the target: ${sentence}.`);
  input.onProgress?.(1);
  return estimatorResult({ method: 'kde', weights, fallback: base, converged: true, iterations: 0, constraints, warnings, parameters: new Float64Array(0) });
}
