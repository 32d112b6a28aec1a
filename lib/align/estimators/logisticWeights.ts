import { AlignInputError } from '../../numeric/alignInputError';
import { balanceReport, failedConstraintsSentence } from './balanceReport';
import { estimatorResult } from './estimatorResult';
import { backtrack } from './lineSearch';
import { LogisticModel } from './logisticModel';
import { momentFeatures } from './momentFeatures';
import { pseudoSolve } from './pseudoSolve';
import { numberOption, prepareEstimatorInput, type WeightEstimatorInput, type WeightEstimatorResult } from './weightEstimatorInput';

const ARMIJO = 1e-4;
const LOSS_NOISE = 1e-12;
/** Default Newton stopping rule on the largest gradient component (see LogisticOptions.gradientTolerance). */
const DEFAULT_GRADIENT_TOLERANCE = 1e-8;

/**
 * Classifier density ratio: fits P(reference | x) by L2-penalised logistic regression on standardised degree-2
 * features and weights each persona by its odds, w_i proportional to b_i p(x_i) / (1 - p(x_i)).
 *
 * Data: the pool rows (label 0, case weights n b_i) and the reference rows (label 1, case weights m v_j), so each set
 * keeps its size and its own weights (b base, v target). Features z: x_k, x_k^2, x_k x_l (degree 2, 20 for d = 5;
 * degree 1: x_k), each centred and scaled by its mean and SD over both sets together. Model eta = beta_0 + beta . z,
 * p = 1 / (1 + exp(-eta)). Loss (minimised, mean over the C = n + m case weights):
 *   L(beta) = (1 / C) sum_i c_i [log(1 + exp(eta_i)) - y_i eta_i] + (alpha / 2) |beta_{1..}|^2   (intercept unpenalised).
 * Solver: Newton (iteratively reweighted least squares) with an Armijo line search (interpolating backtracking), from
 * beta_0 = log(m / n), the intercept-only optimum, stopping when every gradient component is below
 * `logistic.gradientTolerance` (1e-8; Newton converges quadratically, so one more step would change the weights by
 * less than about 1e-5 relative, far below what a selection can resolve). Each step is one fused pass over both sets
 * for the loss, the gradient and the Hessian, the Hessian from at most `logistic.hessianRows` (65536) rows split
 * between the two sets (every k-th row of a larger set; the gradient uses every row, so the solution is the same; a
 * subsampled Hessian whose full step cuts the largest gradient component by less than 4 is replaced by the full one).
 * Weights:
 * w_i = b_i exp(eta_i) x n / m, normalised to sum 1 (the odds, computed in the log domain), optionally clipped at
 * `maxWeightRatio` times the mean weight (the largest weights are lowered to a common cap, which is chosen so that
 * after renormalising no weight exceeds the ratio; Ionides 2008).
 * Defaults: penalty alpha 1e-3, degree 2, no clipping, maxIterations 100, gradientTolerance 1e-8, hessianRows 65536,
 * tolerance (balance checks) 0.1.
 * converged = the Newton solver met its gradient tolerance and the sets are not (almost) perfectly separable (mean
 * unpenalised loss >= 1e-6); `constraints` reports the means, variances and
 * covariances after weighting as checks (logistic weights do not impose them).
 * Complexity O((n + m) q + min(n + m, hessianRows) q^2 + q^3) per Newton step (q features); typically 5-8 steps.
 * Reference: Rosenbaum & Rubin (1983) Biometrika 70(1) for propensity scores; balance's `ipw`
 * (facebookresearch/balance); Sugiyama, Suzuki & Kanamori (2012) Density Ratio Estimation in Machine Learning.
 * @example logisticWeights({ pool: x, reference: x }).weights // all 1/n: the classifier cannot tell the sets apart
 */
