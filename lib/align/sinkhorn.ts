import { AlignInputError } from '../numeric/alignInputError';
import type { Matrix } from '../numeric/matrix';
import { normaliseWeights } from '../numeric/validate';
import { storedKernel, streamedKernel, type LogKernel } from './logKernel';
import { medianCost, pairCost } from './medianCost';

/** Which marginals the entropic plan must match. */
export type OtVariant = 'balanced' | 'semiRelaxed' | 'unbalanced';

/** Shared input of every OT variant. */
export interface SinkhornInput {
  /** Source points (the pool / candidate personas), n x d. */
  source: Matrix;
  /** Target points (the human reference or target), m x d. */
  target: Matrix;
  /** Source mass a (default uniform); normalised to sum 1. */
  sourceWeights?: ArrayLike<number>;
  /** Target mass b (default uniform); normalised to sum 1. */
  targetWeights?: ArrayLike<number>;
  /** Default 'balanced' (ot.sinkhorn). The alignment pipeline defaults to 'semiRelaxed'. */
  variant?: OtVariant;
  /** Entropic regularisation in cost units; default epsilonFactor x median(C). */
  epsilon?: number;
  /** Default 0.08 (the paper). */
  epsilonFactor?: number;
  /** KL strength of a relaxed marginal (POT's reg_m); default = epsilon. Ignored by 'balanced'. */
  tau?: number;
  /** Default 250 (the paper). */
  maxIterations?: number;
  /** Stop when the marginal error (L1, masses sum to 1) is below this; default 1e-6. */
  tolerance?: number;
  /** Per-dimension cost weights omega (default all 1). */
  costWeights?: ArrayLike<number>;
  /** Target columns per batch when the kernel is not stored (default 10,000). */
  batchSize?: number;
  /** Largest n x m for which the Gibbs kernel is stored (default 2^24 entries = 134 MB). */
  kernelCacheLimit?: number;
  /** Epsilon scaling: `stages` solves at epsilon x factor^(stages-1), ..., epsilon (default 1 stage, factor 4). */
  epsilonScaling?: { stages: number; factor?: number };
  /** Return the dense plan (only allowed up to 1e7 entries). */
  returnPlan?: boolean;
  /** Seed for the sampled median cost on large inputs (default 0). */
  seed?: number;
  onProgress?: (fraction: number) => void;
}

/** Result shape of every OT variant; it never changes with a flag (plan is present only when asked for). */
export interface SinkhornResult {
  /** Dense n x m plan, row-major, when returnPlan was set. */
  plan?: Float64Array;
  /** Row sums of the plan (mass given to each source point), length n. The persona weights. */
  weights: Float64Array;
  /** Column sums of the plan, length m. */
  targetMarginal: Float64Array;
  /** Dual potentials f (n) and g (m) in cost units: plan_ij = exp((f_i + g_j - C_ij) / epsilon). */
  sourcePotential: Float64Array;
  targetPotential: Float64Array;
  variant: OtVariant;
  epsilon: number;
  tau: number;
  converged: boolean;
  iterations: number;
  /** Marginal error after each iteration (L1; see sinkhorn doc). */
  marginalError: Float64Array;
  /** Transport cost <C, plan> (NaN for n m > 2^22 unless returnPlan: it would need another full pass). */
  cost: number;
  /** Whether the Gibbs kernel was stored (true) or streamed in target batches. */
  kernelStored: boolean;
}

