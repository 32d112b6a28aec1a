import { AlignInputError } from '../../numeric/alignInputError';
import type { Matrix } from '../../numeric/matrix';
import { balanceReport, failedConstraintsSentence } from './balanceReport';
import { estimatorResult } from './estimatorResult';
import { DualProblem } from './calibrationDual';
import { solveWithRidgeFallback } from './calibrationNewton';
import { featureMeans, momentFeatures, type MomentFeatureSet } from './momentFeatures';
import { quantileBins } from './quantileBins';
import {
  numberOption,
  prepareEstimatorInput,
  type MomentSet,
  type WeightEstimatorInput,
  type WeightEstimatorResult,
} from './weightEstimatorInput';

const MOMENT_SETS: readonly MomentSet[] = ['means', 'meansAndVariances', 'all'];

/**
 * Entropy balancing (calibration): the weights closest to the base weights in Kullback-Leibler divergence whose
 * weighted means of moment features equal the target's.
 *
 * Primal: min_w sum_i w_i log(w_i / b_i) subject to sum_i w_i f(x_i) = t, sum_i w_i = 1, where f are the moment
 * features (x_k - mu_k, (x_k - mu_k)^2, (x_k - mu_k)(x_l - mu_l) with mu the target mean; optionally marginal
 * quantile-bin indicators of the target) and t = sum_j v_j f(y_j) their target means (v = target weights): 0, the
 * target variances and covariances. Matching them matches the target's means, variances and covariances.
 * Solution: w_i = b_i exp(lambda . f~_i) / Z, with lambda minimising the convex dual
 *   phi(lambda) = log sum_i b_i exp(lambda . (f~_i - t~)) + (rho / 2) |lambda|^2,
 * gradient E_w[f~] - t~ + rho lambda, Hessian Cov_w(f~) + rho I. f~ are the features standardised by their
 * base-weighted pool mean and SD (for conditioning; the exact solution does not depend on it). With a ridge the
 * primal becomes min KL(w | b) + |E_w[f~] - t~|^2 / (2 rho): the penalty is on the gaps (in pool SDs) of the mean,
 * variances and covariances about the target mean, so spread on the far side of an unreachable mean does not count
 * as progress.
 * Symbols: pool x (n x d), reference y (m x d), b base weights (n), v target weights (m), p features (2d + d(d-1)/2 =
 * 20 for d = 5 with moments 'all', plus d (B - 1) bin shares with `bins` B).
 * Solver: damped Newton with an Armijo line search (interpolating backtracking); the Newton system is solved by
 * eigen-decomposition (pseudo-inverse, so collinear features on the pool do no harm; tridiagonal QL, about 1 ms for
 * the 65 features of moments + deciles). Warm start from `calibration.initialLambda`. Five traits with every moment
 * (with or without bins) take a fused pass with the features in registers; other shapes a general loop.
 * Pools larger than `hessianRows`: the dual is first solved on an every-k-th-row subsample, then on every row with
 * Hessians from a weight-proportional systematic sample of about `hessianRows` rows (Horvitz-Thompson weighted; every
 * row once a full step fails to halve the gradient). The gradient is always exact, so the solution is the same.
 * Infeasible targets (outside what reweighting the pool can reach) are detected by a certificate: for any weights that
 * meet the constraints, phi >= -KL(w | b) >= log min_i b_i, so once phi falls below log min_i b_i exact balancing is
 * proved impossible (usually within a few steps); also when lambda runs off past `lambdaLimit`, the weights collapse
 * onto a few personas and stop improving, or the iteration cap is hit. They fall back to the ridge-penalised dual with
 * rho = `fallbackRidge` (0.01), whose solution always exists and trades balance against dispersion; each constraint
 * is then reported with its gap, and `converged` is false with a warning naming the constraints that miss. `ridge` > 0
 * asks for the penalised dual from the start.
 * converged = the Newton solver met `gradientTolerance` and every constraint holds within `tolerance` target SDs.
 * Defaults: moments 'all', bins 0, ridge 0, fallbackRidge 0.01, tolerance 1e-6, gradientTolerance 1e-10,
 * maxIterations 100 (per phase), hessianRows 32768, lambdaLimit 1000.
 * Complexity: O(n p) per dual evaluation (one fused pass, features computed on the fly: O(n) memory), O(n + min(n,
 * hessianRows) p_row^2 + p^3) per Hessian (p_row = 20 moments + one bin per trait: bins are sparse); typically 5-20
 * Newton steps, about 10-15 passes over all rows for a large pool.
 * Numerical notes: exponents are shifted by their maximum (log domain), so no weight overflows; weights are never
 * NaN (a failure returns the base weights with a warning). `parameters` returns lambda (one per feature, in
 * `constraints` order; 0 for the last bin of each column and for features without spread in the pool).
 * Reference: Hainmueller (2012) Political Analysis 20(1), 25-46; Zubizarreta (2015) JASA 110 for approximate
 * balancing; Deville & Sarndal (1992) JASA 87 for calibration estimators.
 * @example calibrationWeights({ pool, reference }).constraints.every((c) => c.holds) // weighted pool means, variances, covariances = the reference's
 */
