import { AlignInputError } from '../../numeric/alignInputError';
import type { Matrix } from '../../numeric/matrix';
import { balanceReport, failedConstraintsSentence } from './balanceReport';
import { estimatorResult } from './estimatorResult';
import { backtrack } from './lineSearch';
import { denseFeatures, featureMeans, momentFeatures, type MomentFeatureSet } from './momentFeatures';
import { pseudoSolve } from './pseudoSolve';
import { binOf, quantileBins } from './quantileBins';
import {
  numberOption,
  prepareEstimatorInput,
  type MomentSet,
  type WeightEstimatorInput,
  type WeightEstimatorResult,
} from './weightEstimatorInput';

const MOMENT_SETS: readonly MomentSet[] = ['means', 'meansAndVariances', 'all'];
/** Armijo sufficient-decrease constant of the backtracking line search. */
const ARMIJO = 1e-4;
/** Relative size of a change in the dual below which rounding hides it (near the optimum a full step is taken). */
const DUAL_NOISE = 1e-12;

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
  let phase = problem.solve(lambda0, ridge, maxIterations, gradientTolerance, lambdaLimit, progress);
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
    phase = problem.solve(new Float64Array(q), fallbackRidge, maxIterations, gradientTolerance, Infinity, progress);
    iterations += phase.iterations;
  }
  if (!phase.converged) {
    warnings.push(
      `The balancing solver stopped after ${phase.iterations} Newton steps without converging (largest dual gradient ${Number(phase.gradientMax.toPrecision(3))}); the weights are its last iterate.`,
    );
  }
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

interface PhaseResult {
  converged: boolean;
  reason: 'converged' | 'iterations' | 'diverging' | 'stalled';
  iterations: number;
  lambda: Float64Array;
  gradientMax: number;
}

/**
 * The entropy-balancing dual over the active features, evaluated in streaming passes over the pool (features are
 * computed on the fly from the d trait values; no n x p matrix is stored). One fused pass gives phi and the weighted
 * feature means (online log-sum-exp: running sums are rescaled when the running maximum score grows); the scores of
 * the last pass are kept for the Hessian and the final weights.
 */
class DualProblem {
  private readonly q: number;
  private readonly scores: Float64Array;
  private smax = 0;
  /** sum_i b_i exp(s_i - smax) at the last evaluated lambda. */
  private z = 1;
  /** E_w[raw_j] for every feature j at the last evaluated lambda. */
  private readonly featureMean: Float64Array;
  /**
   * Per-row raw feature index of the bin each column falls in (n x d; -1 for a column without bins), when there are
   * bins.
   */
  private readonly binFeature: Int32Array | null;
  /** log of the smallest positive base weight: below it, phi certifies that exact balancing has no solution. */
  private readonly logBaseMin: number;
  private readonly compactOf: Int32Array;
  /** Active dense features: their raw indices (compact index = position, dense features come first). */
  private readonly denseActive: Int32Array;
  private readonly coef: Float64Array;

