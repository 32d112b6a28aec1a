import type { Rng } from './rng';

/**
 * k distinct indices from 0..n-1, uniformly at random (the first k steps of a Fisher-Yates shuffle), in draw order.
 * Deterministic under the rng's seed. O(n) memory, O(n + k) time.
 * @example sampleIndices(10, 3, createRng(1)).length === 3
 */
export function sampleIndices(n: number, k: number, rng: Rng): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + rng.nextInt(n - i);
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.subarray(0, m);
}
