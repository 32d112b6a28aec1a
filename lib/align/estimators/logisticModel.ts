import type { Matrix } from '../../numeric/matrix';
import { denseFeatures, type MomentFeatureSet } from './momentFeatures';

/** One set of rows of the classifier's data with its label (0 pool, 1 reference) and case weights. */
export interface LabelledPart {
  x: Matrix;
  caseWeights: Float64Array;
  label: 0 | 1;
}

/** Loss, gradient and (approximate) Hessian of the penalised logistic loss at one beta. */
export interface LogisticEvaluation {
  /** Penalised mean loss. */
  loss: number;
  /** Mean loss without the penalty. */
  fitLoss: number;
  gradient: Float64Array;
  hessian: Float64Array;
}

/** Rows accumulated together into the Hessian (fewer loads and stores of its entries per multiply-add). */
const BLOCK = 4;

/**
 * The penalised logistic loss over labelled parts, with features computed on the fly (no (n + m) x q design matrix
 * is stored). One fused pass gives the loss, the exact gradient and the Hessian. A part with more than
 * hessianRows / (number of parts) rows contributes every k-th row to the Hessian (its own k, rows scaled by k), so a
 * small pool next to a large reference keeps all its rows there; this only changes the path of Newton's method, not
 * its solution (the gradient always uses every row).
 */
export class LogisticModel {
  private readonly total: number;
  private readonly raw: Float64Array;
  private readonly z: Float64Array;
  /** Hessian subsampling stride of each part. */
  private strides: number[];
  /** Design rows and curvature weights waiting to be added to the Hessian. */
  private readonly block: Float64Array;
  private readonly blockWeight: Float64Array;

  constructor(
    private readonly fs: MomentFeatureSet,
    private readonly active: Int32Array,
    private readonly parts: LabelledPart[],
    hessianRows: number,
  ) {
    let t = 0;
    for (const part of parts) for (let i = 0; i < part.caseWeights.length; i++) t += part.caseWeights[i]!;
    this.total = t;
    const P = active.length + 1;
    this.raw = new Float64Array(Math.max(fs.dense, 1));
    this.z = new Float64Array(P);
    const budget = Math.max(1, Math.floor(hessianRows / parts.length));
    this.strides = parts.map((part) => (part.x.rows > budget ? Math.ceil(part.x.rows / budget) : 1));
    this.block = new Float64Array(BLOCK * P);
    this.blockWeight = new Float64Array(BLOCK);
  }

  /** Some part contributes only every k-th row to the Hessian. */
  get subsampled(): boolean {
    return this.strides.some((k) => k > 1);
  }

  /** From now on every row enters the Hessian. */
  useEveryRow(): void {
    this.strides = this.strides.map(() => 1);
  }

  /** out[at .. at + q] = [1, standardised active features] of the row at data[offset ..] (dense features only). */
  private design(data: Float64Array, offset: number, out: Float64Array, at: number): void {
    const { fs, active, raw } = this;
    denseFeatures(fs.d, fs.dense, fs.centre, data, offset, raw);
    out[at] = 1;
    for (let c = 0; c < active.length; c++) {
      const j = active[c]!;
      out[at + c + 1] = (raw[j]! - fs.mean[j]!) * fs.invScale[j]!;
    }
  }

  /** Linear predictor at every row of x. O(rows q). */
  linearPredictor(beta: Float64Array, x: Matrix): Float64Array {
    const out = new Float64Array(x.rows);
    const P = beta.length;
    const z = this.z;
    for (let i = 0; i < x.rows; i++) {
      this.design(x.data, i * x.cols, z, 0);
      let e = 0;
      for (let c = 0; c < P; c++) e += beta[c]! * z[c]!;
      out[i] = e;
    }
    return out;
  }

  /** Loss, gradient and Hessian at beta in one pass: O((n + m) q + (Hessian rows) q^2). */
  evaluate(beta: Float64Array, penalty: number): LogisticEvaluation {
    const P = beta.length;
    const gradient = new Float64Array(P);
    const hessian = new Float64Array(P * P);
    const { block, blockWeight } = this;
    let filled = 0;
    let s = 0;
    for (let index = 0; index < this.parts.length; index++) {
      const part = this.parts[index]!;
      const { data, cols, rows } = part.x;
      const label = part.label;
      const cw = part.caseWeights;
      const stride = this.strides[index]!;
      for (let i = 0; i < rows; i++) {
        const c = cw[i]!;
        if (c === 0) continue;
        const at = filled * P;
        this.design(data, i * cols, block, at);
        let e = 0;
        for (let a = 0; a < P; a++) e += beta[a]! * block[at + a]!;
        // softplus(e) - label e, and p = sigmoid(e), from one exponential.
        const x = Math.exp(-Math.abs(e));
        const p = e >= 0 ? 1 / (1 + x) : x / (1 + x);
        s += c * ((e > 0 ? e : 0) + Math.log1p(x) - label * e);
        const g = c * (p - label);
        for (let a = 0; a < P; a++) gradient[a] = gradient[a]! + g * block[at + a]!;
        if (i % stride !== 0) continue;
        blockWeight[filled++] = c * p * (1 - p) * stride;
        if (filled === BLOCK) {
          addBlock(hessian, block, blockWeight, BLOCK, P);
          filled = 0;
        }
      }
    }
    if (filled > 0) addBlock(hessian, block, blockWeight, filled, P);
    let r = 0;
    for (let c = 1; c < P; c++) r += beta[c]! * beta[c]!;
    for (let a = 0; a < P; a++) {
      gradient[a] = gradient[a]! / this.total + (a > 0 ? penalty * beta[a]! : 0);
      for (let b = a; b < P; b++) {
        const v = hessian[a * P + b]! / this.total + (a === b && a > 0 ? penalty : 0);
        hessian[a * P + b] = v;
        hessian[b * P + a] = v;
      }
    }
    const fitLoss = s / this.total;
    return { loss: fitLoss + 0.5 * penalty * r, fitLoss, gradient, hessian };
  }
}

/** Upper triangle of H += sum_t w_t z_t z_t^T over the first `count` rows z_t of `block` (row-major, P wide). */
function addBlock(h: Float64Array, block: Float64Array, w: Float64Array, count: number, P: number): void {
  if (count === BLOCK) {
    const w0 = w[0]!, w1 = w[1]!, w2 = w[2]!, w3 = w[3]!;
    const o1 = P, o2 = 2 * P, o3 = 3 * P;
    for (let a = 0; a < P; a++) {
      const h0 = w0 * block[a]!, h1 = w1 * block[o1 + a]!, h2 = w2 * block[o2 + a]!, h3 = w3 * block[o3 + a]!;
      const r = a * P;
      for (let b = a; b < P; b++) h[r + b] = h[r + b]! + h0 * block[b]! + h1 * block[o1 + b]! + h2 * block[o2 + b]! + h3 * block[o3 + b]!;
    }
    return;
  }
  for (let t = 0; t < count; t++) {
    const o = t * P;
    for (let a = 0; a < P; a++) {
      const hz = w[t]! * block[o + a]!;
      const r = a * P;
      for (let b = a; b < P; b++) h[r + b] = h[r + b]! + hz * block[o + b]!;
    }
  }
}