  constructor(
    private readonly fs: MomentFeatureSet,
    private readonly data: Float64Array,
    private readonly n: number,
    private readonly d: number,
    private readonly base: Float64Array,
    private readonly targetRaw: Float64Array,
    private readonly active: Int32Array,
    private readonly hessianRows: number,
  ) {
    this.q = active.length;
    this.scores = new Float64Array(n);
    this.featureMean = new Float64Array(fs.p);
    this.compactOf = new Int32Array(fs.p).fill(-1);
    const denseActive: number[] = [];
    for (let c = 0; c < this.q; c++) {
      this.compactOf[active[c]!] = c;
      if (active[c]! < fs.dense) denseActive.push(active[c]!);
    }
    this.denseActive = Int32Array.from(denseActive);
    let anyBins = false;
    for (let k = 0; k < d; k++) if (fs.cuts[k]!.length > 0) anyBins = true;
    if (anyBins) {
      this.binFeature = new Int32Array(n * d);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < d; k++) {
          const c = fs.cuts[k]!;
          this.binFeature[i * d + k] = c.length > 0 ? fs.binOffset[k]! + binOf(c, data[i * d + k]!) : -1;
        }
      }
    } else this.binFeature = null;
    let baseMin = Infinity;
    for (let i = 0; i < n; i++) if (base[i]! > 0 && base[i]! < baseMin) baseMin = base[i]!;
    this.logBaseMin = Math.log(baseMin);
    this.coef = new Float64Array(fs.p);
  }

  /**
   * phi(lambda) = log sum_i b_i exp(s_i) - sum_j a_j t_j + rho/2 |lambda|^2 with s_i = sum_j a_j raw_ij and
   * a_j = lambda_j / sd_j; also stores the scores s, their maximum and E_w[raw]. One pass, O(n p).
   */
  evaluate(lambda: Float64Array, rho: number): number {
    const { fs, d, n, data, base, scores, coef, featureMean } = this;
    const p = fs.p;
    const dense = fs.dense;
    coef.fill(0);
    let linear = 0;
    let penalty = 0;
    for (let c = 0; c < this.q; c++) {
      const j = this.active[c]!;
      const a = lambda[c]! * fs.invScale[j]!;
      coef[j] = a;
      linear += a * this.targetRaw[j]!;
      penalty += lambda[c]! * lambda[c]!;
    }
    if (d === 5 && dense === 20) {
      const { smax, z } = fivePass(data, n, base, fs.centre, coef, this.binFeature, scores, featureMean);
      this.smax = smax;
      this.z = z;
      return smax + Math.log(z) - linear + 0.5 * rho * penalty;
    }
    const centre = fs.centre;
    const binFeature = this.binFeature;
    const raw = new Float64Array(Math.max(dense, 1));
    const sums = new Float64Array(p);
    let smax = -Infinity;
    let z = 0;
    for (let i = 0; i < n; i++) {
      const o = i * d;
      denseFeatures(d, dense, centre, data, o, raw);
      let s = 0;
      for (let j = 0; j < dense; j++) s += coef[j]! * raw[j]!;
      if (binFeature !== null) {
        for (let k = 0; k < d; k++) {
          const j = binFeature[o + k]!;
          if (j >= 0) s += coef[j]!;
        }
      }
      scores[i] = s;
      const b = base[i]!;
      if (b === 0) continue;
      if (s > smax) {
        // Rescale the running sums to the new maximum (exp(-Infinity) = 0 on the first row).
        const r = Math.exp(smax - s);
        z *= r;
        for (let j = 0; j < p; j++) sums[j] = sums[j]! * r;
        smax = s;
      }
      const e = b * Math.exp(s - smax);
      z += e;
      for (let j = 0; j < dense; j++) sums[j] = sums[j]! + e * raw[j]!;
      if (binFeature !== null) {
        for (let k = 0; k < d; k++) {
          const j = binFeature[o + k]!;
          if (j >= 0) sums[j] = sums[j]! + e;
        }
      }
    }
    for (let j = 0; j < p; j++) featureMean[j] = sums[j]! / z;
    this.smax = smax;
    this.z = z;
    return smax + Math.log(z) - linear + 0.5 * rho * penalty;
  }

  /** Gradient E_w[f~] - t~ + rho lambda at the last evaluated lambda. O(q). */
  gradient(lambda: Float64Array, rho: number): Float64Array {
    const { fs, q, active } = this;
    const g = new Float64Array(q);
    for (let c = 0; c < q; c++) {
      const j = active[c]!;
      g[c] = (this.featureMean[j]! - this.targetRaw[j]!) * fs.invScale[j]! + rho * lambda[c]!;
    }
    return g;
  }

  /**
   * Hessian Cov_w(f~) + rho I at the last evaluated lambda. Up to hessianRows rows: every row. Above: a systematic
   * sample with inclusion probability pi_i = min(1, hessianRows w_i / sum w) (Horvitz-Thompson weights w_i / pi_i),
   * about hessianRows rows: the rows that carry the weight enter exactly and the light ones are thinned, so the
   * estimate stays accurate however concentrated the weights are. O(n + hessianRows q^2).
   */
  hessian(rho: number, sampled = true): Float64Array {
    const q = this.q;
    const m = this.accumulateHessian(sampled && this.n > this.hessianRows ? this.hessianRows / this.z : Infinity);
    for (let c = 0; c < q; c++) m[c * q + c] = m[c * q + c]! + rho;
    return m;
  }

  /**
   * Cov_w(f~) (standardised, q x q) over the rows with inclusion probability min(1, scale w_i), taken by systematic
   * sampling (fixed start 1/2, so deterministic) and weighted by w_i / pi_i; scale Infinity = every row.
   */
  private accumulateHessian(scale: number): Float64Array {
    const { fs, d, n, data, base, scores, q, compactOf, denseActive } = this;
    const smax = this.smax;
    const centre = fs.centre;
    const binFeature = this.binFeature;
    const nd = denseActive.length;
    const dense = fs.dense;
    const binIdx = new Int32Array(d);
    const raw = new Float64Array(Math.max(fs.dense, 1));
    const second = new Float64Array(q * q);
    const firstSums = new Float64Array(q);
    // Dense features of up to HESSIAN_BLOCK rows wait in `block` and enter the dense-dense block of `second` together.
    const block = new Float64Array(HESSIAN_BLOCK * nd);
    // Dense-bin block, bin-major: cross[(c - nd) nd + a] = sum of w v_a over the rows in bin feature c.
    const cross = binFeature === null ? new Float64Array(0) : new Float64Array((q - nd) * nd);
    const blockWeight = new Float64Array(HESSIAN_BLOCK);
    let filled = 0;
    let ws = 0;
    let pending = 0.5;
    for (let i = 0; i < n; i++) {
      const b = base[i]!;
      if (b === 0) continue;
      let w = b * Math.exp(scores[i]! - smax);
      if (w === 0) continue;
      const pi = scale * w;
      if (pi < 1) {
        pending += pi;
        if (pending < 1) continue;
        pending -= 1;
        w = 1 / scale;
      }
      ws += w;
      const o = i * d;
      denseFeatures(d, dense, centre, data, o, raw);
      const at = filled * nd;
      for (let c = 0; c < nd; c++) {
        const v = raw[denseActive[c]!]!;
        block[at + c] = v;
        firstSums[c] = firstSums[c]! + w * v;
      }
      if (binFeature !== null) {
        // Bin indicators (value 1) of the row, in ascending compact order (columns ascending).
        let cnt = 0;
        for (let k = 0; k < d; k++) {
          const j = binFeature[o + k]!;
          if (j < 0) continue;
          const c = compactOf[j]!;
          if (c >= 0) binIdx[cnt++] = c;
        }
        for (let t = 0; t < cnt; t++) {
          const cb = binIdx[t]!;
          firstSums[cb] = firstSums[cb]! + w;
          const co = (cb - nd) * nd;
          for (let a = 0; a < nd; a++) cross[co + a] = cross[co + a]! + w * block[at + a]!;
          const row = cb * q;
          for (let u = t; u < cnt; u++) second[row + binIdx[u]!] = second[row + binIdx[u]!]! + w;
        }
      }
      blockWeight[filled++] = w;
      if (filled === HESSIAN_BLOCK) {
        addDenseBlock(second, q, block, blockWeight, HESSIAN_BLOCK, nd);
        filled = 0;
      }
    }
    if (filled > 0) addDenseBlock(second, q, block, blockWeight, filled, nd);
    for (let c = nd; c < q && binFeature !== null; c++) for (let a = 0; a < nd; a++) second[a * q + c] = cross[(c - nd) * nd + a]!;
    const matrix = new Float64Array(q * q);
    for (let a = 0; a < q; a++) {
      const sa = fs.invScale[this.active[a]!]!;
      const ma = firstSums[a]! / ws;
      for (let c = a; c < q; c++) {
        const mc = firstSums[c]! / ws;
        const v = (second[a * q + c]! / ws - ma * mc) * sa * fs.invScale[this.active[c]!]!;
        matrix[a * q + c] = v;
        matrix[c * q + a] = v;
      }
    }
    return matrix;
  }

  /**
   * Damped Newton on phi from lambda0; on return the stored scores belong to the returned lambda.
   * Pools larger than hessianRows: first solve the dual on the every-k-th-row subsample (exact Newton, cheap), then
   * continue on every row from that lambda, each step with the exact gradient and a Hessian from a weight-proportional
   * sample of about hessianRows rows (see hessian). Smaller pools: exact Newton throughout.
   */
  solve(
    lambda0: Float64Array,
    rho: number,
    maxIterations: number,
    gradientTolerance: number,
    lambdaLimit: number,
    onProgress?: (fraction: number) => void,
  ): PhaseResult {
    const q = this.q;
    if (q === 0) {
      this.evaluate(lambda0, rho);
      return { converged: true, reason: 'converged', iterations: 0, lambda: Float64Array.from(lambda0), gradientMax: 0 };
    }
    const large = this.n > this.hessianRows;
    let lambda = Float64Array.from(lambda0);
    let warmIterations = 0;
    if (large) {
      const sub = this.subsample();
      const warm = sub.solve(lambda0, rho, maxIterations, Math.max(gradientTolerance, 1e-6), lambdaLimit);
      warmIterations = warm.iterations;
      if (warm.converged) lambda = Float64Array.from(warm.lambda);
      onProgress?.(0.3);
    }
    let phi = this.evaluate(lambda, rho);
    let phiBefore = Infinity;
    let gradientMax = Infinity;
    let previousGradientMax = Infinity;
    // Sampled Hessians until a full Newton step fails to halve the largest gradient component; every row from then on.
    let sampled = large;
    let fullStep = false;
    let idle = 0;
    for (let it = 0; ; it++) {
      const iterations = warmIterations + it;
      const gradient = this.gradient(lambda, rho);
      gradientMax = 0;
      for (let c = 0; c < q; c++) gradientMax = Math.max(gradientMax, Math.abs(gradient[c]!));
      if (!Number.isFinite(gradientMax) || !Number.isFinite(phi)) return { converged: false, reason: 'stalled', iterations, lambda, gradientMax };
      if (gradientMax <= gradientTolerance) return { converged: true, reason: 'converged', iterations, lambda, gradientMax };
      // Certificate of infeasibility: for any w meeting the constraints, phi(lambda) >= -KL(w | b) >= log min_i b_i
      // (weak duality), so a dual value below that bound proves that exact balancing has no solution.
      if (rho === 0 && phi < this.logBaseMin - DUAL_NOISE * Math.max(1, Math.abs(phi))) return { converged: false, reason: 'diverging', iterations, lambda, gradientMax };
      if (it >= maxIterations) return { converged: false, reason: 'iterations', iterations, lambda, gradientMax };
      if (sampled && fullStep && gradientMax > 0.5 * previousGradientMax) sampled = false;
      // No progress: neither phi nor the gradient improves (the weights sit on a few extreme personas).
      idle = gradientMax < 0.5 * previousGradientMax || phiBefore - phi > 1e3 * DUAL_NOISE * Math.max(1, Math.abs(phi)) ? 0 : idle + 1;
      if (idle >= 3) return { converged: false, reason: 'stalled', iterations, lambda, gradientMax };
      previousGradientMax = gradientMax;
      phiBefore = phi;
      const step = pseudoSolve(this.hessian(rho, sampled), gradient, q).x;
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
        const phiTrial = this.evaluate(trial, rho);
        if (Number.isFinite(phiTrial) && phiTrial <= phi + ARMIJO * alpha * slope + DUAL_NOISE * Math.max(1, Math.abs(phi))) {
          phi = phiTrial;
          accepted = true;
          break;
        }
        alpha = backtrack(alpha, phi, phiTrial, slope);
      }
      if (!accepted) {
        this.evaluate(lambda, rho);
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

  /** The same dual on rows 0, k, 2k, ... (k = ceil(n / hessianRows)), with the base weights of those rows. */
  private subsample(): DualProblem {
    const { n, d, data, base } = this;
    const stride = Math.ceil(n / this.hessianRows);
    const m = Math.ceil(n / stride);
    const subData = new Float64Array(m * d);
    const subBase = new Float64Array(m);
    let total = 0;
    for (let r = 0, i = 0; i < n; i += stride, r++) {
      subData.set(data.subarray(i * d, i * d + d), r * d);
      subBase[r] = base[i]!;
      total += base[i]!;
    }
    if (total > 0) for (let r = 0; r < m; r++) subBase[r] = subBase[r]! / total;
    return new DualProblem(this.fs, subData, m, d, subBase, this.targetRaw, this.active, Infinity);
  }

  /** Normalised weights w_i = b_i exp(s_i - max) / sum at the last evaluated lambda. O(n). */
  weights(): Float64Array {
    const { n, base, scores, smax } = this;
    const w = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const b = base[i]!;
      if (b === 0) continue;
      w[i] = b * Math.exp(scores[i]! - smax);
      s += w[i]!;
    }
    for (let i = 0; i < n; i++) w[i] = w[i]! / s;
    return w;
  }
}

