import { weightDiagnostics } from '../../stats/weightDiagnostics';
import type { ConstraintReport, EstimatorName, WeightEstimatorResult } from './weightEstimatorInput';

/** Share of n below which a Kish effective sample size earns a warning. */
const LOW_ESS_SHARE = 0.1;

/**
 * Assembles a WeightEstimatorResult: renormalises the weights to sum 1, computes the Kish diagnostics and adds a
 * warning when the effective sample size is below 10% of the pool. Non-finite or all-zero weights are replaced by
 * `fallback` (normalised) with converged false and a warning, so a result never carries NaN. O(n).
 * Reference: Kish (1965) Survey Sampling, Wiley, for the effective sample size and design effect.
 * @example estimatorResult({ method: 'raking', weights: Float64Array.of(1, 1), fallback, converged: true, iterations: 1, constraints: [], warnings: [], parameters: new Float64Array(0) }).weights -> [0.5, 0.5]
 */
export function estimatorResult(r: {
  method: EstimatorName;
  weights: Float64Array;
  /** Used when `weights` are unusable (the base weights, normalised). */
  fallback: Float64Array;
  converged: boolean;
  iterations: number;
  constraints: ConstraintReport[];
  warnings: string[];
  parameters: Float64Array;
}): WeightEstimatorResult {
  const n = r.weights.length;
  let weights = r.weights;
  let converged = r.converged;
  const warnings = [...r.warnings];
  let sum = 0;
  let finite = true;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || !Number.isFinite(w)) finite = false;
    sum += w;
  }
  if (!finite || !(sum > 0) || !Number.isFinite(sum)) {
    weights = Float64Array.from(r.fallback);
    converged = false;
    warnings.push(`The ${r.method} weights could not be computed in floating point, so the base weights are returned unchanged.`);
  } else if (sum !== 1) {
    weights = new Float64Array(n);
    for (let i = 0; i < n; i++) weights[i] = r.weights[i]! / sum;
  }
  const diagnostics = weightDiagnostics(weights);
  if (diagnostics.ess < LOW_ESS_SHARE * n) {
    warnings.push(
      `The weights are concentrated: the effective sample size is ${Math.round(diagnostics.ess * 10) / 10} of ${n} personas (design effect ${Number(diagnostics.designEffect.toPrecision(3))}); a selection will repeat or lean on few personas.`,
    );
  }
  return { method: r.method, weights, converged, iterations: r.iterations, diagnostics, constraints: r.constraints, warnings, parameters: r.parameters };
}