export function calibrationWeights(input: WeightEstimatorInput): WeightEstimatorResult {
  const prep = prepareEstimatorInput(input);
  const { pool, reference, base, target, names } = prep;
  const o = input.calibration ?? {};
  const moments = o.moments ?? 'all';
  if (!MOMENT_SETS.includes(moments)) {
    throw new AlignInputError('BAD_PARAMETER', `The option calibration.moments must be one of ${MOMENT_SETS.join(', ')}; got ${String(moments)}.`);
  }
  const bins = numberOption(o.bins, 0, 'calibration.bins', { integer: true, min: 0, max: 100 });
  if (bins === 1) throw new AlignInputError('BAD_PARAMETER', 'The option calibration.bins must be 0 (no bins) or at least 2.');
  const ridge = numberOption(o.ridge, 0, 'calibration.ridge', { min: 0 });
  const fallbackRidge = numberOption(o.fallbackRidge, 0.01, 'calibration.fallbackRidge', { min: 0 });
  const gradientTolerance = numberOption(o.gradientTolerance, 1e-10, 'calibration.gradientTolerance', { min: 0, exclusiveMin: true });
  const hessianRows = numberOption(o.hessianRows, 32768, 'calibration.hessianRows', { integer: true, min: 1 });
  const lambdaLimit = numberOption(o.lambdaLimit, 1000, 'calibration.lambdaLimit', { min: 0, exclusiveMin: true });
  const tolerance = input.tolerance ?? 1e-6;
  const maxIterations = input.maxIterations ?? 100;
  const warnings: string[] = [];
  const n = pool.rows;
  const d = pool.cols;

  let cuts: Float64Array[] = [];
  if (bins >= 2) {
    const qb = quantileBins(reference, target, bins, { pool, poolWeights: base, names });
    cuts = qb.cuts;
    warnings.push(...qb.warnings);
  }
  // Centred at the target mean: the constraints then read E_w[x - mu] = 0, E_w[(x_k - mu_k)^2] = var_k, ...,
  // so an approximate (ridge) solution trades off gaps in those natural quantities.
  const targetMean = featureCentre(reference, target);
  const fs = momentFeatures([{ x: pool, weights: base, mass: 1 }], moments, cuts, targetMean);
  const p = fs.p;
  const targetRaw = featureMeans(fs, reference, target);
  const report = (w: Float64Array) => balanceReport(pool, w, reference, target, base, names, { moments, cuts }, tolerance);

  // Active features: spread in the pool, and not the last bin of a column (implied by the others).
  const active: number[] = [];
  for (let j = 0; j < p; j++) {
    const lastBin = fs.kind[j] === 'share' && fs.second[j] === fs.cuts[fs.first[j]!]!.length;
    if (lastBin) continue;
    if (fs.invScale[j]! > 0) active.push(j);
    else if (Math.abs(targetRaw[j]! - fs.mean[j]!) > 1e-12 * (Math.abs(fs.mean[j]!) + 1)) {
      warnings.push(`The pool (with its base weights) has no spread in feature ${featureName(fs, j, names)}, so reweighting cannot move it; it was left out of the balancing.`);
    }
  }
  const q = active.length;
  const problem = new DualProblem(fs, pool.data, n, d, base, targetRaw, Int32Array.from(active), hessianRows);

  let lambda0 = new Float64Array(q);
  if (o.initialLambda) {
    if (o.initialLambda.length !== p) {
      warnings.push(`The warm-start lambda has ${o.initialLambda.length} entries but this problem has ${p} constraints, so the solver started from zero.`);
    } else {
      let finite = true;
      for (let c = 0; c < q; c++) {
        const v = o.initialLambda[active[c]!]!;
        if (!Number.isFinite(v)) finite = false;
        lambda0[c] = v;
      }
      if (!finite) {
        warnings.push('The warm-start lambda has a non-finite entry, so the solver started from zero.');
        lambda0 = new Float64Array(q);
      }
    }
  }

  const progress = input.onProgress;
  const { phase, iterations } = solveWithRidgeFallback(problem, lambda0, { ridge, fallbackRidge, maxIterations, gradientTolerance, lambdaLimit }, warnings, progress);
  const weights = problem.weights();
  const constraints = report(weights);
  const sentence = failedConstraintsSentence(constraints);
  if (sentence) {
    warnings.push(
      `These targets are missed by more than ${tolerance} target SDs: ${sentence}. The pool has too few personas in that direction; add personas there, relax the tolerance, or match fewer moments.`,
    );
  }
  const parameters = new Float64Array(p);
  for (let c = 0; c < q; c++) parameters[active[c]!] = phase.lambda[c]!;
  progress?.(1);
  return estimatorResult({
    method: 'calibration',
    weights,
    fallback: base,
    converged: phase.converged && constraints.every((c) => c.holds),
    iterations,
    constraints,
    warnings,
    parameters,
  });
}

/** Weighted column means of x (weights summing to 1). O(rows d). */
function featureCentre(x: Matrix, weights: Float64Array): Float64Array {
  const d = x.cols;
  const c = new Float64Array(d);
  for (let i = 0; i < x.rows; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    for (let k = 0; k < d; k++) c[k] = c[k]! + w * x.data[i * d + k]!;
  }
  return c;
}

function featureName(fs: MomentFeatureSet, j: number, names: readonly string[]): string {
  const k = fs.first[j]!;
  const kind = fs.kind[j];
  if (kind === 'covariance') return `covariance ${names[k]}-${names[fs.second[j]!]}`;
  if (kind === 'share') return `share ${names[k]} bin ${fs.second[j]! + 1}`;
  return `${kind} ${names[k]}`;
}