/**
 * The fused pass of DualProblem.evaluate for the common case (five traits, every moment, optional bins), written out
 * with scalar locals so the 20 features, the score and the 20 running sums stay in registers (several times faster
 * than the general loop). Same arithmetic: s_i = coef . raw_i, online log-sum-exp of log b_i + s_i, E_w[raw] into
 * `means`. Bins: each row adds the coefficient of the bin it falls in per column (`binFeature`, n x 5 raw feature
 * indices, -1 = no bins) and its weight to that bin's running sum.
 */
function fivePass(
  data: Float64Array,
  n: number,
  base: Float64Array,
  centre: Float64Array,
  coef: Float64Array,
  binFeature: Int32Array | null,
  scores: Float64Array,
  means: Float64Array,
): { smax: number; z: number } {
  const p = means.length;
  const binSums = new Float64Array(p);
  const c0 = centre[0]!, c1 = centre[1]!, c2 = centre[2]!, c3 = centre[3]!, c4 = centre[4]!;
  const a0 = coef[0]!, a1 = coef[1]!, a2 = coef[2]!, a3 = coef[3]!, a4 = coef[4]!;
  const a5 = coef[5]!, a6 = coef[6]!, a7 = coef[7]!, a8 = coef[8]!, a9 = coef[9]!;
  const a10 = coef[10]!, a11 = coef[11]!, a12 = coef[12]!, a13 = coef[13]!, a14 = coef[14]!;
  const a15 = coef[15]!, a16 = coef[16]!, a17 = coef[17]!, a18 = coef[18]!, a19 = coef[19]!;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0;
  let s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0, s16 = 0, s17 = 0, s18 = 0, s19 = 0;
  let smax = -Infinity;
  let z = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 5;
    const u0 = data[o]! - c0, u1 = data[o + 1]! - c1, u2 = data[o + 2]! - c2, u3 = data[o + 3]! - c3, u4 = data[o + 4]! - c4;
    const q0 = u0 * u0, q1 = u1 * u1, q2 = u2 * u2, q3 = u3 * u3, q4 = u4 * u4;
    const p01 = u0 * u1, p02 = u0 * u2, p03 = u0 * u3, p04 = u0 * u4, p12 = u1 * u2;
    const p13 = u1 * u3, p14 = u1 * u4, p23 = u2 * u3, p24 = u2 * u4, p34 = u3 * u4;
    const s =
      a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3 + a4 * u4 +
      a5 * q0 + a6 * q1 + a7 * q2 + a8 * q3 + a9 * q4 +
      a10 * p01 + a11 * p02 + a12 * p03 + a13 * p04 + a14 * p12 +
      a15 * p13 + a16 * p14 + a17 * p23 + a18 * p24 + a19 * p34 +
      (binFeature === null ? 0 : binScore(coef, binFeature, o));
    scores[i] = s;
    const b = base[i]!;
    if (b === 0) continue;
    if (s > smax) {
      const r = Math.exp(smax - s);
      z *= r;
      s0 *= r; s1 *= r; s2 *= r; s3 *= r; s4 *= r; s5 *= r; s6 *= r; s7 *= r; s8 *= r; s9 *= r;
      s10 *= r; s11 *= r; s12 *= r; s13 *= r; s14 *= r; s15 *= r; s16 *= r; s17 *= r; s18 *= r; s19 *= r;
      if (binFeature !== null) for (let j = 20; j < p; j++) binSums[j] = binSums[j]! * r;
      smax = s;
    }
    const e = b * Math.exp(s - smax);
    z += e;
    s0 += e * u0; s1 += e * u1; s2 += e * u2; s3 += e * u3; s4 += e * u4;
    s5 += e * q0; s6 += e * q1; s7 += e * q2; s8 += e * q3; s9 += e * q4;
    s10 += e * p01; s11 += e * p02; s12 += e * p03; s13 += e * p04; s14 += e * p12;
    s15 += e * p13; s16 += e * p14; s17 += e * p23; s18 += e * p24; s19 += e * p34;
    if (binFeature !== null) {
      for (let k = 0; k < 5; k++) {
        const j = binFeature[o + k]!;
        if (j >= 0) binSums[j] = binSums[j]! + e;
      }
    }
  }
  const sums = [s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15, s16, s17, s18, s19];
  for (let j = 0; j < 20; j++) means[j] = sums[j]! / z;
  for (let j = 20; j < p; j++) means[j] = binSums[j]! / z;
  return { smax, z };
}