/**
 * Entropic optimal transport by log-domain Sinkhorn iterations, balanced or with KL-relaxed marginals.
 *
 * Problem: min_P <C, P> + epsilon sum P_ij (log P_ij - 1) + tau KL(P 1 | a) [+ tau KL(P^T 1 | b)], with
 * C_ij = sum_k omega_k (x_ik - y_jk)^2. 'balanced' enforces both marginals (tau = infinity), 'semiRelaxed'
 * enforces only the target marginal b (the human reference) and relaxes the source side, 'unbalanced' relaxes
 * both with strength tau. Updates (POT's sinkhorn_knopp_unbalanced, written on potentials f = epsilon log u):
 *   f_i = lambda_a epsilon (log a_i - log sum_j exp((g_j - C_ij) / epsilon)),
 *   g_j = lambda_b epsilon (log b_j - log sum_i exp((f_i - C_ij) / epsilon)),
 * lambda = tau / (tau + epsilon) on a relaxed side and 1 on an enforced one. The marginal error after an
 * iteration is sum_i |r_i - a_i^lambda_a (Kv)_i^(1 - lambda_a)| with r the current row sums (for balanced:
 * |r - a|_1); it is zero exactly at the fixed point.
 * Why the balanced row sums carry no information: at convergence the balanced plan satisfies P 1 = a by
 * construction, so its row sums are the input weights, whatever the reference looks like. Only a relaxed
 * source side lets the reference move mass between personas; Populace's pipeline therefore defaults to
 * 'semiRelaxed' (evidence: tests/unit/align/variants.test.ts and the bench's variant table).
 * Numerics: log domain throughout; the iterations see the kernel only through its two log-sum-exp reductions
 * (LogKernel, logKernel.ts). When n m <= kernelCacheLimit the kernel exp(-C / epsilon) is stored and each
 * half-iteration is a matrix-vector product with a max-shift (rows or columns that would underflow are
 * recomputed exactly with log-sum-exp); otherwise costs are recomputed per target batch (memory O(n + batch)).
 * Epsilon scaling starts from a larger epsilon and warm-starts the potentials.
 * Complexity O(iterations n m d) streamed, O(iterations n m) stored; memory O(n m) stored or O(n + m + batch).
 * Reference: Cuturi (2013) Sinkhorn distances, NeurIPS; Chizat, Peyre, Schmitzer, Vialard (2018) Scaling
 * algorithms for unbalanced transport problems, Math. Comp.; Schmitzer (2019) SIAM J. Sci. Comput.
 * Agreement with ot.sinkhorn and ot.sinkhorn_unbalanced: tests/unit/align/sinkhorn.test.ts (plan entries within 1e-9 at tolerance 1e-13).
 * @example sinkhorn({ source, target, epsilon: 1 }).weights sums to 1 and equals the source weights (balanced)
 */