export function logisticWeights(input: WeightEstimatorInput): WeightEstimatorResult {
  const prep = prepareEstimatorInput(input);
  const { pool, reference, base, target, names } = prep;
  const o = input.logistic ?? {};
  const penalty = numberOption(o.penalty, 1e-3, 'logistic.penalty', { min: 0 });
  const degree = o.degree ?? 2;
  if (degree !== 1 && degree !== 2) throw new AlignInputError('BAD_PARAMETER', `The option logistic.degree must be 1 or 2; got ${String(degree)}.`);
  const maxWeightRatio = o.maxWeightRatio === undefined ? undefined : numberOption(o.maxWeightRatio, 0, 'logistic.maxWeightRatio', { min: 1, exclusiveMin: true });
  const gradientTolerance = numberOption(o.gradientTolerance, DEFAULT_GRADIENT_TOLERANCE, 'logistic.gradientTolerance', { min: 0, exclusiveMin: true });
  const hessianRows = numberOption(o.hessianRows, 65536, 'logistic.hessianRows', { integer: true, min: 1 });
  const tolerance = input.tolerance ?? 0.1;
  const maxIterations = input.maxIterations ?? 100;
  const warnings: string[] = [];
  const n = pool.rows;
  const m = reference.rows;

  const fs = momentFeatures(
    [
      { x: pool, weights: base, mass: n },
      { x: reference, weights: target, mass: m },
    ],
    degree === 2 ? 'all' : 'means',
  );
  const active: number[] = [];
  for (let j = 0; j < fs.p; j++) if (fs.invScale[j]! > 0) active.push(j);
  const model = new LogisticModel(
    fs,
    Int32Array.from(active),
    [
      { x: pool, caseWeights: scaled(base, n), label: 0 },
      { x: reference, caseWeights: scaled(target, m), label: 1 },
    ],
    hessianRows,
  );
  const P = active.length + 1;
  let beta = new Float64Array(P);
  beta[0] = Math.log(m / n);
  let current = model.evaluate(beta, penalty);
  let converged = false;
  let iterations = 0;
  let gradientMax = Infinity;
  let previousGradientMax = Infinity;
  let fullStep = false;
  for (;;) {
    gradientMax = 0;
    for (let c = 0; c < P; c++) gradientMax = Math.max(gradientMax, Math.abs(current.gradient[c]!));
    if (!Number.isFinite(gradientMax)) break;
    if (gradientMax <= gradientTolerance) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    // A subsampled Hessian whose full Newton step cut the largest gradient component by less than 4 is replaced by the
    // full one from here on (near the optimum an accurate Hessian cuts it far more).
    if (model.subsampled && fullStep && gradientMax > 0.25 * previousGradientMax) {
      model.useEveryRow();
      current = model.evaluate(beta, penalty);
    }
    previousGradientMax = gradientMax;
    const { gradient, hessian, loss } = current;
    const step = pseudoSolve(hessian, gradient, P).x;
    let slope = 0;
    for (let c = 0; c < P; c++) {
      step[c] = -step[c]!;
      slope += step[c]! * gradient[c]!;
    }
    if (!(slope < 0)) {
      slope = 0;
      for (let c = 0; c < P; c++) {
        step[c] = -gradient[c]!;
        slope -= gradient[c]! * gradient[c]!;
      }
    }
    let alpha = 1;
    let accepted = false;
    const trial = new Float64Array(P);
    while (alpha >= 1e-10) {
      for (let c = 0; c < P; c++) trial[c] = beta[c]! + alpha * step[c]!;
      // The trial's derivatives come with its loss (one pass); a full Newton step is accepted almost always.
      const t = model.evaluate(trial, penalty);
      if (Number.isFinite(t.loss) && t.loss <= loss + ARMIJO * alpha * slope + LOSS_NOISE * Math.max(1, Math.abs(loss))) {
        current = t;
        accepted = true;
        break;
      }
      alpha = backtrack(alpha, loss, t.loss, slope);
    }
    if (!accepted) break;
    fullStep = alpha === 1;
    beta = Float64Array.from(trial);
    iterations++;
    input.onProgress?.(Math.min(0.95, iterations / 20));
  }
  // Near-perfect separation: the unpenalised loss vanishes and the odds become extreme (with alpha = 0 the gradient
  // can meet its tolerance only because beta has run off toward infinity).
  const fitLoss = current.fitLoss;
  if (fitLoss < 1e-6) {
    converged = false;
    warnings.push(
      'The classifier separates the pool from the reference almost perfectly, so the odds are extreme and the weights rest on the few personas nearest the reference; use a larger penalty, degree 1, or another estimator.',
    );
  } else if (!converged) {
    warnings.push(
      `The logistic regression did not converge in ${iterations} Newton steps (largest gradient ${Number(gradientMax.toPrecision(3))})${
        penalty === 0 ? '; the pool and the reference may be perfectly separable, so use a positive penalty' : ''
      }; the weights come from its last iterate.`,
    );
  }

  // Odds in the log domain: log w_i = log b_i + eta_i.
  const eta = model.linearPredictor(beta, pool);
  let weights: Float64Array = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (base[i]! > 0 && eta[i]! > max) max = eta[i]!;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const b = base[i]!;
    if (b === 0) continue;
    weights[i] = b * Math.exp(eta[i]! - max);
    total += weights[i]!;
  }
  for (let i = 0; i < n; i++) weights[i] = weights[i]! / total;
  if (maxWeightRatio !== undefined) {
    const clipped = clipWeights(weights, maxWeightRatio);
    weights = clipped.weights;
    if (clipped.count > 0) warnings.push(`${clipped.count} of the largest weights were clipped to ${maxWeightRatio} times the mean weight.`);
  }
  const constraints = balanceReport(pool, weights, reference, target, base, names, { moments: degree === 2 ? 'all' : 'means' }, tolerance);
  const sentence = failedConstraintsSentence(constraints);
  if (sentence) warnings.push(`After weighting, these moments are still more than ${tolerance} target SDs from the target: ${sentence}.`);
  const parameters = new Float64Array(fs.p + 1);
  parameters[0] = beta[0]!;
  for (let c = 0; c < active.length; c++) parameters[1 + active[c]!] = beta[1 + c]!;
  input.onProgress?.(1);
  return estimatorResult({ method: 'logistic', weights, fallback: base, converged, iterations, constraints, warnings, parameters });
}

