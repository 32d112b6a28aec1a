/** How the live update samples: the subsample sizes and grid budget of its figures, and seeded subsamples of rows. Pure (core imports only). */
import { createRng } from '../numeric/rng';
import { sampleIndices } from '../numeric/sampleIndices';
import type { Matrix } from '../numeric/matrix';

/** Subsample sizes of the live SW and MMD (full runs use every point). */
export const LIVE_SUBSAMPLE = 600;
/**
 * Respondents used for the live KDE target density: the cost of a KDE reweight grows with the target size (binning
 * and sorting), and 5,000 seeded respondents cut it about fourfold on the full reference (46 -> 12 ms in Node) at a
 * kernel of 0.5 points. Calibration and every AMW use every respondent.
 */
export const LIVE_TARGET_SAMPLE = 5000;
/** MMD is O((n + m)^2): it gets a smaller subsample. */
export const LIVE_MMD_SUBSAMPLE = 300;
/**
 * Grid budget of the live KDE target density: 2^16 nodes (9 per trait). Measured on a 1,263-persona pool drawn from
 * the BIG5 sample with an agreeable, stable bias against 5,000 respondents: L1 distance of the weights to those of a
 * 2^21 grid 0.025 at 2^16, 0.038 at 2^17 and 0.049 at 2^15, at 10.2, 12.1 and 8.7 ms per update (Node 20, 2-core EPYC).
 */
export const LIVE_GRID_NODES = 1 << 16;
export const LIVE_PROJECTIONS = 50;
/** Points per side of the two-trait scatter. */
export const SCATTER_POINTS = 300;

export function matrix(data: Float64Array, rows: number): Matrix {
  return { data, rows, cols: 5 };
}

/** A seeded subsample of row indices (uniform, without replacement), sorted; all rows when there are few. */
export function subsampleIndices(n: number, k: number, seed: number): Uint32Array {
  if (n <= k) return Uint32Array.from({ length: n }, (_, i) => i);
  return sampleIndices(n, k, createRng(seed)).slice().sort();
}

export function take(data: Float64Array, idx: Uint32Array): Float64Array {
  const out = new Float64Array(idx.length * 5);
  idx.forEach((i, r) => out.set(data.subarray(i * 5, i * 5 + 5), r * 5));
  return out;
}