/** Rows added to the Hessian's dense block together (fewer loads and stores of its entries per multiply-add). */
const HESSIAN_BLOCK = 4;

/**
 * Upper triangle of the leading nd x nd block of `second` (row stride q) += sum_t w_t v_t v_t^T over the first
 * `count` rows v_t of `block` (nd wide).
 */
function addDenseBlock(second: Float64Array, q: number, block: Float64Array, w: Float64Array, count: number, nd: number): void {
  if (count === 4) {
    const w0 = w[0]!, w1 = w[1]!, w2 = w[2]!, w3 = w[3]!;
    const o1 = nd, o2 = 2 * nd, o3 = 3 * nd;
    for (let a = 0; a < nd; a++) {
      const h0 = w0 * block[a]!, h1 = w1 * block[o1 + a]!, h2 = w2 * block[o2 + a]!, h3 = w3 * block[o3 + a]!;
      const r = a * q;
      for (let c = a; c < nd; c++) second[r + c] = second[r + c]! + h0 * block[c]! + h1 * block[o1 + c]! + h2 * block[o2 + c]! + h3 * block[o3 + c]!;
    }
    return;
  }
  for (let t = 0; t < count; t++) {
    const o = t * nd;
    for (let a = 0; a < nd; a++) {
      const h = w[t]! * block[o + a]!;
      const r = a * q;
      for (let c = a; c < nd; c++) second[r + c] = second[r + c]! + h * block[o + c]!;
    }
  }
}

/** Sum of the coefficients of the bins row o / 5 falls in (one per column with bins). */
function binScore(coef: Float64Array, binFeature: Int32Array, o: number): number {
  let s = 0;
  for (let k = 0; k < 5; k++) {
    const j = binFeature[o + k]!;
    if (j >= 0) s += coef[j]!;
  }
  return s;
}