function scaled(w: Float64Array, size: number): Float64Array {
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = w[i]! * size;
  return out;
}

/**
 * Lowers the largest weights to a common cap tau so that, after renormalising, no weight exceeds `ratio` times the
 * mean weight over the positive weights: tau / sum_i min(w_i, tau) = ratio / n_+. Exact, by sorting. O(n log n).
 */
function clipWeights(w: Float64Array, ratio: number): { weights: Float64Array; count: number } {
  const n = w.length;
  let positive = 0;
  for (let i = 0; i < n; i++) if (w[i]! > 0) positive++;
  const sortedDesc = Float64Array.from(w).sort().reverse();
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i]!;
  if (sortedDesc[0]! / total <= ratio / positive) return { weights: w, count: 0 };
  // With the k largest clipped: tau = ratio R_k / (n_+ - ratio k), R_k = sum of the others; valid when tau lies in
  // [w_(k+1), w_(k)].
  let rest = total;
  for (let k = 1; k <= n; k++) {
    rest -= sortedDesc[k - 1]!;
    const den = positive - ratio * k;
    if (den <= 0) break;
    const tau = (ratio * rest) / den;
    const next = k < n ? sortedDesc[k]! : 0;
    if (tau >= next && tau <= sortedDesc[k - 1]!) {
      const out = new Float64Array(n);
      let s = 0;
      let count = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(w[i]!, tau);
        if (w[i]! > tau) count++;
        out[i] = v;
        s += v;
      }
      for (let i = 0; i < n; i++) out[i] = out[i]! / s;
      return { weights: out, count };
    }
  }
  return { weights: w, count: 0 };
}