export function sinkhorn(input: SinkhornInput): SinkhornResult {
  const { source, target } = input;
  const n = source.rows;
  const m = target.rows;
  const d = source.cols;
  if (n === 0 || m === 0) throw new AlignInputError('EMPTY', `Transport needs points on both sides; the ${n === 0 ? 'source' : 'target'} is empty.`);
  if (target.cols !== d) throw new AlignInputError('DIMENSION_MISMATCH', `Source and target have ${d} and ${target.cols} columns.`);
  for (const [mat, name] of [
    [source, 'source'],
    [target, 'target'],
  ] as const) {
    for (let i = 0; i < mat.data.length; i++) {
      if (!Number.isFinite(mat.data[i]!)) {
        throw new AlignInputError('NOT_FINITE', `The ${name} has a missing or non-numeric value in row ${Math.floor(i / d) + 1}, column ${(i % d) + 1}.`);
      }
    }
  }
  const a = normaliseWeights(input.sourceWeights, n, 'source');
  const b = normaliseWeights(input.targetWeights, m, 'target');
  const omega = input.costWeights ? Float64Array.from(input.costWeights) : new Float64Array(d).fill(1);
  if (omega.length !== d || omega.some((w) => !(w >= 0) || !Number.isFinite(w))) {
    throw new AlignInputError('BAD_PARAMETER', `Give ${d} non-negative cost weights, one per dimension.`);
  }
  const variant = input.variant ?? 'balanced';
  if (variant !== 'balanced' && variant !== 'semiRelaxed' && variant !== 'unbalanced') {
    throw new AlignInputError('BAD_PARAMETER', `Unknown OT variant "${String(variant)}"; use balanced, semiRelaxed or unbalanced.`);
  }
  let epsilon = input.epsilon;
  if (epsilon === undefined) {
    const med = medianCost(source, target, omega, input.seed ?? 0);
    epsilon = (input.epsilonFactor ?? 0.08) * (med > 0 ? med : 1);
  }
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new AlignInputError('BAD_PARAMETER', `Epsilon must be a positive number, got ${epsilon}.`);
  const tau = input.tau ?? epsilon;
  if (!(tau > 0)) throw new AlignInputError('BAD_PARAMETER', `Tau must be a positive number, got ${tau}.`);
  const maxIterations = Math.max(1, Math.floor(input.maxIterations ?? 250));
  const tolerance = input.tolerance ?? 1e-6;
  const batch = Math.max(1, Math.floor(input.batchSize ?? 10_000));
  const stored = n * m <= (input.kernelCacheLimit ?? 1 << 24);
  const stages = Math.max(1, Math.floor(input.epsilonScaling?.stages ?? 1));
  const factor = input.epsilonScaling?.factor ?? 4;

  const logA = new Float64Array(n);
  for (let i = 0; i < n; i++) logA[i] = Math.log(a[i]!);
  const logB = new Float64Array(m);
  for (let j = 0; j < m; j++) logB[j] = Math.log(b[j]!);
  const f = new Float64Array(n);
  const g = new Float64Array(m);
  // lKv_i = log sum_j K_ij exp(g_j / eps), lKtu_j = log sum_i K_ij exp(f_i / eps): the kernel's two reductions.
  const lKv = new Float64Array(n);
  const lKtu = new Float64Array(m);
  const costs = { X: source.data, Y: target.data, n, m, d, omega };
  const kernel: LogKernel = stored ? storedKernel(costs) : streamedKernel(costs, batch);

  const trace: number[] = [];
  let converged = false;
  let used = 0;
  let lambdaA = 1;
  let eps = epsilon;
  for (let s = stages - 1; s >= 0; s--) {
    eps = epsilon * Math.pow(factor, s);
    const final = s === 0;
    lambdaA = variant === 'balanced' ? 1 : tau / (tau + eps);
    const lambdaB = variant === 'unbalanced' ? tau / (tau + eps) : 1;
    kernel.setEpsilon(eps);
    const stageMax = final ? maxIterations - used : Math.min(50, Math.floor(maxIterations / (2 * stages)));
    const stageTol = final ? tolerance : Math.max(tolerance, 1e-3);
    kernel.rowLogSumExp(g, lKv);
    for (let it = 0; it < stageMax; it++) {
      for (let i = 0; i < n; i++) f[i] = a[i]! > 0 ? lambdaA * eps * (logA[i]! - lKv[i]!) : -Infinity;
      kernel.colLogSumExp(f, lKtu);
      for (let j = 0; j < m; j++) g[j] = b[j]! > 0 ? lambdaB * eps * (logB[j]! - lKtu[j]!) : -Infinity;
      kernel.rowLogSumExp(g, lKv);
      let err = 0;
      for (let i = 0; i < n; i++) {
        if (a[i]! === 0) continue;
        const r = Math.exp(f[i]! / eps + lKv[i]!);
        const want = Math.exp(lambdaA * logA[i]! + (1 - lambdaA) * lKv[i]!);
        err += Math.abs(r - want);
      }
      used++;
      if (final) trace.push(err);
      if (!Number.isFinite(err)) break;
      input.onProgress?.(used / maxIterations);
      if (err < stageTol) {
        if (final) converged = true;
        break;
      }
    }
  }
  // Final marginals, cost and plan.
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = a[i]! > 0 ? Math.exp(f[i]! / eps + lKv[i]!) : 0;
  kernel.colLogSumExp(f, lKtu);
  const targetMarginal = new Float64Array(m);
  for (let j = 0; j < m; j++) targetMarginal[j] = b[j]! > 0 ? Math.exp(g[j]! / eps + lKtu[j]!) : 0;
  const wantPlan = !!input.returnPlan;
  if (wantPlan && n * m > 1e7) throw new AlignInputError('TOO_LARGE', `A dense plan of ${n} x ${m} entries is too large to return; ask for weights only.`);
  const plan = wantPlan ? new Float64Array(n * m) : undefined;
  // The transport cost needs one more pass with n m exponentials: done when the plan is asked for or n m <= 2^22.
  let cost = wantPlan || n * m <= 1 << 22 ? 0 : NaN;
  for (let i = 0; Number.isFinite(cost) && i < n; i++) {
    if (a[i]! === 0) continue;
    for (let j = 0; j < m; j++) {
      if (b[j]! === 0) continue;
      const c = pairCost(source.data, i, target.data, j, d, omega);
      const p = Math.exp((f[i]! + g[j]! - c) / eps);
      cost += p * c;
      if (plan) plan[i * m + j] = p;
    }
  }
  return {
    plan,
    weights,
    targetMarginal,
    sourcePotential: f,
    targetPotential: g,
    variant,
    epsilon,
    tau,
    converged,
    iterations: used,
    marginalError: Float64Array.from(trace),
    cost,
    kernelStored: kernel.stored,
  };
}
