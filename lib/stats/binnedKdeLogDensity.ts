import { chooseGrid, gridStencils, type GridSpec } from './densityGrid';
import { binStencils, interpolateStencils } from './gridBinning';
import { convolveGrid, gaussianTaps } from './gridConvolution';
import { kdeLogDensity, type PreparedKde } from './kdeLogDensity';
import { columnRanges, selectRows } from '../numeric/matrix';

/** Options of the binned (fast) KDE. */
export interface BinnedKdeOptions {
  /** Largest number of grid nodes (default 2^22 = 4,194,304: 33 MB of doubles). */
  maxNodes?: number;
  /** A fixed grid (for example a cached one in the live-update path); overrides maxNodes. */
  grid?: GridSpec;
  /** Kernel truncation in standard deviations (default 4). */
  truncate?: number;
  /**
   * Exact re-evaluation for points in the sparse tail where the binned density is below the density one
   * average sample point gives at 3 bandwidths: at most this many kernel evaluations in total
   * (default 5e7, a few hundred ms). 0 disables it.
   */
  fallbackBudget?: number;
}

/** Output of the binned KDE: log densities plus what it did. */
export interface BinnedKdeResult {
  logDensity: Float64Array;
  grid: GridSpec;
  /** Points re-evaluated exactly. */
  fallbackCount: number;
  /** Tail points left at the floor density because the fallback budget ran out. */
  flooredCount: number;
}

/**
 * Binned Gaussian KDE: linear binning on a regular grid, separable Gaussian convolution, multilinear
 * interpolation back at the points, and an exact fallback in the sparse tail.
 *
 * p(z) ~= sum_c I_c(z) (phi_h * B)[c], with B the binned masses and I the interpolation weights. With
 * leave-one-out, the point's own binned-and-interpolated contribution w_i prod_k ((1-f_k)^2 + f_k^2) g_k(0) +
 * 2 f_k (1 - f_k) g_k(1) is subtracted exactly, then divided by (1 - w_i).
 * Complexity O(n 2^d + G sum_k T_k + m 2^d) with G <= maxNodes; memory O(G). Only sensible for d <= 6.
 * Error: at spacing 0.5 h (the finest chooseGrid picks; a node budget too small for it gives a coarser grid and a
 * larger error) the mean absolute log-density error is a few
 * percent; the bench prints the measured error at paper scale against kdeLogDensity.
 * Reference: Wand (1994) Fast computation of multivariate kernel estimators, JCGS 3(4).
 * @example agrees with kdeLogDensity within 0.05 in log density on well-populated points (tests)
 */
export function binnedKdeLogDensity(input: PreparedKde, options: BinnedKdeOptions = {}): BinnedKdeResult {
  const { data, points, weights, bandwidth, leaveOneOut } = input;
  const d = data.cols;
  const truncate = options.truncate ?? 4;
  let grid = options.grid;
  if (!grid) {
    const r1 = columnRanges(data);
    const r2 = columnRanges(points);
    const lo = new Float64Array(d);
    const hi = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      lo[k] = Math.min(r1.min[k]!, r2.min[k]!);
      hi[k] = Math.max(r1.max[k]!, r2.max[k]!);
    }
    grid = chooseGrid(lo, hi, bandwidth, options.maxNodes ?? 1 << 22);
  }
  input.onProgress?.(0);
  // Linear binning and interpolation each add about spacing^2 / 6 of variance per axis; convolve with the
  // narrower h_c^2 = h^2 - spacing^2 / 3 so that the total matches h^2 (floored at h / 2).
  const conv = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const h = bandwidth[k]!;
    const s = grid.spacing[k]!;
    conv[k] = Math.sqrt(Math.max(h * h - (s * s) / 3, 0.25 * h * h));
  }
  // One set of interpolation stencils for the points; the data share it when they are the points (leave-one-out).
  const pointStencils = gridStencils(grid, points);
  const binned = binStencils(grid, data === points ? pointStencils : gridStencils(grid, data), weights);
  const taper = (truncate * Math.max(...Array.from(bandwidth))) / Math.max(...Array.from(conv));
  const smooth = convolveGrid(grid, binned, conv, { truncate: taper, normalised: true });
  input.onProgress?.(0.5);
  const dens = interpolateStencils(pointStencils, smooth);
  if (leaveOneOut) {
    const g0 = new Float64Array(d);
    const g1 = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      const taps = gaussianTaps(conv[k]!, grid.spacing[k]!, taper, true);
      g0[k] = taps[0]!;
      g1[k] = taps.length > 1 ? taps[1]! : 0;
    }
    for (let i = 0; i < points.rows; i++) {
      let self = weights[i]!;
      for (let k = 0; k < d; k++) {
        const f = pointStencils.frac[i * d + k]!;
        self *= ((1 - f) * (1 - f) + f * f) * g0[k]! + 2 * f * (1 - f) * g1[k]!;
      }
      dens[i] = (dens[i]! - self) / (1 - weights[i]!);
    }
  }
  // Tail: exact fallback where the binned value is unreliable.
  let peak = 1;
  for (let k = 0; k < d; k++) peak *= 1 / (bandwidth[k]! * Math.sqrt(2 * Math.PI));
  let sw2 = 0;
  for (let j = 0; j < weights.length; j++) sw2 += weights[j]! * weights[j]!;
  const threshold = peak * Math.exp(-4.5) * sw2; // one average point at 3 bandwidths
  const floor = peak * Math.exp(-0.5 * truncate * truncate) * sw2;
  const budget = options.fallbackBudget ?? 5e7;
  const maxFallback = Math.floor(budget / Math.max(1, data.rows));
  const tail: number[] = [];
  for (let i = 0; i < points.rows; i++) if (!(dens[i]! >= threshold)) tail.push(i);
  const exactIdx = tail.slice(0, maxFallback);
  const logDensity = new Float64Array(points.rows);
  for (let i = 0; i < points.rows; i++) logDensity[i] = Math.log(Math.max(dens[i]!, floor));
  if (exactIdx.length > 0) {
    const sub = selectRows(points, exactIdx);
    if (leaveOneOut) {
      // Evaluate each tail point against all data with its own term dropped.
      for (let t = 0; t < exactIdx.length; t++) {
        const i = exactIdx[t]!;
        const one = kdeLogDensity({
          data,
          points: selectRows(points, [i]),
          weights: withoutSelf(weights, i),
          bandwidth,
          leaveOneOut: false,
        });
        logDensity[i] = one[0]!;
      }
    } else {
      const vals = kdeLogDensity({ data, points: sub, weights, bandwidth, leaveOneOut: false });
      for (let t = 0; t < exactIdx.length; t++) logDensity[exactIdx[t]!] = vals[t]!;
    }
  }
  input.onProgress?.(1);
  return { logDensity, grid, fallbackCount: exactIdx.length, flooredCount: tail.length - exactIdx.length };
}

function withoutSelf(weights: Float64Array, i: number): Float64Array {
  const w = Float64Array.from(weights);
  const wi = w[i]!;
  w[i] = 0;
  const s = 1 - wi;
  for (let j = 0; j < w.length; j++) w[j] = w[j]! / s;
  return w;
}
