import { accumulateHessian, type DualRows } from './calibrationHessian';
import { fivePass } from './calibrationFivePass';
import { denseFeatures, type MomentFeatureSet } from './momentFeatures';
import { binOf } from './quantileBins';

/**
 * The entropy-balancing dual over the active features, evaluated in streaming passes over the pool (features are
 * computed on the fly from the d trait values; no n x p matrix is stored). One fused pass gives phi and the weighted
 * feature means (online log-sum-exp: running sums are rescaled when the running maximum score grows); the scores of
 * the last pass are kept for the Hessian and the final weights.
 */
export class DualProblem implements DualRows {
  readonly q: number;
  readonly scores: Float64Array;
  /** Largest score s_i at the last evaluated lambda. */
  smax = 0;
  /** sum_i b_i exp(s_i - smax) at the last evaluated lambda. */
  private z = 1;
  /** E_w[raw_j] for every feature j at the last evaluated lambda. */
  private readonly featureMean: Float64Array;
  /**
   * Per-row raw feature index of the bin each column falls in (n x d; -1 for a column without bins), when there are
   * bins.
   */
  readonly binFeature: Int32Array | null;
  /** log of the smallest positive base weight: below it, phi certifies that exact balancing has no solution. */
  readonly logBaseMin: number;
  readonly compactOf: Int32Array;
  /** Active dense features: their raw indices (compact index = position, dense features come first). */
  readonly denseActive: Int32Array;
  private readonly coef: Float64Array;

  constructor(
    readonly fs: MomentFeatureSet,
    readonly data: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly base: Float64Array,
    private readonly targetRaw: Float64Array,
    readonly active: Int32Array,
    readonly hessianRows: number,
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
    const m = accumulateHessian(this, sampled && this.n > this.hessianRows ? this.hessianRows / this.z : Infinity);
    for (let c = 0; c < q; c++) m[c * q + c] = m[c * q + c]! + rho;
    return m;
  }


  /** The same dual on rows 0, k, 2k, ... (k = ceil(n / hessianRows)), with the base weights of those rows. */
  subsample(): DualProblem {
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
