/** Damped Newton on the calibration dual, its certificate of infeasibility and the ridge fallback. */
import type { DualProblem } from './calibrationDual';
import { backtrack } from './lineSearch';
import { pseudoSolve } from './pseudoSolve';

/** Armijo sufficient-decrease constant of the backtracking line search. */
const ARMIJO = 1e-4;
/** Relative size of a change in the dual below which rounding hides it (near the optimum a full step is taken). */
const DUAL_NOISE = 1e-12;

/** How one phase of Newton on the dual ended, with its last iterate. */
export interface PhaseResult {
  converged: boolean;
  reason: 'converged' | 'iterations' | 'diverging' | 'stalled';
  iterations: number;
  lambda: Float64Array;
  gradientMax: number;
}

/**
 * Damped Newton on phi from lambda0; on return the stored scores belong to the returned lambda.
 * Pools larger than hessianRows: first solve the dual on the every-k-th-row subsample (exact Newton, cheap), then
 * continue on every row from that lambda, each step with the exact gradient and a Hessian from a weight-proportional
 * sample of about hessianRows rows (see DualProblem.hessian). Smaller pools: exact Newton throughout.
 */
export function solveDual(
  problem: DualProblem,
  lambda0: Float64Array,
  rho: number,
  maxIterations: number,
  gradientTolerance: number,
  lambdaLimit: number,
  onProgress?: (fraction: number) => void,
): PhaseResult {
  const q = problem.q;
  if (q === 0) {
    problem.evaluate(lambda0, rho);
    return { converged: true, reason: 'converged', iterations: 0, lambda: Float64Array.from(lambda0), gradientMax: 0 };
  }
  const large = problem.n > problem.hessianRows;
  let lambda = Float64Array.from(lambda0);
  let warmIterations = 0;
  if (large) {
    const sub = problem.subsample();
    const warm = solveDual(sub, lambda0, rho, maxIterations, Math.max(gradientTolerance, 1e-6), lambdaLimit);
    warmIterations = warm.iterations;
    if (warm.converged) lambda = Float64Array.from(warm.lambda);
    onProgress?.(0.3);
  }
  let phi = problem.evaluate(lambda, rho);
  let phiBefore = Infinity;
  let gradientMax = Infinity;
  let previousGradientMax = Infinity;
  // Sampled Hessians until a full Newton step fails to halve the largest gradient component; every row from then on.
  let sampled = large;
  let fullStep = false;
  let idle = 0;
  for (let it = 0; ; it++) {
    const iterations = warmIterations + it;
    const gradient = problem.gradient(lambda, rho);
    gradientMax = 0;
    for (let c = 0; c < q; c++) gradientMax = Math.max(gradientMax, Math.abs(gradient[c]!));
    if (!Number.isFinite(gradientMax) || !Number.isFinite(phi)) return { converged: false, reason: 'stalled', iterations, lambda, gradientMax };
    if (gradientMax <= gradientTolerance) return { converged: true, reason: 'converged', iterations, lambda, gradientMax };
    // Certificate of infeasibility: for any w meeting the constraints, phi(lambda) >= -KL(w | b) >= log min_i b_i
    // (weak duality), so a dual value below that bound proves that exact balancing has no solution.
    if (rho === 0 && phi < problem.logBaseMin - DUAL_NOISE * Math.max(1, Math.abs(phi))) return { converged: false, reason: 'diverging', iterations, lambda, gradientMax };
    if (it >= maxIterations) return { converged: false, reason: 'iterations', iterations, lambda, gradientMax };
    if (sampled && fullStep && gradientMax > 0.5 * previousGradientMax) sampled = false;
    // No progress: neither phi nor the gradient improves (the weights sit on a few extreme personas).
    idle = gradientMax < 0.5 * previousGradientMax || phiBefore - phi > 1e3 * DUAL_NOISE * Math.max(1, Math.abs(phi)) ? 0 : idle + 1;
    if (idle >= 3) return { converged: false, reason: 'stalled', iterations, lambda, gradientMax };
    previousGradientMax = gradientMax;
    phiBefore = phi;
    const step = pseudoSolve(problem.hessian(rho, sampled), gradient, q).x;
    let slope = 0;
    for (let c = 0; c < q; c++) {
      step[c] = -step[c]!;
      slope += step[c]! * gradient[c]!;
    }
    if (!(slope < 0)) {
      slope = 0;
      for (let c = 0; c < q; c++) {
        step[c] = -gradient[c]!;
        slope -= gradient[c]! * gradient[c]!;
      }
    }
    let alpha = 1;
    const trial = new Float64Array(q);
    let accepted = false;
    while (alpha >= 1e-10) {
      for (let c = 0; c < q; c++) trial[c] = lambda[c]! + alpha * step[c]!;
      const phiTrial = problem.evaluate(trial, rho);
      if (Number.isFinite(phiTrial) && phiTrial <= phi + ARMIJO * alpha * slope + DUAL_NOISE * Math.max(1, Math.abs(phi))) {
        phi = phiTrial;
        accepted = true;
        break;
      }
      alpha = backtrack(alpha, phi, phiTrial, slope);
    }
    if (!accepted) {
      problem.evaluate(lambda, rho);
      return { converged: false, reason: 'stalled', iterations, lambda, gradientMax };
    }
    fullStep = alpha === 1;
    lambda = Float64Array.from(trial);
    onProgress?.(Math.min(0.95, (large ? 0.3 : 0) + (it + 1) / 20));
    let lmax = 0;
    for (let c = 0; c < q; c++) lmax = Math.max(lmax, Math.abs(lambda[c]!));
    if (lmax > lambdaLimit) return { converged: false, reason: 'diverging', iterations: iterations + 1, lambda, gradientMax };
  }
}

