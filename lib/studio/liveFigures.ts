/** The live update's figures in plain values: correlation matrices, coverage regions in words, the weight histogram. Pure (core imports only). */
import type { CoverageGap } from '../align/coverage';
import { TRAITS } from '../core/traits';
import type { WeightedMoments } from '../stats';
import type { CoverageRegion, LiveResult } from './liveTypes';

export function corrMatrix(m: WeightedMoments): number[][] {
  const c = m.correlation;
  return Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => c[i * 5 + j]!));
}

function describePattern(pattern: Int8Array, ranges: Float64Array): string {
  const parts: string[] = [];
  pattern.forEach((p, k) => {
    if (p < 0) parts.push(`low ${TRAITS[k]} (≤ ${ranges[2 * k + 1]!.toFixed(1)})`);
    else if (p > 0) parts.push(`high ${TRAITS[k]} (≥ ${ranges[2 * k]!.toFixed(1)})`);
  });
  return parts.length ? parts.join(', ') : 'scores near the average on every trait';
}

/** The coverage gaps worth showing (at least 0.5% of the target), described in words. */
export function coverageRegions(gaps: readonly CoverageGap[]): CoverageRegion[] {
  return gaps
    .filter((g) => g.share >= 0.005)
    .map((g) => ({
      description: describePattern(g.pattern, g.ranges),
      share: g.share,
      center: Array.from(g.center),
      ranges: Array.from({ length: 5 }, (_, k) => [g.ranges[2 * k]!, g.ranges[2 * k + 1]!] as [number, number]),
    }));
}

/** Histogram of log10(n w_i) in bins of 0.25; 0 = the uniform weight; zero weights are left out. O(n). */
export function weightHistogram(w: Float64Array, poolN: number): LiveResult['weightHistogram'] {
  let lo = Infinity;
  let hi = -Infinity;
  const logs = new Float64Array(poolN);
  let count = 0;
  for (let i = 0; i < poolN; i++) {
    if (w[i]! <= 0) continue;
    const v = Math.log10(poolN * w[i]!);
    logs[count++] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  lo = Math.floor(lo * 4) / 4;
  hi = Math.max(lo + 0.25, Math.ceil(hi * 4) / 4);
  const nb = Math.max(1, Math.round((hi - lo) / 0.25));
  const counts = new Array<number>(nb).fill(0);
  for (let c = 0; c < count; c++) counts[Math.min(nb - 1, Math.floor((logs[c]! - lo) / 0.25))]!++;
  return counts.map((c, b) => ({ lo: lo + b * 0.25, hi: lo + (b + 1) * 0.25, count: c }));
}