/**
 * Solves the dual with the asked ridge, and when exact balancing fails (ridge 0: the certificate proves the target
 * infeasible, lambda runs off past lambdaLimit, the weights stall, or the iteration cap is hit) solves it again from
 * zero with the ridge `fallbackRidge`, whose solution always exists. Warnings say why and when the solver stopped
 * without converging. Iterations count both phases.
 */
export function solveWithRidgeFallback(
  problem: DualProblem,
  lambda0: Float64Array,
  o: { ridge: number; fallbackRidge: number; maxIterations: number; gradientTolerance: number; lambdaLimit: number },
  warnings: string[],
  progress?: (fraction: number) => void,
): { phase: PhaseResult; iterations: number } {
  const { ridge, fallbackRidge, maxIterations, gradientTolerance, lambdaLimit } = o;
  const q = problem.q;
  let phase = solveDual(problem, lambda0, ridge, maxIterations, gradientTolerance, lambdaLimit, progress);
  let iterations = phase.iterations;
  if (!phase.converged && ridge === 0 && fallbackRidge > 0) {
    const why =
      phase.reason === 'diverging'
        ? 'the target lies outside what reweighting this pool can reach'
        : phase.reason === 'stalled'
          ? 'the weights collapsed onto a few personas without reaching the target'
          : `it did not converge within ${maxIterations} Newton steps`;
    warnings.push(
      `Exact balancing is not possible here (${why}), so approximate balancing with a ridge of ${fallbackRidge} on the dual was used: the weights come as close to the target as that penalty allows.`,
    );
    phase = solveDual(problem, new Float64Array(q), fallbackRidge, maxIterations, gradientTolerance, Infinity, progress);
    iterations += phase.iterations;
  }
  if (!phase.converged) {
    warnings.push(
      `The balancing solver stopped after ${phase.iterations} Newton steps without converging (largest dual gradient ${Number(phase.gradientMax.toPrecision(3))}); the weights are its last iterate.`,
    );
  }
  return { phase, iterations };
}
